#include "profile/profile_findings.h"

#include <fmt/format.h>

#include <cstdlib>

#include "base/strings.h"
#include "profile/profile_math.h"
#include "profile/profile_top.h"
#include "profile/profile_units.h"
#include "profile/tracemalloc_output.h"
#include "profile/tracemalloc_stats.h"

namespace inquest::profile {
namespace {

// A profile of time (CPU or wall clock) rather than of memory or counts.
bool IsTime(const ValueType& t) {
  std::string unit = ScaleValue(1, t.unit, "auto").second;
  for (std::string_view u : {"ns", "us", "ms", "s", "hrs"})
    if (unit == u) return true;
  return t.type == "cpu" || t.type == "wall";
}

// A value of the profile's unit, as pprof would print it alone ("1.50MB", "29.74s", "1234").
std::string Value(int64_t v, const ValueType& t) { return ScaledLabel(v, t.unit, "auto"); }

std::string Share(int64_t part, int64_t whole) {
  return whole == 0 ? "0%"
                    : fmt::format("{:.0f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// The table row as evidence: "flat 28.61s (96%), cum 28.61s: math/big.addVV".
EvidenceRef RowEvidence(const std::string& source, const TopRow& r, int64_t total,
                        const ValueType& t) {
  return {source, fmt::format("flat {} ({}), cum {} ({}): {}", Value(r.flat, t),
                              Share(r.flat, total), Value(r.cum, t), Share(r.cum, total), r.name)};
}

// What kind of profile, in words: "CPU profile", "heap profile (inuse_space)".
std::string KindWords(const ValueType& t) {
  if (IsTime(t)) return "CPU profile";
  if (t.unit == "bytes" || t.type.find("space") != std::string::npos ||
      t.type.find("objects") != std::string::npos)
    return fmt::format("heap profile ({})", t.type);
  return fmt::format("{} profile", t.type);
}

int64_t Sum(const Profile& p, size_t type) {
  int64_t total = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) total = WrapAdd(total, p.Value(s, type));
  return total;
}

}  // namespace

TimePoint ProfileTime(const Profile& p) { return p.time_nanos != 0 ? p.time_nanos : kNoTime; }

std::vector<Finding> ProfileFindings(const Profile& p, const std::string& source) {
  Result<size_t> type = ChooseSampleType(p, "");
  if (!type.ok()) return {};
  const ValueType& t = p.sample_types[*type];
  TopTable table = ComputeTop(p, {.sample_type = *type, .node_fraction = 0, .max_rows = 1});
  Finding f;
  f.kind = "profile-top";
  f.time = ProfileTime(p);
  f.confidence = 0.9;
  std::string what = KindWords(t);
  if (table.rows.empty() || table.total == 0) {
    f.title = fmt::format("{} {}: no samples", what, source);
    f.evidence.push_back({source, p.format});
    return {f};
  }
  const TopRow& top = table.rows[0];
  double share = static_cast<double>(WrapAbs(top.flat)) / static_cast<double>(table.total);
  if (IsTime(t)) {
    std::string over =
        p.duration_nanos != 0
            ? fmt::format(" over {}", ScaledLabel(p.duration_nanos, "nanoseconds", "auto"))
            : "";
    f.title = fmt::format("CPU profile: {} of samples{}; {} of it in {}", Value(table.total, t),
                          over, Share(top.flat, table.total), top.name);
    f.severity = share >= kDominantShare ? Severity::kWarning : Severity::kInfo;
  } else {
    f.title =
        fmt::format("{}: {} in all; the largest site is {} ({}, {})", what, Value(table.total, t),
                    top.name, Value(top.flat, t), Share(top.flat, table.total));
  }
  f.explanation = fmt::format(
      "From `inquest heap {}` (the table of `go tool pprof -top`): the site's flat value is what "
      "its own frame held when the profile was taken; a profile samples, so small sites may be "
      "missing.",
      source);
  f.evidence.push_back(RowEvidence(source, top, table.total, t));
  f.subject = top.name;
  return {f};
}

std::vector<Finding> ProfileGrowthFindings(const Profile& now, const std::string& now_source,
                                           const Profile& old, const std::string& old_source) {
  Result<size_t> type = ChooseSampleType(now, "");
  if (!type.ok()) return {};
  const ValueType& t = now.sample_types[*type];
  int64_t growth = WrapAdd(Sum(now, *type), WrapNeg(Sum(old, *type)));
  int64_t before = Sum(old, *type);
  if (growth <= 0) return {};
  TopTable diff = ComputeTop(now, {.sample_type = *type, .node_fraction = 0, .max_rows = 1}, &old);
  Finding f;
  f.kind = "profile-growth";
  f.time = ProfileTime(old);
  f.end = ProfileTime(now);
  if (f.time == kNoTime) std::swap(f.time, f.end);
  f.confidence = 0.9;
  std::string where;
  if (!diff.rows.empty() && diff.rows[0].flat > 0) {
    const TopRow& top = diff.rows[0];
    where = fmt::format(", {} of the growth at {}", Share(top.flat, growth), top.name);
    f.subject = top.name;
    f.evidence.push_back(RowEvidence(now_source + " minus " + old_source, top, growth, t));
    if (static_cast<double>(top.flat) >= kDominantShare * static_cast<double>(growth))
      f.severity = Severity::kWarning;
  }
  f.title = fmt::format("{} grew from {} to {} (+{}) between {} and {}{}", t.type, Value(before, t),
                        Value(WrapAdd(before, growth), t), Value(growth, t), old_source, now_source,
                        where);
  f.explanation = fmt::format(
      "From `inquest heap {} --diff {}` (pprof's -diff_base): each site's growth is its flat "
      "value in the later profile minus the earlier one's.",
      now_source, old_source);
  f.evidence.push_back({old_source, fmt::format("{} in all", Value(before, t))});
  f.evidence.push_back({now_source, fmt::format("{} in all", Value(WrapAdd(before, growth), t))});
  return {f};
}

std::vector<Finding> TracemallocFindings(const TracemallocSnapshot& snap,
                                         const std::string& source) {
  Result<TracemallocStats> s = Statistics(snap, TraceGroup::kLineno, false);
  if (!s.ok()) return {};
  s->snapshot = source;
  Finding f;
  f.kind = "profile-top";
  f.confidence = 0.9;
  f.title = "tracemalloc snapshot: " + TracemallocHeadline(*s);
  f.explanation = fmt::format(
      "From `inquest heap {}` (tracemalloc's Snapshot.statistics('lineno')): memory allocated "
      "by Python and still held when the snapshot was taken, by the line that allocated it.",
      source);
  f.evidence.push_back({source, fmt::format("{} traces, {} traced", WithThousands(s->traces),
                                            HumanBytes(s->total_size))});
  return {f};
}

std::vector<Finding> TracemallocGrowthFindings(const TracemallocSnapshot& now,
                                               const std::string& now_source,
                                               const TracemallocSnapshot& old,
                                               const std::string& old_source) {
  Result<TracemallocStats> s = CompareTo(now, old, TraceGroup::kLineno, false);
  if (!s.ok() || s->total_size <= s->old_total_size) return {};
  s->snapshot = now_source;  // the bundle's names, not the paths as opened
  s->old_snapshot = old_source;
  Finding f;
  f.kind = "profile-growth";
  f.confidence = 0.9;
  f.title = TracemallocHeadline(*s);
  uint64_t growth = s->total_size - s->old_total_size;
  if (!s->rows.empty() && s->rows[0].size_diff > 0 &&
      static_cast<double>(s->rows[0].size_diff) >= kDominantShare * static_cast<double>(growth))
    f.severity = Severity::kWarning;
  f.explanation =
      fmt::format("From `inquest heap {} --diff {}` (tracemalloc's Snapshot.compare_to('lineno')).",
                  now_source, old_source);
  f.evidence.push_back({old_source, fmt::format("{} traced", HumanBytes(s->old_total_size))});
  f.evidence.push_back({now_source, fmt::format("{} traced", HumanBytes(s->total_size))});
  return {f};
}

}  // namespace inquest::profile
