#include "profile/tracemalloc_stats.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace inquest::profile {

namespace {

// A group's key inside one snapshot: a traceback index (kTraceback) or a frame packed as
// filename << 32 | lineno; kNoFrameKey for a trace without frames.
constexpr uint64_t kNoFrameKey = ~uint64_t{0};

uint64_t TmFrameKey(const TracemallocFrame& f, TraceGroup group) {
  return uint64_t{f.filename} << 32 | (group == TraceGroup::kFilename ? 0 : f.lineno);
}

// Python's comparison of two Traceback keys: their frame tuples oldest first, each frame
// (filename, lineno); filenames by code point, which is their UTF-8 bytes' order.
int TmCompareKeys(const std::vector<TracemallocKeyFrame>& a,
                  const std::vector<TracemallocKeyFrame>& b) {
  auto ia = a.rbegin(), ib = b.rbegin();
  for (; ia != a.rend() && ib != b.rend(); ++ia, ++ib) {
    if (int c = ia->filename.compare(ib->filename); c != 0) return c < 0 ? -1 : 1;
    if (ia->lineno != ib->lineno) return ia->lineno < ib->lineno ? -1 : 1;
  }
  if (ia == a.rend() && ib == b.rend()) return 0;
  return ia == a.rend() ? -1 : 1;
}

// Snapshot._group_by: the groups in no particular order.
std::vector<TracemallocStat> TmGroupTraces(const TracemallocSnapshot& snap, TraceGroup group,
                                           bool cumulative) {
  // Each distinct traceback's bytes and blocks first: then every group is a sum over
  // tracebacks, not over traces.
  std::vector<int64_t> tb_size(snap.tracebacks.size()), tb_count(snap.tracebacks.size());
  for (const TracemallocTrace& t : snap.traces) {
    tb_size[t.traceback] += static_cast<int64_t>(t.size);
    ++tb_count[t.traceback];
  }
  std::vector<TracemallocStat> rows;
  auto frames_of = [&](uint32_t tb) {
    const TracemallocTraceback& t = snap.tracebacks[tb];
    return std::span<const TracemallocFrame>(snap.frames).subspan(t.first, t.count);
  };
  auto key_frame = [&](const TracemallocFrame& f) {
    return TracemallocKeyFrame{snap.filenames[f.filename],
                               group == TraceGroup::kFilename ? 0 : f.lineno};
  };
  if (group == TraceGroup::kTraceback) {
    for (uint32_t tb = 0; tb < snap.tracebacks.size(); ++tb) {
      if (tb_count[tb] == 0) continue;
      TracemallocStat row;
      for (const TracemallocFrame& f : frames_of(tb)) row.frames.push_back(key_frame(f));
      row.size = tb_size[tb];
      row.count = tb_count[tb];
      rows.push_back(std::move(row));
    }
    return rows;
  }
  absl::flat_hash_map<uint64_t, size_t> index;
  auto add = [&](uint64_t key, const TracemallocFrame* f, int64_t size, int64_t count) {
    auto [it, fresh] = index.try_emplace(key, rows.size());
    if (fresh) {
      rows.emplace_back();
      if (f != nullptr) rows.back().frames.push_back(key_frame(*f));
    }
    rows[it->second].size += size;
    rows[it->second].count += count;
  };
  for (uint32_t tb = 0; tb < snap.tracebacks.size(); ++tb) {
    if (tb_count[tb] == 0) continue;
    std::span<const TracemallocFrame> frames = frames_of(tb);
    if (frames.empty()) {
      // tracemalloc itself fails on such a trace (traceback[0]); here it is its own group.
      add(kNoFrameKey, nullptr, tb_size[tb], tb_count[tb]);
    } else if (!cumulative) {
      add(TmFrameKey(frames[0], group), &frames[0], tb_size[tb], tb_count[tb]);
    } else {
      for (const TracemallocFrame& f : frames)
        add(TmFrameKey(f, group), &f, tb_size[tb], tb_count[tb]);
    }
  }
  return rows;
}

Status TmCheckGroup(TraceGroup group, bool cumulative) {
  if (cumulative && group == TraceGroup::kTraceback)
    return Status::InvalidArgument(
        "cumulative statistics group by line or by file, not by traceback (as in tracemalloc)");
  return Status::Ok();
}

TracemallocStats TmHeader(const TracemallocSnapshot& snap, TraceGroup group, bool cumulative) {
  TracemallocStats s;
  s.group = group;
  s.cumulative = cumulative;
  s.snapshot = snap.name;
  s.traces = snap.traces.size();
  s.total_size = snap.TotalSize();
  s.traceback_limit = snap.traceback_limit;
  return s;
}

// A key's frames as bytes, for matching groups across two snapshots.
std::string TmContentKey(const std::vector<TracemallocKeyFrame>& frames) {
  std::string key;
  for (const TracemallocKeyFrame& f : frames) {
    uint64_t n = f.filename.size();
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    key.append(f.filename);
    key.append(reinterpret_cast<const char*>(&f.lineno), sizeof f.lineno);
  }
  return key;
}

}  // namespace

