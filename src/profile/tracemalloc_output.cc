#include "profile/tracemalloc_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest::profile {

namespace {

// Frames of a traceback key shown in text and Markdown (JSON lists them all).
constexpr size_t kTracemallocShownFrames = 8;

std::string TmWhere(const TracemallocKeyFrame& f, TraceGroup group) {
  std::string file = SanitizeForTerminal(f.filename);
  return group == TraceGroup::kFilename ? file : fmt::format("{}:{}", file, f.lineno);
}

std::string TmRowWhere(const TracemallocStat& row, TraceGroup group) {
  return row.frames.empty() ? std::string("<no frames>") : TmWhere(row.frames[0], group);
}

std::string TmSignedBytes(int64_t v) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  return (v < 0 ? "-" : "+") + HumanBytes(magnitude);
}

std::string TmSignedCount(int64_t v) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  return (v < 0 ? "-" : "+") + WithThousands(magnitude);
}

std::string TmShare(int64_t part, uint64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string TmAverage(const TracemallocStat& row) {
  return row.count == 0 ? std::string("-")
                        : HumanBytes(static_cast<uint64_t>(row.size / row.count));
}

std::string TmGroupNoun(const TracemallocStats& s) {
  switch (s.group) {
    case TraceGroup::kLineno:
      return "lines";
    case TraceGroup::kFilename:
      return "files";
    case TraceGroup::kTraceback:
      return "tracebacks";
  }
  return "groups";
}

size_t TmShown(const TracemallocStats& s, size_t top) {
  return top == 0 ? s.rows.size() : std::min(top, s.rows.size());
}

int64_t TmGrowth(const TracemallocStats& s) {
  return static_cast<int64_t>(s.total_size) - static_cast<int64_t>(s.old_total_size);
}

// "grew by 48.2 MiB <between>, 91% of it at cache.py:42" (the last part when one group holds
// a share of the growth: not in cumulative mode, where a block counts in several groups).
std::string TmGrowthPhrase(const TracemallocStats& s, std::string_view between) {
  int64_t growth = TmGrowth(s);
  if (growth == 0) return fmt::format("did not change in size {}", between);
  std::string phrase = fmt::format("{} by {} {}", growth > 0 ? "grew" : "shrank",
                                   HumanBytes(static_cast<uint64_t>(std::llabs(growth))), between);
  if (s.cumulative || s.rows.empty()) return phrase;
  const TracemallocStat& top = s.rows[0];
  if ((top.size_diff > 0) != (growth > 0) || top.size_diff == 0) return phrase;
  double share = static_cast<double>(top.size_diff) / static_cast<double>(growth);
  if (share > 1)
    return fmt::format("{}, {} at {} alone", phrase, TmSignedBytes(top.size_diff),
                       TmRowWhere(top, s.group));
  return fmt::format("{}, {:.0f}% of it at {}", phrase, 100 * share, TmRowWhere(top, s.group));
}

void TmAppendCallers(const TracemallocStat& row, std::string_view indent, std::string* out) {
  if (row.frames.size() < 2) return;
  size_t shown = std::min(row.frames.size(), kTracemallocShownFrames + 1);
  for (size_t i = 1; i < shown; ++i)
    *out += fmt::format("{}called from {}\n", indent, TmWhere(row.frames[i], TraceGroup::kLineno));
  if (row.frames.size() > shown)
    *out += fmt::format("{}... {} more frames\n", indent, row.frames.size() - shown);
}

std::string TmSummary(const TracemallocStats& s) {
  std::string out;
  if (!s.is_diff) {
    out += fmt::format("tracemalloc snapshot {}: {} traced in {} blocks", s.snapshot,
                       HumanBytes(s.total_size), WithThousands(s.traces));
  } else {
    out += fmt::format("tracemalloc: {} against {}\n", s.snapshot, s.old_snapshot);
    out +=
        fmt::format("Traced memory {} ({} in {} blocks -> {} in {} blocks)",
                    TmGrowthPhrase(s, "between the snapshots"), HumanBytes(s.old_total_size),
                    WithThousands(s.old_traces), HumanBytes(s.total_size), WithThousands(s.traces));
  }
  out += fmt::format("; traceback limit {} frames\n", s.traceback_limit);
  if (s.cumulative)
    out +=
        "cumulative: a block counts once for every frame of its traceback, so the sizes add "
        "up to more than the total\n";
  return out;
}

std::string TmHeading(const TracemallocStats& s, size_t top) {
  size_t shown = TmShown(s, top);
  return fmt::format("{} {} {} by {}{}", shown == s.rows.size() ? "All" : "Top", shown,
                     TmGroupNoun(s), s.is_diff ? "change in size" : "size",
                     shown == s.rows.size() ? "" : fmt::format(", of {}", s.rows.size()));
}

}  // namespace

