// inquest timeline: the merged timeline of many logs, or one request rebuilt across them.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "analyze/state_records.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "logs/registry.h"
#include "timeline/correlate.h"
#include "timeline/log_clock_skew.h"
#include "timeline/log_set.h"
#include "timeline/merge.h"
#include "timeline/timeline_output.h"
#include "timeline/trace_events.h"
#include "traces/trace_analysis.h"
#include "traces/trace_set.h"

namespace inquest::cli {
namespace {

struct TimelineArgs {
  std::vector<std::string> inputs;
  std::string since, until, level, grep, grep_re, request, trace, slow_gap, skew_threshold;
  bool adjust_skew = false;
  std::vector<std::string> services, where;
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
  for (const std::string& w : a.where) INQ_RETURN_IF_ERROR(f->AddWhere(w));
  return Status::Ok();
}

// Bytes of a file's start read to tell a trace export from a log.
constexpr size_t kTraceProbeBytes = 64 << 10;

// Splits the inputs into trace exports (by content) and everything else.
void SplitTraceFiles(const std::vector<InputPath>& paths, std::vector<InputPath>* logs,
                     std::vector<std::string>* traces) {
  for (const InputPath& p : paths) {
    std::string head(kTraceProbeBytes, '\0');
    std::FILE* f = std::fopen(p.path.c_str(), "rb");
    size_t n = f ? std::fread(head.data(), 1, head.size(), f) : 0;
    if (f) std::fclose(f);
    head.resize(n);
    if (ProbeTraceFile(head) > 0)
      traces->push_back(p.path);
    else
      logs->push_back(p);
  }
}

// The spans of the request: the trace with the id, else the traces its log events name.
struct RequestSpans {
  TraceSet set;
  std::vector<Trace*> traces;
  std::vector<Event> events;
  Arena arena;
};

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

// Log-based clock skew over `files`: the lines for stderr (skewed hosts; with --adjust-skew
// also the hosts that could not be checked), and with --adjust-skew the events of skewed hosts
// moved onto their group's reference clock and each file put back in time order.
std::vector<std::string> CheckLogSkew(std::span<LogFile* const> files, bool adjust,
                                      int64_t threshold_ns, LogSkewReport* report) {
  std::vector<const Event*> all;
  std::vector<std::string> names;  // Event::file -> the clock of records that name no host
  for (const LogFile* f : files) {
    names.push_back(f->path);
    for (const Event& e : f->events) all.push_back(&e);
  }
  *report = EstimateLogSkew(all, threshold_ns, names);
  std::vector<std::string> out;
  for (const std::string& line : DescribeLogSkew(*report)) {
    if (!adjust && line.find(": clock unknown") != std::string::npos) continue;
    out.push_back("  log clock skew: " + line + (adjust ? "" : "; --adjust-skew moves it"));
  }
  if (!adjust) return out;
  size_t moved = 0;
  for (LogFile* f : files) {
    size_t n = AdjustLogSkew(*report, f->events, names);
    if (n == 0) continue;
    moved += n;
    std::stable_sort(f->events.begin(), f->events.end(),
                     [](const Event& x, const Event& y) { return x.time < y.time; });
  }
  if (moved)
    out.push_back(fmt::format("  moved {} by their hosts' log clock skew",
                              CountOf(moved, "record", "records")));
  return out;
}

int RunRequest(const TimelineArgs& a, const std::string& id, const std::vector<InputPath>& paths,
               const std::vector<std::string>& trace_files, const FormatRegistry& registry,
               const LoadOptions& opts, const EventFilter& filter, TimelineStyle style,
               int64_t slow_gap, int64_t skew_threshold) {
  std::vector<std::unique_ptr<IdScan>> scans;
  std::vector<std::string> notes;
  size_t without_id = 0;  // files read cleanly that hold no record with the id
  for (const InputPath& p : paths) {
    Result<std::unique_ptr<IdScan>> scan =
        ScanFileForId(p.path, static_cast<uint32_t>(scans.size()), id, registry, opts);
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
  // Log-based skew needs every request of the logs, not only this one: read them whole.
  if (a.adjust_skew && !paths.empty()) {
    Result<LogSet> all = LoadLogSet(paths, registry, opts);
    if (!all.ok()) return Fail("timeline", all.status());
    std::vector<LogFile*> files;
    for (auto& f : all->files) files.push_back(f.get());
    LogSkewReport skew;
    CheckLogSkew(files, false, skew_threshold, &skew);
    for (const std::string& line : DescribeLogSkew(skew))
      notes.push_back("  log clock skew: " + line);
    size_t moved = 0;
    for (auto& s : scans) {
      moved += AdjustLogSkew(skew, s->events, style.paths);
      std::stable_sort(s->events.begin(), s->events.end(),
                       [](const Event& x, const Event& y) { return x.time < y.time; });
    }
    if (moved)
      notes.push_back(fmt::format("  moved {} of the request by their hosts' log clock skew",
                                  CountOf(moved, "record", "records")));
  }
  // The request's spans: its trace (the id itself, or the trace ids its log events carry).
  RequestSpans spans;
  if (!trace_files.empty()) {
    spans.set = LoadTraceSet(trace_files);
    for (const Status& s : spans.set.file_errors) notes.push_back("  skipped " + s.ToString());
    std::vector<std::string> ids = {id};
    for (const auto& s : scans)
      for (const Event& e : s->events)
        if (!e.trace_id.empty() && std::find(ids.begin(), ids.end(), e.trace_id) == ids.end())
          ids.emplace_back(e.trace_id);
    for (const std::string& tid : ids)
      if (const Trace* t = FindTrace(spans.set.traces, tid))
        if (std::find(spans.traces.begin(), spans.traces.end(), t) == spans.traces.end())
          spans.traces.push_back(const_cast<Trace*>(t));
    uint32_t first_file = static_cast<uint32_t>(scans.size());
    for (const TraceFileInfo& f : spans.set.spans.files) style.paths.push_back(f.path);
    for (Trace* t : spans.traces) {
      TraceAnalysis an = AnalyzeTrace(spans.set.spans, t, a.adjust_skew);
      for (const HostPairSkew& hp : an.skew.pairs)
        notes.push_back(fmt::format("  trace {}: {} runs {} {} {} ({}){}", FormatTraceId(t->id),
                                    hp.child_host, SpanDuration(std::llabs(hp.estimate_ns)),
                                    hp.estimate_ns > 0 ? "behind" : "ahead of", hp.parent_host,
                                    CountOf(hp.spans, "span", "spans"),
                                    a.adjust_skew ? "" : "; --adjust-skew applies it"));
      if (a.adjust_skew) {
        // The same shift for the log lines of each moved host, so logs and spans share a clock.
        for (const auto& [host, delta] : HostShifts(spans.set.spans, *t, an.skew)) {
          size_t moved = 0;
          for (auto& s : scans)
            for (Event& e : s->events)
              if (e.time != kNoTime && SameClock(e, host)) {
                e.time += delta;
                ++moved;
              }
          notes.push_back(fmt::format("  moved host {} by {}{}: its spans and {}", host,
                                      delta > 0 ? "+" : "-", SpanDuration(std::llabs(delta)),
                                      CountOf(moved, "log line", "log lines")));
        }
      }
      SpanTimelineEvents(spans.set.spans, *t, first_file, &spans.arena, &spans.events);
    }
    if (spans.traces.empty())
      notes.push_back(fmt::format("  no trace in {} matches the request",
                                  CountOf(trace_files.size(), "trace file", "trace files")));
  }
  std::vector<std::span<const Event>> lists;
  for (const auto& s : scans) lists.emplace_back(s->events);
  // Spans sort by time like any file's records.
  std::stable_sort(spans.events.begin(), spans.events.end(),
                   [](const Event& x, const Event& y) { return x.time < y.time; });
  lists.emplace_back(spans.events);
  MergedTimeline merged = MergeEventLists(lists, filter);
  RequestTimeline req = BuildRequestTimeline(merged.events, id, slow_gap);
  // Log-versus-span skew: log lines of a host outside that host's spans.
  for (Trace* t : spans.traces) {
    std::vector<const Event*> logs;
    for (const RequestStep& st : req.steps)
      if (st.event->line != 0) logs.push_back(st.event);
    for (const HostLogSkew& h : LogSpanSkew(logs, spans.set.spans, *t))
      if (h.outside)
        notes.push_back(fmt::format(
            "  log-vs-span skew: {} of {} on {} fall outside its spans ({} .. {}); its log clock "
            "is about {} {}",
            h.outside, CountOf(h.logs, "log line", "log lines"), h.host,
            FormatTime(h.first_span, 3), FormatTime(h.last_span, 3),
            SpanDuration(std::llabs(h.estimate_ns)), h.estimate_ns < 0 ? "early" : "late"));
  }
  WriteTimeline(stdout, req.steps, style);

  std::string services;
  for (const std::string& s : req.services) services += (services.empty() ? "" : ", ") + s;
  if (req.steps.empty()) {
    fmt::print(stderr, "inquest timeline: no event carries request id '{}'\n", id);
  } else {
    fmt::print(stderr,
               "inquest timeline: request {}: {} event{} across {} service{} ({}) in {}; {} "
               "gap{} of {} or more\n",
               id, req.steps.size(), req.steps.size() == 1 ? "" : "s", req.services.size(),
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
  CLI::App app(
      "merge logs, changes, alerts, dumps and traces into one timeline; rebuild one request",
      "timeline");
  AddInputLimitFlags(app);
  TimelineArgs a;
  app.add_option("inputs", a.inputs, "log files or folders")->required();
  app.add_option("--since", a.since, "keep events at or after this time (RFC 3339, date, epoch)");
  app.add_option("--until", a.until, "keep events before this time");
  app.add_option("--service", a.services, "keep this service (repeatable)");
  app.add_option("--where", a.where,
                 "keep records where FIELD=VALUE, FIELD!=VALUE, FIELD>=NUMBER, level>=warn; "
                 "role=change (log, change, alert, page, ticket, chat, span) and kind=deploy "
                 "pick records by what they are (repeatable; all must hold)");
  app.add_option("--level", a.level, "minimum level: trace, debug, info, notice, warn, error");
  app.add_option("--grep", a.grep, "keep records containing this text");
  app.add_option("--grep-re", a.grep_re, "keep records matching this RE2 regular expression");
  app.add_option("--request", a.request,
                 "rebuild one request: every event carrying this id, with the gap before each");
  app.add_option("--trace", a.trace,
                 "rebuild one trace: its spans (from trace exports among the inputs) and every "
                 "log event carrying its id, on one clock");
  app.add_flag("--adjust-skew", a.adjust_skew,
               "shift hosts whose log clocks disagree with the order of the requests they share "
               "(and, with --trace/--request, with the trace's parent/child order), spans and "
               "log lines alike; each shift is listed");
  app.add_option("--skew-threshold", a.skew_threshold,
                 fmt::format("report log clocks off by more than this (default {})",
                             FormatDuration(kLogSkewThresholdNs)));
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
  int64_t skew_threshold = kLogSkewThresholdNs;
  if (!a.skew_threshold.empty()) {
    Result<int64_t> d = ParseDuration(a.skew_threshold);
    if (!d.ok()) return Fail("timeline", d.status());
    skew_threshold = *d;
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

  if (!a.request.empty() || !a.trace.empty()) {
    if (!a.request.empty() && !a.trace.empty())
      return Fail("timeline", Status::InvalidArgument("--request and --trace exclude each other"));
    style.show_gaps = true;
    std::vector<InputPath> logs;
    std::vector<std::string> traces;
    SplitTraceFiles(*paths, &logs, &traces);
    const std::string& id = a.request.empty() ? a.trace : a.request;
    style.hide_value = id;
    return RunRequest(a, id, logs, traces, registry, opts, filter, style, slow_gap, skew_threshold);
  }

  // Trace exports, dumps and cores among the inputs are records too: their verdicts.
  StateRecordReader state = StateRecords(opts.zone);
  Result<LogSet> set = LoadLogSet(*paths, registry, opts, 2, &state);
  if (!set.ok()) return Fail("timeline", set.status());
  for (const auto& f : set->files) style.paths.push_back(f->path);
  std::vector<LogFile*> mutable_files;
  for (auto& f : set->files) mutable_files.push_back(f.get());
  LogSkewReport skew;
  std::vector<std::string> skew_notes =
      CheckLogSkew(mutable_files, a.adjust_skew, skew_threshold, &skew);
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
  for (const std::string& n : skew_notes) fmt::print(stderr, "{}\n", n);
  return 0;
}

}  // namespace inquest::cli
