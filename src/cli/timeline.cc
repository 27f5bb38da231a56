// inquest timeline: the merged timeline of many logs, or one request rebuilt across them.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "logs/registry.h"
#include "timeline/correlate.h"
#include "timeline/log_set.h"
#include "timeline/merge.h"
#include "timeline/timeline_output.h"

namespace inquest::cli {
namespace {

struct TimelineArgs {
  std::vector<std::string> inputs;
  std::string since, until, level, grep, grep_re, request, slow_gap;
  std::vector<std::string> services;
  TimeFlags time;
  FormatFlags format;
  ConfigFlags config;
};

Status BuildFilter(const TimelineArgs& a, const TimeContext& tctx, EventFilter* f) {
  if (!a.since.empty()) {
    INQ_ASSIGN_OR_RETURN(f->since, ParseUserTime(a.since, tctx));
  }
  if (!a.until.empty()) {
    INQ_ASSIGN_OR_RETURN(f->until, ParseUserTime(a.until, tctx));
  }
  f->services = a.services;
  if (!a.level.empty()) {
    f->min_level = ParseLevel(a.level);
    if (f->min_level == Level::kUnknown)
      return Status::InvalidArgument(fmt::format(
          "unknown --level '{}' (trace, debug, info, notice, warn, error, fatal)", a.level));
  }
  f->grep = a.grep;
  if (!a.grep_re.empty()) INQ_RETURN_IF_ERROR(f->SetGrepRegex(a.grep_re));
  return Status::Ok();
}

TimelineFormat ToTimelineFormat(OutputFormat o) {
  switch (o) {
    case OutputFormat::kJson:
      return TimelineFormat::kJson;
    case OutputFormat::kMd:
      return TimelineFormat::kMd;
    case OutputFormat::kText:
      break;
  }
  return TimelineFormat::kText;
}

int RunRequest(const TimelineArgs& a, const std::vector<InputPath>& paths,
               const FormatRegistry& registry, const LoadOptions& opts, const EventFilter& filter,
               TimelineStyle style, int64_t slow_gap) {
  std::vector<std::unique_ptr<IdScan>> scans;
  std::vector<std::string> notes;
  size_t without_id = 0;  // files read cleanly that hold no record with the id
  for (const InputPath& p : paths) {
    Result<std::unique_ptr<IdScan>> scan =
        ScanFileForId(p.path, static_cast<uint32_t>(scans.size()), a.request, registry, opts);
    if (!scan.ok()) {
      if (p.from_dir && scan.status().code() == StatusCode::kBadInput) {
        notes.push_back(fmt::format("  skipped {}", scan.status().ToString()));
        continue;
      }
      return Fail("timeline", scan.status());
    }
    IdScan& s = **scan;
    // Only files that hold the id, or where something went wrong, are worth a line.
    FileNotes n;
    n.path = s.path;
    n.malformed = s.malformed;
    n.issues = &s.issues;
    for (const Event& e : s.events) n.zone_assumed += e.zone_assumed;
    n.zone = a.time.zone->name();
    if (!s.events.empty()) {
      n.year_used = s.year_used;
      n.year_source = s.year_source;
    }
    n.warning = s.input.warning();
    if (!s.events.empty() || s.not_token || !n.empty()) {
      std::string line = fmt::format(
          "  {}: {} ({:.2f}), {} the id", s.path, s.format ? s.format->name() : "-", s.confidence,
          s.events.size() == 1 ? std::string("1 record holds")
                               : CountOf(s.events.size(), "record", "records") + " hold");
      if (s.not_token) line += fmt::format(" ({} more hold it inside a longer token)", s.not_token);
      notes.push_back(line);
      AppendFileNotes(n, &notes);
    } else {
      ++without_id;
    }
    style.paths.push_back(s.path);
    scans.push_back(std::move(*scan));
  }
  std::vector<std::span<const Event>> lists;
  for (const auto& s : scans) lists.emplace_back(s->events);
  MergedTimeline merged = MergeEventLists(lists, filter);
  RequestTimeline req = BuildRequestTimeline(merged.events, a.request, slow_gap);
  WriteTimeline(stdout, req.steps, style);

  std::string services;
  for (const std::string& s : req.services) services += (services.empty() ? "" : ", ") + s;
  if (req.steps.empty()) {
    fmt::print(stderr, "inquest timeline: no event carries request id '{}'\n", a.request);
  } else {
    fmt::print(stderr,
               "inquest timeline: request {}: {} event{} across {} service{} ({}) in {}; {} "
               "gap{} of {} or more\n",
               a.request, req.steps.size(), req.steps.size() == 1 ? "" : "s", req.services.size(),
               req.services.size() == 1 ? "" : "s", services, FormatDuration(req.duration_ns()),
               req.slow_gaps(), req.slow_gaps() == 1 ? "" : "s", FormatDuration(slow_gap));
  }
  for (const std::string& n : notes) fmt::print(stderr, "{}\n", n);
  if (without_id)
    fmt::print(stderr, "  {} hold no record with the id\n",
               CountOf(without_id, "other file", "other files"));
  return 0;
}

}  // namespace

int RunTimeline(int argc, char** argv) {
  CLI::App app("merge the events of many logs into one timeline; rebuild one request", "timeline");
  TimelineArgs a;
  app.add_option("inputs", a.inputs, "log files or folders")->required();
  app.add_option("--since", a.since, "keep events at or after this time (RFC 3339, date, epoch)");
  app.add_option("--until", a.until, "keep events before this time");
  app.add_option("--service", a.services, "keep this service (repeatable)");
  app.add_option("--level", a.level, "minimum level: trace, debug, info, notice, warn, error");
  app.add_option("--grep", a.grep, "keep records containing this text");
  app.add_option("--grep-re", a.grep_re, "keep records matching this RE2 regular expression");
  app.add_option("--request", a.request,
                 "rebuild one request: every event carrying this id, with the gap before each");
  app.add_option(
      "--slow-gap", a.slow_gap,
      fmt::format("highlight gaps of at least this long (default {})", FormatDuration(kSlowGapNs)));
  a.time.Add(app);
  a.format.Add(app);
  a.config.Add(app);
  if (auto code = ParseArgs(app, argc, argv)) return *code;

  FormatRegistry registry;
  FieldNames fields;
  if (Status s = a.config.ApplyLogs(&registry, &fields); !s.ok()) return Fail("timeline", s);
  std::vector<std::string_view> names;
  for (const LogFormat* f : registry.formats()) names.push_back(f->name());
  if (Status s = a.time.Resolve(); !s.ok()) return Fail("timeline", s);
  if (Status s = a.format.Resolve(names); !s.ok()) return Fail("timeline", s);
  int64_t slow_gap = kSlowGapNs;
  if (!a.slow_gap.empty()) {
    Result<int64_t> d = ParseDuration(a.slow_gap);
    if (!d.ok()) return Fail("timeline", d.status());
    slow_gap = *d;
  }
  TimeContext tctx;
  tctx.zone = &*a.time.zone;
  EventFilter filter;
  if (Status s = BuildFilter(a, tctx, &filter); !s.ok()) return Fail("timeline", s);

  LoadOptions opts;
  opts.zone = &*a.time.zone;
  opts.year = a.time.year;
  opts.fields = &fields;
  if (!a.format.log_format.empty()) opts.format = registry.Find(a.format.log_format);

  Result<std::vector<InputPath>> paths = ExpandPaths(a.inputs);
  if (!paths.ok()) return Fail("timeline", paths.status());

  TimelineStyle style;
  style.format = ToTimelineFormat(a.format.output);
  style.color = style.format == TimelineFormat::kText && UseColor(1);
  style.width = TerminalWidth(1);
  style.hide_value = a.request;

  if (!a.request.empty()) {
    style.show_gaps = true;
    return RunRequest(a, *paths, registry, opts, filter, style, slow_gap);
  }

  Result<LogSet> set = LoadLogSet(*paths, registry, opts);
  if (!set.ok()) return Fail("timeline", set.status());
  for (const auto& f : set->files) style.paths.push_back(f->path);
  std::vector<const LogFile*> files = set->pointers();
  MergedTimeline merged = MergeEvents(files, filter);
  WriteEvents(stdout, merged.events, style);

  std::vector<std::string> summary = set->Summary();
  summary[0] += fmt::format(", {} shown", merged.events.size());
  for (size_t i = 0; i < merged.files.size(); ++i) {
    // The merge counts disorder itself; say so when the loader did not.
    if (merged.files[i].out_of_order && set->files[i]->stats.out_of_order == 0)
      summary.push_back(fmt::format("  {}: {} records out of time order (sorted)",
                                    set->files[i]->path, merged.files[i].out_of_order));
  }
  fmt::print(stderr, "inquest timeline: {}\n", summary[0]);
  for (size_t i = 1; i < summary.size(); ++i) fmt::print(stderr, "{}\n", summary[i]);
  return 0;
}

}  // namespace inquest::cli