std::string_view TraceGroupName(TraceGroup g) {
  switch (g) {
    case TraceGroup::kLineno:
      return "lineno";
    case TraceGroup::kFilename:
      return "filename";
    case TraceGroup::kTraceback:
      return "traceback";
  }
  return "lineno";
}

Result<TracemallocStats> Statistics(const TracemallocSnapshot& snap, TraceGroup group,
                                    bool cumulative) {
  INQ_RETURN_IF_ERROR(TmCheckGroup(group, cumulative));
  TracemallocStats s = TmHeader(snap, group, cumulative);
  s.rows = TmGroupTraces(snap, group, cumulative);
  // Statistic._sort_key, reversed.
  std::sort(s.rows.begin(), s.rows.end(), [](const TracemallocStat& a, const TracemallocStat& b) {
    if (a.size != b.size) return a.size > b.size;
    if (a.count != b.count) return a.count > b.count;
    return TmCompareKeys(a.frames, b.frames) > 0;
  });
  return s;
}

Result<TracemallocStats> CompareTo(const TracemallocSnapshot& now, const TracemallocSnapshot& old,
                                   TraceGroup group, bool cumulative) {
  INQ_RETURN_IF_ERROR(TmCheckGroup(group, cumulative));
  TracemallocStats s = TmHeader(now, group, cumulative);
  s.is_diff = true;
  s.old_snapshot = old.name;
  s.old_traces = old.traces.size();
  s.old_total_size = old.TotalSize();
  std::vector<TracemallocStat> old_rows = TmGroupTraces(old, group, cumulative);
  absl::flat_hash_map<std::string, size_t> old_index;
  for (size_t i = 0; i < old_rows.size(); ++i)
    old_index.emplace(TmContentKey(old_rows[i].frames), i);
  std::vector<bool> matched(old_rows.size());
  // _compare_grouped_stats: the new groups against the old ones, then the old ones left.
  s.rows = TmGroupTraces(now, group, cumulative);
  for (TracemallocStat& row : s.rows) {
    row.size_diff = row.size;
    row.count_diff = row.count;
    auto it = old_index.find(TmContentKey(row.frames));
    if (it == old_index.end()) continue;
    matched[it->second] = true;
    row.size_diff -= old_rows[it->second].size;
    row.count_diff -= old_rows[it->second].count;
  }
  for (size_t i = 0; i < old_rows.size(); ++i) {
    if (matched[i]) continue;
    TracemallocStat row = std::move(old_rows[i]);
    row.size_diff = -row.size;
    row.count_diff = -row.count;
    row.size = 0;
    row.count = 0;
    s.rows.push_back(std::move(row));
  }
  // StatisticDiff._sort_key, reversed.
  std::sort(s.rows.begin(), s.rows.end(), [](const TracemallocStat& a, const TracemallocStat& b) {
    if (std::llabs(a.size_diff) != std::llabs(b.size_diff))
      return std::llabs(a.size_diff) > std::llabs(b.size_diff);
    if (a.size != b.size) return a.size > b.size;
    if (std::llabs(a.count_diff) != std::llabs(b.count_diff))
      return std::llabs(a.count_diff) > std::llabs(b.count_diff);
    if (a.count != b.count) return a.count > b.count;
    return TmCompareKeys(a.frames, b.frames) > 0;
  });
  return s;
}

}  // namespace inquest::profile
