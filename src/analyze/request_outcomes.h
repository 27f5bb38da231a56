// What the request table says about the incident, from one pass over it: requests per window
// (the series the onset is found on when the logs carry request ids) and, per window, the files
// that logged the failures, so that the impact over any run of windows is a sum. One rule for
// both: a request is a distinct request id placed at its first record; it failed when its last
// record (ties: the worst) is at error or above.
#ifndef INQUEST_ANALYZE_REQUEST_OUTCOMES_H_
#define INQUEST_ANALYZE_REQUEST_OUTCOMES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyze/request_table.h"
#include "base/status.h"
#include "logs/event.h"
#include "timeline/rate.h"

namespace inquest {

struct Impact {
  bool known = false;  // false when no request ids were found
  TimePoint from = kNoTime, to = kNoTime;
  uint64_t failed = 0;  // distinct request ids whose outcome was an error
  uint64_t total = 0;   // distinct request ids placed in the window
  double ratio() const { return total ? static_cast<double>(failed) / total : 0; }
  std::string rule;  // how a request and a failure were counted
  // Failed requests per file that logged an error for them (a request counts once per file).
  std::vector<std::pair<std::string, uint64_t>> by_service;
};

struct RequestWindows {
  // Requests per window, placed at their first record; errors = the failed ones. Empty when
  // the table is, or when the span needs more than kMaxSeriesWindows.
  Series series;
  // Per window of `series`: failed requests per file index that logged an error for them.
  std::vector<std::map<uint32_t, uint64_t>> failed_by_file;
  bool any = false;  // the table held a request (even outside [from, to))
};

// One pass over the table: the requests whose first record starts a window in [from, to)
// (kNoTime: unbounded), in windows of `width_ns`; its shards on up to `threads` threads.
Result<RequestWindows> CountRequests(const RequestTable& table, int64_t width_ns,
                                     TimePoint from = kNoTime, TimePoint to = kNoTime,
                                     int threads = 1);

// The impact of the requests placed in [from, to): the windows starting there summed (the
// onset and the recovery are window starts).
Impact ImpactOver(const RequestWindows& w, const std::vector<std::string>& file_names,
                  TimePoint from, TimePoint to);

// A table of the events' requests by the same rule (tests, small inputs).
std::unique_ptr<RequestTable> RequestTableOf(const std::vector<const Event*>& events);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_REQUEST_OUTCOMES_H_
