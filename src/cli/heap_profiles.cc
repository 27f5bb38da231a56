// `inquest heap` on a pprof profile or a tracemalloc snapshot: the top table (pprof's numbers),
// a diff against an earlier one, or a flame graph.
#include "cli/heap_profiles.h"

#include <fmt/format.h>

#include "base/output.h"
#include "profile/flame_graph.h"
#include "profile/profile_flame.h"
#include "profile/profile_output.h"
#include "profile/profile_read.h"
#include "profile/profile_top.h"
#include "profile/tracemalloc_output.h"
#include "profile/tracemalloc_snapshot.h"
#include "profile/tracemalloc_stats.h"

namespace inquest::cli {
namespace {

Result<profile::Granularity> PprofGranularity(const std::string& by) {
  if (by.empty() || by == "function") return profile::Granularity::kFunctions;
  if (by == "line") return profile::Granularity::kLines;
  if (by == "file") return profile::Granularity::kFiles;
  return Status::InvalidArgument(
      fmt::format("--by {} does not apply to a pprof profile: function, line or file", by));
}

Result<profile::TraceGroup> TracemallocGroup(const std::string& by) {
  if (by.empty() || by == "line") return profile::TraceGroup::kLineno;
  if (by == "file") return profile::TraceGroup::kFilename;
  if (by == "traceback") return profile::TraceGroup::kTraceback;
  return Status::InvalidArgument(
      fmt::format("--by {} does not apply to a tracemalloc snapshot: line, file or traceback", by));
}

size_t TracemallocTop(const ProfileFlags& f) {
  return f.top.value_or(profile::kDefaultTracemallocTop);
}

Status PrintFlame(const profile::FlameInput& in) {
  INQ_ASSIGN_OR_RETURN(profile::FlameGraph g, profile::RenderFlameGraph(in));
  fmt::print("{}", g.svg);
  return Status::Ok();
}

Status PprofReport(const std::string& path, const ProfileFlags& f) {
  INQ_ASSIGN_OR_RETURN(profile::Granularity by, PprofGranularity(f.by));
  if (f.cumulative)
    return Status::InvalidArgument(
        "--cumulative is for tracemalloc snapshots; --sort cum orders "
        "a pprof table by cumulative value");
  INQ_ASSIGN_OR_RETURN(profile::Profile p, profile::ReadProfile(path));
  std::optional<profile::Profile> base;
  if (!f.diff.empty()) {
    INQ_ASSIGN_OR_RETURN(base, profile::ReadProfile(f.diff));
    INQ_RETURN_IF_ERROR(profile::CheckComparable(p, *base));
  }
  INQ_ASSIGN_OR_RETURN(size_t type, profile::ChooseSampleType(p, f.sample));
  const profile::Profile* b = base ? &*base : nullptr;
  if (f.svg) return PrintFlame(profile::ProfileFlameInput(p, type, by, b));
  profile::TopTable table = profile::ComputeTop(
      p, {type, by, f.sort_by_cum, f.node_fraction, f.top.value_or(0) ? *f.top : SIZE_MAX}, b);
  profile::TopView view{&p, &table, b};
  switch (f.output) {
    case OutputFormat::kJson:
      Emit(profile::TopJson(view));
      break;
    case OutputFormat::kMd:
      fmt::print("{}", profile::TopMarkdown(view));
      break;
    case OutputFormat::kText:
      fmt::print("{}", profile::TopText(view));
      break;
  }
  return Status::Ok();
}

Status TracemallocReport(const std::string& path, const ProfileFlags& f) {
  INQ_ASSIGN_OR_RETURN(profile::TraceGroup group, TracemallocGroup(f.by));
  if (!f.sample.empty() || f.sort_by_cum)
    return Status::InvalidArgument("--sample and --sort are for pprof profiles");
  INQ_ASSIGN_OR_RETURN(profile::TracemallocSnapshot now, profile::ReadTracemallocSnapshot(path));
  if (f.svg) {
    if (!f.diff.empty())
      return Status::InvalidArgument("--format svg draws one snapshot; leave out --diff");
    return PrintFlame(profile::TracemallocFlameInput(now));
  }
  profile::TracemallocStats stats;
  std::optional<profile::TracemallocSnapshot> old;
  if (!f.diff.empty()) {
    INQ_ASSIGN_OR_RETURN(old, profile::ReadTracemallocSnapshot(f.diff));
    INQ_ASSIGN_OR_RETURN(stats, profile::CompareTo(now, *old, group, f.cumulative));
  } else {
    INQ_ASSIGN_OR_RETURN(stats, profile::Statistics(now, group, f.cumulative));
  }
  switch (f.output) {
    case OutputFormat::kJson:
      Emit(profile::TracemallocJson(stats, TracemallocTop(f)));
      break;
    case OutputFormat::kMd:
      fmt::print("{}", profile::TracemallocMarkdown(stats, TracemallocTop(f)));
      break;
    case OutputFormat::kText:
      fmt::print("{}", profile::TracemallocText(stats, TracemallocTop(f)));
      break;
  }
  return Status::Ok();
}

}  // namespace

int RunPprofReport(const std::string& path, const ProfileFlags& f) {
  Status s = PprofReport(path, f);
  return s.ok() ? 0 : Fail("heap", s);
}

int RunTracemallocReport(const std::string& path, const ProfileFlags& f) {
  Status s = TracemallocReport(path, f);
  return s.ok() ? 0 : Fail("heap", s);
}

}  // namespace inquest::cli
