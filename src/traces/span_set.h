// A set of spans read from many trace files (OTLP JSON, Jaeger JSON, Zipkin v2 JSON, detected
// by content; gzip and zstd read transparently), with what went wrong in each.
//
//   SpanSet set;
//   for (const std::string& p : paths)
//     if (Status s = ReadTraceFile(p, &set); !s.ok()) Report(s);  // the file could not be read
//   for (const TraceIssue& i : set.issues) Warn(i.ToString());    // spans skipped or repaired
//
// Every Span's text views point into bytes the set owns (the files' buffers and its arena): they
// stay valid while the set lives, and moving the set keeps them valid.
#ifndef INQUEST_TRACES_SPAN_SET_H_
#define INQUEST_TRACES_SPAN_SET_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "base/status.h"
#include "traces/span.h"

namespace inquest {

// One problem met while reading: a span skipped or repaired, or the point where a file stopped
// being readable. `span` is the span's id when it is known.
struct TraceIssue {
  uint32_t file = 0;
  uint64_t offset = 0;
  std::string span;
  std::string message;
};

struct TraceFileInfo {
  std::string path;
  TraceFormat format = TraceFormat::kUnknown;
  uint64_t bytes = 0;
  uint64_t spans = 0;    // spans read from it
  uint64_t skipped = 0;  // span records that could not be used
};

// Issues kept in full per set; beyond this only the count grows (a file of a million broken
// spans must not hold a million messages).
inline constexpr size_t kMaxTraceIssues = 1000;

class SpanSet {
 public:
  SpanSet() = default;
  SpanSet(SpanSet&&) noexcept = default;
  SpanSet& operator=(SpanSet&&) noexcept = default;

  std::vector<Span> spans;
  std::vector<SpanAttr> attrs;
  std::vector<SpanEvent> events;
  std::vector<SpanLink> links;
  std::vector<TraceFileInfo> files;
  std::vector<TraceIssue> issues;  // the first kMaxTraceIssues
  uint64_t issue_count = 0;        // all of them
  Arena arena;

  std::span<const SpanAttr> AttrsOf(const Span& s) const {
    return {attrs.data() + s.attr_begin, s.attr_count};
  }
  std::span<const SpanEvent> EventsOf(const Span& s) const {
    return {events.data() + s.event_begin, s.event_count};
  }
  std::span<const SpanLink> LinksOf(const Span& s) const {
    return {links.data() + s.link_begin, s.link_count};
  }
  // The value of a span's first attribute named `key`, or empty.
  std::string_view Attribute(const Span& s, std::string_view key) const;

  // Records an issue (counted always, kept while fewer than kMaxTraceIssues).
  void AddIssue(uint32_t file, uint64_t offset, std::string span, std::string message);
  // "path: byte N: span ID: message".
  std::string IssueText(const TraceIssue& i) const;
  // Evidence text for a span: "path: span ID" (EvidenceRef::source).
  std::string SpanSource(const Span& s) const;

  // Keeps `bytes` alive as long as the set (the readers' views point into it).
  void Own(std::unique_ptr<std::string> bytes) { buffers_.push_back(std::move(bytes)); }
  template <typename T>
  void OwnObject(std::shared_ptr<T> obj) {
    objects_.push_back(std::move(obj));
  }

 private:
  std::vector<std::unique_ptr<std::string>> buffers_;
  std::vector<std::shared_ptr<void>> objects_;
};

// 0..1: how sure it is that `head` (the start of a file) is a trace export, and which format
// (*format, when not null). A key scan, no parse: OTLP has "resourceSpans" or Tempo's "batches"
// with "scopeSpans"/"instrumentationLibrarySpans"; Jaeger has "traceID" with "spanID" and
// "operationName"; Zipkin is a JSON array of objects with "traceId" and "id" (and no
// "resourceSpans").
double ProbeTraceFile(std::string_view head, TraceFormat* format = nullptr);

// Reads one trace file into *set. Not a trace file, unreadable, or not JSON at all: an error
// naming the file (and byte offset); then nothing was added. A file that breaks off (truncated
// JSON) keeps the spans before the break and records an issue with the byte offset.
//
// With `only_id` (a trace id) and a JSON-lines file (one document per line, as the
// OpenTelemetry Collector's file exporter writes), only the lines that mention the id (in hex of
// either case, or base64) are parsed: the set holds the spans of those lines, the trace's among
// them. Other files are read whole.
Status ReadTraceFile(const std::string& path, SpanSet* set, std::string_view only_id = {});
// The same over bytes in memory (tests, fuzzers); `name` is used in messages. `force` reads the
// bytes as that format without probing them.
Status ReadTraceBytes(std::string_view name, std::string_view bytes, SpanSet* set,
                      TraceFormat force = TraceFormat::kUnknown);

// Reads every file; files that cannot be read are returned as errors (one per file) and the
// others are still read.
std::vector<Status> ReadTraceFiles(std::span<const std::string> paths, SpanSet* set,
                                   std::string_view only_id = {});

}  // namespace inquest

#endif  // INQUEST_TRACES_SPAN_SET_H_
