// Spans in the timeline: one trace's spans as timeline events (a start and an end event per
// span, the end carrying the duration and the error), merged with the log events of the same
// request on one clock; and the skew between a host's log lines and that host's spans.
//
//   std::vector<Event> ev;
//   SpanTimelineEvents(ts.spans, trace, first_file_index, &arena, &ev);
//   std::vector<HostLogSkew> skew = LogSpanSkew(request_logs, ts.spans, trace);
//
// Span events have line 0 and the span's byte offset (their source reads "file: byte N"); their
// `file` is first_file_index + the span's file index in the SpanSet.
#ifndef INQUEST_TIMELINE_TRACE_EVENTS_H_
#define INQUEST_TIMELINE_TRACE_EVENTS_H_

#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/arena.h"
#include "logs/event.h"
#include "traces/clock_skew.h"
#include "traces/trace_tree.h"

namespace inquest {

// Appends a start and an end event for every span of `t` (times as the trace's nodes hold them,
// so after a skew adjustment the adjusted times). Text is decoded into *arena.
void SpanTimelineEvents(const SpanSet& set, const Trace& t, uint32_t first_file_index, Arena* arena,
                        std::vector<Event>* out);

// Whether a log event comes from the clock a span is read against (clock_skew.h's HostKey): its
// host, or, when it names no host, its service.
bool SameClock(const Event& e, std::string_view host_key);

// The shift a skew adjustment gave each host (the median of its spans' applied deltas).
std::map<std::string, int64_t> HostShifts(const SpanSet& set, const Trace& t, const SkewReport& r);

// A log line this close outside its host's spans is not taken as skew: handlers log just
// before a span opens and just after it closes (and loggers flush later still), so gaps of a
// few milliseconds are ordinary, and a clock off by less cannot be told from them.
inline constexpr int64_t kLogSpanToleranceNs = 50 * kNanosPerMilli;

// Log lines of a request that fall outside the spans of their own host (by more than the
// tolerance).
struct HostLogSkew {
  std::string host;
  uint32_t logs = 0;        // log events of the request on this host
  uint32_t outside = 0;     // of them, before the host's first span starts or after its last ends
  int64_t estimate_ns = 0;  // median distance outside (negative: logs too early), 0 if none
  TimePoint first_span = kNoTime, last_span = kNoTime;
};

// Per host that has both spans in `t` and log events in `logs`.
std::vector<HostLogSkew> LogSpanSkew(std::span<const Event* const> logs, const SpanSet& set,
                                     const Trace& t);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_TRACE_EVENTS_H_
