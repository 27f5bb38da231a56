// Several goroutine dumps of one process, in time order: the stacks whose goroutine count grew
// from dump to dump (a leak in progress, which one dump can only suspect).
//
//   std::vector<Finding> v = GoSeriesVerdicts({{"a.txt", bytes_a, t_a}, {"b.txt", bytes_b, t_b}});
#ifndef INQUEST_DUMPS_GO_GO_SERIES_H_
#define INQUEST_DUMPS_GO_GO_SERIES_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "dumps/dump.h"
#include "evidence/finding.h"

namespace inquest {

struct GoSeriesInput {
  std::string path;
  std::string_view bytes;  // the whole dump
  TimePoint time = kNoTime;
};

// A stack is reported when its count rose in every step and ended at least this high: fewer
// goroutines growing is noise of a busy service.
inline constexpr uint64_t kSeriesMinFinalCount = 10;

// Inputs are put in time order when all have a time, else kept in the order given. Stacks are
// matched on state, first frame of the program's own code and created-by function (SIGQUIT and
// pprof dumps of one goroutine differ in their runtime frames); arguments and wait times never take
// part.
std::vector<Finding> GoSeriesVerdicts(std::vector<GoSeriesInput> inputs);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GO_SERIES_H_
