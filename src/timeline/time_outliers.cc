#include "timeline/time_outliers.h"

namespace inquest {

TimeBulk FindTimeBulk(const std::vector<TimePoint>& times, int64_t gap_ns, double max_share) {
  TimeBulk whole{0, times.size(), times.size()};
  if (times.size() < 2) return whole;
  TimeBulk best = whole;
  best.end = 0;
  size_t start = 0;
  for (size_t i = 1; i <= times.size(); ++i) {
    // Compared as a difference of sorted values: never negative, and no overflow when the
    // times sit at both ends of the range (a 1970 reset beside a year-9999 misread).
    bool cut =
        i == times.size() || static_cast<uint64_t>(times[i]) - static_cast<uint64_t>(times[i - 1]) >
                                 static_cast<uint64_t>(gap_ns);
    if (!cut) continue;
    if (i - start > best.end - best.begin) {
      best.begin = start;
      best.end = i;
    }
    start = i;
  }
  if (best.outliers() == 0) return whole;
  size_t bulk = best.end - best.begin;
  bool few = best.outliers() <= kOutliersAlwaysAllowed && best.outliers() < bulk;
  if (!few && static_cast<double>(best.outliers()) > max_share * static_cast<double>(times.size()))
    return whole;
  return best;
}

}  // namespace inquest