std::string TracemallocText(const TracemallocStats& s, size_t top) {
  std::string out = TmSummary(s) + "\n" + TmHeading(s, top) + ":\n";
  size_t shown = TmShown(s, top);
  if (!s.is_diff) {
    out += fmt::format("  {:>10} {:>6} {:>12} {:>10}  {}\n", "size", "share", "blocks", "average",
                       "where");
    for (size_t i = 0; i < shown; ++i) {
      const TracemallocStat& r = s.rows[i];
      out += fmt::format("  {:>10} {:>6} {:>12} {:>10}  {}\n", HumanBytes(r.size),
                         TmShare(r.size, s.total_size), WithThousands(r.count), TmAverage(r),
                         TmRowWhere(r, s.group));
      TmAppendCallers(r, std::string(46, ' '), &out);
    }
  } else {
    out += fmt::format("  {:>11} {:>10} {:>10} {:>12}  {}\n", "change", "size", "blocks +/-",
                       "blocks", "where");
    for (size_t i = 0; i < shown; ++i) {
      const TracemallocStat& r = s.rows[i];
      out += fmt::format("  {:>11} {:>10} {:>10} {:>12}  {}\n", TmSignedBytes(r.size_diff),
                         HumanBytes(r.size), TmSignedCount(r.count_diff), WithThousands(r.count),
                         TmRowWhere(r, s.group));
      TmAppendCallers(r, std::string(50, ' '), &out);
    }
  }
  if (shown < s.rows.size())
    out += fmt::format("  ... {} more (--top 0 lists them all)\n", s.rows.size() - shown);
  return out;
}

std::string TracemallocMarkdown(const TracemallocStats& s, size_t top) {
  std::string out = "## Python memory (tracemalloc)\n\n";
  std::string summary = TmSummary(s);
  for (std::string_view line : Split(summary, '\n'))
    if (!line.empty()) out += fmt::format("{}  \n", line);
  out += fmt::format("\n{}:\n\n", TmHeading(s, top));
  out += s.is_diff ? "| change | size | blocks +/- | blocks | where |\n|---:|---:|---:|---:|---|\n"
                   : "| size | share | blocks | average | where |\n|---:|---:|---:|---:|---|\n";
  size_t shown = TmShown(s, top);
  for (size_t i = 0; i < shown; ++i) {
    const TracemallocStat& r = s.rows[i];
    std::string where = "`" + MarkdownCell(TmRowWhere(r, s.group)) + "`";
    for (size_t f = 1; f < std::min(r.frames.size(), kTracemallocShownFrames + 1); ++f)
      where += "<br>called from `" + MarkdownCell(TmWhere(r.frames[f], TraceGroup::kLineno)) + "`";
    if (s.is_diff)
      out += fmt::format("| {} | {} | {} | {} | {} |\n", TmSignedBytes(r.size_diff),
                         HumanBytes(r.size), TmSignedCount(r.count_diff), WithThousands(r.count),
                         where);
    else
      out +=
          fmt::format("| {} | {} | {} | {} | {} |\n", HumanBytes(r.size),
                      TmShare(r.size, s.total_size), WithThousands(r.count), TmAverage(r), where);
  }
  if (shown < s.rows.size()) out += fmt::format("\n{} more not shown.\n", s.rows.size() - shown);
  return out;
}

Redacted TracemallocJson(const TracemallocStats& s, size_t top) {
  JsonWriter w;
  w.BeginObject();
  w.Field("format", "tracemalloc").Field("kind", s.is_diff ? "comparison" : "statistics");
  w.Field("snapshot", s.snapshot);
  if (s.is_diff) w.Field("old_snapshot", s.old_snapshot);
  w.Field("group_by", TraceGroupName(s.group)).FieldBool("cumulative", s.cumulative);
  w.FieldInt("traceback_limit", s.traceback_limit);
  w.FieldUint("traces", s.traces).FieldUint("total_size", s.total_size);
  if (s.is_diff) {
    w.FieldUint("old_traces", s.old_traces).FieldUint("old_total_size", s.old_total_size);
    w.FieldInt("total_size_diff", TmGrowth(s));
  }
  w.FieldUint("groups", s.rows.size());
  w.Field("headline", TracemallocHeadline(s));
  w.Key("rows").BeginArray();
  size_t shown = TmShown(s, top);
  for (size_t i = 0; i < shown; ++i) {
    const TracemallocStat& r = s.rows[i];
    w.BeginObject();
    w.FieldInt("size", r.size).FieldInt("count", r.count);
    if (s.is_diff) w.FieldInt("size_diff", r.size_diff).FieldInt("count_diff", r.count_diff);
    if (r.count != 0)
      w.Key("average").Number(static_cast<double>(r.size) / static_cast<double>(r.count));
    if (s.total_size != 0)
      w.Key("share").Trimmed(static_cast<double>(r.size) / static_cast<double>(s.total_size), 4);
    w.Key("frames").BeginArray();
    for (const TracemallocKeyFrame& f : r.frames)
      w.BeginObject().Field("filename", f.filename).FieldUint("lineno", f.lineno).EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string TracemallocHeadline(const TracemallocStats& s) {
  if (s.is_diff)
    return "traced Python memory " +
           TmGrowthPhrase(s, fmt::format("between {} and {}", s.old_snapshot, s.snapshot));
  std::string line = fmt::format("{} of Python memory traced in {} blocks",
                                 HumanBytes(s.total_size), WithThousands(s.traces));
  if (s.rows.empty()) return line;
  const TracemallocStat& r = s.rows[0];
  return fmt::format("{}; the largest {} is {} ({}, {})", line,
                     s.group == TraceGroup::kFilename ? "file" : "site", TmRowWhere(r, s.group),
                     HumanBytes(r.size), TmShare(r.size, s.total_size));
}

}  // namespace inquest::profile
