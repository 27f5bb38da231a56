// What the request table says about the incident: requests per window (the series the onset is
// found on when the logs carry request ids) and the impact over the incident's window. One rule
// for both: a request is a distinct request id placed at its first record; it failed when its
// last record (ties: the worst) is at error or above.
#ifndef INQUEST_ANALYZE_REQUEST_OUTCOMES_H_
#define INQUEST_ANALYZE_REQUEST_OUTCOMES_H_

#include <cstdint>
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

// Requests per window of `width_ns`, over the windows starting in [from, to) (kNoTime:
// unbounded); empty when the table is, or when the span needs more than kMaxSeriesWindows.
Result<Series> RequestSeries(const RequestTable& table, int64_t width_ns, TimePoint from = kNoTime,
                             TimePoint to = kNoTime);

// The impact of the requests whose first record lies in [from, to).
Result<Impact> MeasureImpact(const RequestTable& table, const std::vector<std::string>& file_names,
                             TimePoint from, TimePoint to);

// The same rule over events already loaded (tests, small inputs).
std::unique_ptr<RequestTable> RequestTableOf(const std::vector<const Event*>& events);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_REQUEST_OUTCOMES_H_
