// Counting events in fixed windows: totals, errors, warnings, latency, grouped by a field.
// Works incrementally (Add one event at a time) so it can stream over files of any size and be
// merged across threads.
#ifndef INQUEST_TIMELINE_RATE_H_
#define INQUEST_TIMELINE_RATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/time.h"
#include "logs/event.h"

namespace inquest {

struct Window {
  TimePoint start = 0;
  uint64_t total = 0;
  uint64_t errors = 0;               // level >= error (an access log's 5xx is an error)
  uint64_t warnings = 0;             // level == warn (4xx)
  std::vector<double> latencies_ms;  // durations seen, for percentiles (bounded: reservoir)
  double error_ratio() const { return total ? static_cast<double>(errors) / total : 0; }
};

struct Series {
  std::string group;  // the --group-by value, or "" for all
  int64_t width_ns = 60 * kNanosPerSecond;
  std::vector<Window> windows;  // contiguous from the first to the last event, empty ones kept
};

// A duration in milliseconds from an event's attributes (duration_ms, latency, elapsed,
// request_time, took, time_taken, ...); false if none.
bool EventDurationMs(const Event& e, double* ms);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RATE_H_
