#include "analyze/profile_evidence.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "profile/flame_graph.h"
#include "profile/profile_findings.h"
#include "profile/profile_flame.h"
#include "profile/profile_read.h"
#include "profile/profile_top.h"
#include "profile/tracemalloc_snapshot.h"

namespace inquest {
namespace {

TimePoint ModificationTime(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  if (ec) return kNoTime;
  auto since = std::chrono::file_clock::to_sys(t).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since).count();
}

struct Loaded {
  size_t file = 0;
  TimePoint time = kNoTime;
  std::optional<profile::Profile> pprof;
  std::optional<profile::TracemallocSnapshot> snapshot;
};

// Profiles of one kind: pprof ones by their sample types, snapshots together.
std::string KindKey(const Loaded& l) {
  if (l.snapshot) return "tracemalloc";
  std::string key;
  for (const profile::ValueType& t : l.pprof->sample_types) key += t.type + "/" + t.unit + ";";
  return key;
}

// Adds a file's findings, placed at `at` when they carry no time of their own.
void Place(std::vector<Finding> fs, TimePoint at, StateFileResult* r, StateEvidence* out) {
  for (Finding& x : fs) {
    if (x.time == kNoTime) x.time = at;
    ++r->records;
    out->findings.push_back(std::move(x));
  }
}

void AddFlame(std::string title, const profile::FlameInput& in, StateEvidence* out) {
  Result<profile::FlameGraph> g = profile::RenderFlameGraph(in);
  if (g.ok()) out->flame_graphs.push_back({std::move(title), std::move(g->svg)});
}

// The default sample type's flame graph of `p` (minus `base` when given).
void AddProfileFlame(const std::string& title, const profile::Profile& p,
                     const profile::Profile* base, StateEvidence* out) {
  Result<size_t> type = profile::ChooseSampleType(p, "");
  if (!type.ok()) return;
  AddFlame(title, profile::ProfileFlameInput(p, *type, profile::Granularity::kFunctions, base),
           out);
}

}  // namespace

void ReadProfiles(const std::vector<StateFile>& files, bool flame_graphs, StateEvidence* out) {
  std::vector<Loaded> loaded;
  for (size_t i = 0; i < files.size(); ++i) {
    const StateFile& f = files[i];
    if (f.kind != EvidenceKind::kProfile) continue;
    Loaded l;
    l.file = i;
    if (f.format == "tracemalloc") {
      Result<profile::TracemallocSnapshot> s = profile::ReadTracemallocSnapshot(f.path);
      if (!s.ok()) {
        out->files[i].error = s.status();
        continue;
      }
      l.snapshot = std::move(*s);
    } else {
      Result<profile::Profile> p = profile::ReadProfile(f.path);
      if (!p.ok()) {
        out->files[i].error = p.status();
        continue;
      }
      l.pprof = std::move(*p);
      l.time = profile::ProfileTime(*l.pprof);
    }
    if (l.time == kNoTime) l.time = f.taken;
    if (l.time == kNoTime) l.time = ModificationTime(f.path);
    loaded.push_back(std::move(l));
  }
  std::map<std::string, std::vector<Loaded*>> kinds;
  for (Loaded& l : loaded) kinds[KindKey(l)].push_back(&l);
  for (auto& [key, group] : kinds) {
    std::sort(group.begin(), group.end(), [&](const Loaded* a, const Loaded* b) {
      if (a->time != b->time) return a->time < b->time;
      return files[a->file].relative < files[b->file].relative;
    });
    Loaded& last = *group.back();
    const StateFile& lf = files[last.file];
    if (last.snapshot) {
      Place(profile::TracemallocFindings(*last.snapshot, lf.relative), last.time,
            &out->files[last.file], out);
      if (flame_graphs)
        AddFlame("traced Python memory in " + lf.relative,
                 profile::TracemallocFlameInput(*last.snapshot), out);
    } else {
      Place(profile::ProfileFindings(*last.pprof, lf.relative), last.time, &out->files[last.file],
            out);
      if (flame_graphs) AddProfileFlame(lf.relative, *last.pprof, nullptr, out);
    }
    if (group.size() < 2) continue;
    Loaded& first = *group.front();
    const StateFile& ff = files[first.file];
    std::vector<Finding> growth =
        last.snapshot
            ? profile::TracemallocGrowthFindings(*last.snapshot, lf.relative, *first.snapshot,
                                                 ff.relative)
            : profile::ProfileGrowthFindings(*last.pprof, lf.relative, *first.pprof, ff.relative);
    for (Finding& g : growth) {
      if (g.time == kNoTime) g.time = first.time;
      if (g.end == kNoTime && last.time != g.time) g.end = last.time;
    }
    Place(std::move(growth), last.time, &out->files[last.file], out);
    if (flame_graphs && last.pprof)
      AddProfileFlame("growth from " + ff.relative + " to " + lf.relative, *last.pprof,
                      &*first.pprof, out);
  }
}

}  // namespace inquest
