// The span model shared by the trace readers (OTLP, Jaeger, Zipkin), the span tree and the
// analyses: one Span per span record, with its text held as views into the bytes the SpanSet
// owns (see span_set.h), and its attributes, events and links in the set's shared pools so that
// a million spans cost no per-span allocation.
#ifndef INQUEST_TRACES_SPAN_H_
#define INQUEST_TRACES_SPAN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/time.h"

namespace inquest {

// A span longer than this is taken as a unit mistake (microseconds read as nanoseconds, an
// unset end time read as 0): batch jobs run for hours, but no traced operation runs for a week.
inline constexpr int64_t kMaxSpanDurationNs = 7 * 24 * 3600 * kNanosPerSecond;

// A 128-bit trace id (a 64-bit one has hi == 0 and `wide` false, so it prints as 16 digits).
struct TraceId {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool wide = false;  // read as 32 hex digits (or 16 bytes)
  // The id as written when it is not hex (lo is then a hash of it); what is printed.
  std::string_view text;
  bool operator==(const TraceId& o) const { return hi == o.hi && lo == o.lo; }
  bool operator<(const TraceId& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
  bool empty() const { return hi == 0 && lo == 0; }
};

// Span ids are 64-bit; 0 means "none" (no parent).
using SpanId = uint64_t;

enum class SpanKind : uint8_t { kUnspecified, kInternal, kServer, kClient, kProducer, kConsumer };
// "unspecified", "internal", "server", "client", "producer", "consumer".
std::string_view SpanKindName(SpanKind k);

enum class SpanStatus : uint8_t { kUnset, kOk, kError };

// How a span relates to its parent: CHILD_OF (the parent waits for it) or FOLLOWS_FROM (the
// parent does not; never part of the critical path, never skew-adjusted against the parent).
enum class RefType : uint8_t { kChildOf, kFollowsFrom };

// Which reader produced a span.
enum class TraceFormat : uint8_t { kUnknown, kOtlp, kJaeger, kZipkin };
// "unknown", "otlp", "jaeger", "zipkin".
std::string_view TraceFormatName(TraceFormat f);
// The finest time step a format writes: Jaeger and Zipkin keep microseconds (times and durations
// each truncated to them), OTLP nanoseconds (1 for an unknown format).
int64_t TimeResolutionNs(TraceFormat f);

struct SpanAttr {
  std::string_view key;
  std::string_view value;  // strings decoded; numbers, booleans, arrays, maps as JSON text
};

struct SpanEvent {
  TimePoint time = kNoTime;
  std::string_view name;
  uint32_t attr_begin = 0;  // into SpanSet::attrs
  uint32_t attr_count = 0;
};

struct SpanLink {
  TraceId trace;
  SpanId span = 0;
};

struct Span {
  TraceId trace_id;
  SpanId span_id = 0;
  SpanId parent_id = 0;  // 0: a root
  TimePoint start = kNoTime;
  TimePoint end = kNoTime;
  std::string_view service;
  std::string_view host;  // host.id / host.ip / host.name, Jaeger "ip"/"hostname", Zipkin ipv4
  std::string_view name;
  std::string_view status_message;
  // The ids as written, when they are not hex (Jaeger UI exports use "span-1"): the numeric ids
  // are then a hash of the text, and the text is what is printed.
  std::string_view span_id_text;
  std::string_view parent_id_text;
  uint32_t attr_begin = 0, attr_count = 0;  // into SpanSet::attrs
  uint32_t event_begin = 0, event_count = 0;
  uint32_t link_begin = 0, link_count = 0;
  uint32_t file = 0;    // index into SpanSet::files
  uint64_t offset = 0;  // byte offset of the span's JSON object in the (decompressed) file
  SpanKind kind = SpanKind::kUnspecified;
  SpanStatus status = SpanStatus::kUnset;
  RefType parent_ref = RefType::kChildOf;
  // A Zipkin server span that reuses its client's id: the span tree makes it a child of the
  // client span with the same id when there is one (else of parent_id, the client's parent).
  bool shared = false;

  int64_t duration() const { return end - start; }
  bool error() const { return status == SpanStatus::kError; }
};

// Hex text of ids: 16 digits for span ids, 16 or 32 for trace ids.
std::string FormatSpanId(SpanId id);
std::string FormatTraceId(const TraceId& id);
// A span's id as printed: its text when it had no hex form, else 16 hex digits; a Zipkin shared
// server span gets a "+server" suffix so that it differs from its client.
std::string SpanLabel(const Span& s);

// "3.20ms", "1.250s", "412µs", "80ns": span durations with sub-millisecond detail.
std::string SpanDuration(int64_t ns);

// Parses 1..16 (span) or 1..32 (trace) hex digits of either case. False on anything else.
bool ParseHexSpanId(std::string_view s, SpanId* out);
bool ParseHexTraceId(std::string_view s, TraceId* out);
// A 64-bit hash of an id that is not hex, so "span-1" can still be joined with its children.
SpanId HashIdText(std::string_view s);

}  // namespace inquest

#endif  // INQUEST_TRACES_SPAN_H_
