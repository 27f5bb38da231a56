#include "timeline/time_outliers.h"

namespace inquest {
namespace {

template <typename Weight>
TimeBulk Bulk(const std::vector<TimePoint>& times, Weight weight, int64_t gap_ns,
              double max_share) {
  TimeBulk whole{0, times.size(), 0, 0};
  for (size_t i = 0; i < times.size(); ++i) whole.total += weight(i);
  whole.in_bulk = whole.total;
  if (times.size() < 2) return whole;
  TimeBulk best = whole;
  best.end = 0;
  best.in_bulk = 0;
  size_t start = 0;
  uint64_t piece = weight(0);
  for (size_t i = 1; i <= times.size(); ++i) {
    // Compared as a difference of sorted values: never negative, and no overflow when the
    // times sit at both ends of the range (a 1970 reset beside a year-9999 misread).
    bool cut =
        i == times.size() || static_cast<uint64_t>(times[i]) - static_cast<uint64_t>(times[i - 1]) >
                                 static_cast<uint64_t>(gap_ns);
    if (!cut) {
      piece += weight(i);
      continue;
    }
    if (piece > best.in_bulk) {
      best.begin = start;
      best.end = i;
      best.in_bulk = piece;
    }
    start = i;
    piece = i < times.size() ? weight(i) : 0;
  }
  if (best.outliers() == 0) return whole;
  bool few = best.outliers() <= kOutliersAlwaysAllowed && best.outliers() < best.in_bulk;
  if (!few && static_cast<double>(best.outliers()) > max_share * static_cast<double>(best.total))
    return whole;
  return best;
}

}  // namespace

TimeBulk FindTimeBulk(const std::vector<TimePoint>& times, int64_t gap_ns, double max_share) {
  return Bulk(
      times, [](size_t) -> uint64_t { return 1; }, gap_ns, max_share);
}

TimeBulk FindTimeBulk(const std::vector<TimePoint>& times, const std::vector<uint64_t>& counts,
                      int64_t gap_ns, double max_share) {
  return Bulk(
      times, [&](size_t i) { return counts[i]; }, gap_ns, max_share);
}

}  // namespace inquest
