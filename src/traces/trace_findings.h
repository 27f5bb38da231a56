// What the traces of an incident say, as Findings (evidence/finding.h) for `inquest analyze`:
//   - "slow-trace": the slowest traces that overlap the window, against their root operation's
//     median;
//   - "failing-trace": traces with error spans, the first error named;
//   - "trace-critical-path": where the time of the worst traces went (the critical path's
//     heaviest spans and services, with self time);
//   - "clock-skew": host pairs whose clocks disagree, with the estimated offset.
// Evidence points at spans as "path: byte N" with the span's id, service, name and duration as
// the excerpt.
#ifndef INQUEST_TRACES_TRACE_FINDINGS_H_
#define INQUEST_TRACES_TRACE_FINDINGS_H_

#include <vector>

#include "evidence/finding.h"
#include "traces/trace_set.h"

namespace inquest {

// Traces reported per kind (slow, failing); the worst one of each also gets a critical-path
// finding.
inline constexpr size_t kTraceFindingsPerKind = 3;
// A trace is "slow" only when it took at least this many times its root operation's median
// (when the operation has other traces to compare with): a slowest trace that is ordinary says
// nothing about the incident.
inline constexpr double kSlowTraceFactor = 2.0;

// Findings about the traces that overlap [window_start, window_end] (kNoTime on either side:
// unbounded).
std::vector<Finding> TraceFindings(const TraceSet& ts, TimePoint window_start,
                                   TimePoint window_end);

// Evidence for one span: "path: byte N" and "span ID service name 4.1s [error: message]".
EvidenceRef SpanEvidence(const SpanSet& set, const Span& s);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_FINDINGS_H_
