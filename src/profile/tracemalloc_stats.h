// tracemalloc's statistics and snapshot comparison, with its exact semantics (Lib/tracemalloc.py
// Snapshot.statistics, Snapshot.compare_to, CPython 3.7 and later): the same groups, sizes,
// counts and order, so a row here is a row Python prints.
//
//   INQ_ASSIGN_OR_RETURN(TracemallocStats s, Statistics(snap, TraceGroup::kLineno, false));
//   for (const TracemallocStat& row : s.rows) ... row.frames[0].filename, row.size ...
//
// Grouping: kLineno by the most recent frame, kFilename by its file (line 0), kTraceback by the
// whole traceback. Cumulative mode (kLineno and kFilename only) counts a trace once for every
// frame of its traceback, a recursive frame as often as it appears, as tracemalloc does.
#ifndef INQUEST_PROFILE_TRACEMALLOC_STATS_H_
#define INQUEST_PROFILE_TRACEMALLOC_STATS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "profile/tracemalloc_snapshot.h"

namespace inquest::profile {

enum class TraceGroup { kLineno, kFilename, kTraceback };
// tracemalloc's key_type: "lineno", "filename", "traceback".
std::string_view TraceGroupName(TraceGroup g);

struct TracemallocKeyFrame {
  std::string_view filename;  // a view into a snapshot's filenames
  uint32_t lineno = 0;        // 0 when grouped by file
};

// One group: tracemalloc's Statistic, or StatisticDiff in a comparison.
struct TracemallocStat {
  // The group's key, most recent frame first (tracemalloc's Traceback lists them reversed,
  // oldest first): one frame unless grouped by traceback; none for a trace without frames.
  std::vector<TracemallocKeyFrame> frames;
  int64_t size = 0;        // bytes in the (newer) snapshot
  int64_t count = 0;       // memory blocks in the (newer) snapshot
  int64_t size_diff = 0;   // size - the older snapshot's, in a comparison
  int64_t count_diff = 0;  // count - the older snapshot's, in a comparison
};

// The rows in tracemalloc's order: by size, count, then key, largest first; a comparison by
// |size_diff|, size, |count_diff|, count, then key, largest first. The frames' filenames are
// views into the snapshots', valid while those live.
struct TracemallocStats {
  TraceGroup group = TraceGroup::kLineno;
  bool cumulative = false;
  bool is_diff = false;
  std::vector<TracemallocStat> rows;
  std::string snapshot;  // its file
  uint64_t traces = 0;
  uint64_t total_size = 0;  // bytes of all traces (each counted once, cumulative or not)
  int64_t traceback_limit = 0;
  // In a comparison, the older snapshot.
  std::string old_snapshot;
  uint64_t old_traces = 0;
  uint64_t old_total_size = 0;
};

// Snapshot.statistics(key_type, cumulative). InvalidArgument for cumulative kTraceback (which
// tracemalloc refuses too).
Result<TracemallocStats> Statistics(const TracemallocSnapshot& snap, TraceGroup group,
                                    bool cumulative);
// now.compare_to(old, key_type, cumulative): every group of either snapshot, those only in
// `old` with size and count 0. Both snapshots must outlive the result (its rows' filenames are
// views into either).
Result<TracemallocStats> CompareTo(const TracemallocSnapshot& now, const TracemallocSnapshot& old,
                                   TraceGroup group, bool cumulative);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_TRACEMALLOC_STATS_H_
