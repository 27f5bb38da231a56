// Clock skew between hosts, seen in a trace: a child span on another host that starts before
// its parent or ends after it. The estimate and the adjustment are Jaeger's (its query
// service's clock-skew adjuster):
//   - walking down from each root, a span on a different host than its parent gets a delta;
//     its descendants on the same host carry that delta;
//   - the delta is 0 when the child already fits in the parent; when the child is shorter than
//     the parent it is centred in it (the network latency assumed equal both ways); when it is
//     longer (async work, or a parent that timed out) it is only moved so it does not start
//     before the parent;
//   - spans are shifted (start, end and events alike), never stretched;
//   - FOLLOWS_FROM children are never adjusted against their parent (the parent did not wait);
//   - a delta larger than the cap is not applied and is reported as such.
// Spans without host information are keyed by their service (one service, one clock), where
// Jaeger would compare every such span with its parent.
#ifndef INQUEST_TRACES_CLOCK_SKEW_H_
#define INQUEST_TRACES_CLOCK_SKEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "traces/trace_tree.h"

namespace inquest {

// Largest shift applied: NTP keeps hosts within milliseconds, and a drifting or unsynchronised
// clock is off by seconds to minutes; an offset past five minutes is a wrong time zone or a
// broken clock, which shifting spans would hide rather than correct. --max-skew overrides.
inline constexpr int64_t kMaxSkewAdjustmentNs = 5 * 60 * kNanosPerSecond;

struct SkewShift {
  uint32_t node = 0;
  int64_t delta_ns = 0;  // added to the span's times
  bool applied = false;  // false: over the cap (or the adjustment was not asked for)
  bool over_cap = false;
  std::string host, parent_host;  // the delta was estimated between these (empty if inherited)
};

struct HostPairSkew {
  std::string parent_host, child_host;
  int64_t estimate_ns = 0;  // median delta: how far child_host's clock is behind parent_host's
  int64_t min_ns = 0, max_ns = 0;
  uint32_t spans = 0;  // spans whose delta was estimated between this pair
};

struct SkewReport {
  std::vector<SkewShift> shifts;  // every span with a non-zero delta, in tree order
  std::vector<HostPairSkew> pairs;
  uint32_t violations = 0;  // cross-host children outside their parent before adjustment
};

// Estimates the skew of one trace; with `apply`, shifts the nodes' times (and refreshes the
// trace) for deltas within `max_delta_ns`.
SkewReport AdjustClockSkew(const SpanSet& set, Trace* t, bool apply,
                           int64_t max_delta_ns = kMaxSkewAdjustmentNs);

// The clock a span is read against: its host, else its service.
std::string_view HostKey(const Span& s);

}  // namespace inquest

#endif  // INQUEST_TRACES_CLOCK_SKEW_H_
