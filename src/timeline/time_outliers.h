// Records dated far from all the others: a stray line from last year, a date read with the
// wrong century, a clock reset to 1970. They are evidence (counted and named by file and line),
// but they must not stretch an incident's windows over months.
//
//   std::vector<TimePoint> times = ...;   // sorted
//   TimeBulk b = FindTimeBulk(times);
//   for (size_t i = 0; i < times.size(); ++i) if (!b.Holds(i)) ...   // an outlier
//
// The sorted times are cut wherever two neighbours lie more than `gap_ns` apart; the piece
// with the most records is the bulk. The pieces outside it are outliers only when together
// they hold at most `max_share` of the records (or kOutliersAlwaysAllowed, when that is more
// and the bulk is larger still): two real bursts of activity days apart are both kept, and
// then nothing is left out.
#ifndef INQUEST_TIMELINE_TIME_OUTLIERS_H_
#define INQUEST_TIMELINE_TIME_OUTLIERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/time.h"

namespace inquest {

// Neighbours further apart than this start a new piece: an incident's evidence is hours long,
// and a day of silence between two records means one of them belongs elsewhere.
inline constexpr int64_t kOutlierGapNs = 24 * 3600 * kNanosPerSecond;
// The outliers together may hold at most this share of all records, or this many records in a
// small bundle (one stray line among fifty is still a stray), and always fewer than the bulk.
inline constexpr double kMaxOutlierShare = 0.01;
inline constexpr size_t kOutliersAlwaysAllowed = 3;

struct TimeBulk {
  size_t begin = 0, end = 0;  // [begin, end) of the sorted times: the bulk
  uint64_t total = 0;         // records in all
  uint64_t in_bulk = 0;       // records in [begin, end)
  bool Holds(size_t i) const { return i >= begin && i < end; }
  uint64_t outliers() const { return total - in_bulk; }
};

// `times` must be sorted. With nothing to leave out, the bulk is the whole input.
TimeBulk FindTimeBulk(const std::vector<TimePoint>& times, int64_t gap_ns = kOutlierGapNs,
                      double max_share = kMaxOutlierShare);
// The same over times that stand for `counts[i]` records each (the windows of a streaming
// count, sorted by time): begin and end index the windows, total and in_bulk count records.
TimeBulk FindTimeBulk(const std::vector<TimePoint>& times, const std::vector<uint64_t>& counts,
                      int64_t gap_ns = kOutlierGapNs, double max_share = kMaxOutlierShare);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_TIME_OUTLIERS_H_
