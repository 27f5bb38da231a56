// inquest rate: events per time window, grouped, with error ratio, latency and the onset.
#include "timeline/rate.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/common.h"
#include "logs/registry.h"
#include "timeline/file_scan.h"
#include "timeline/log_set.h"
#include "timeline/onset.h"
#include "timeline/rate_output.h"

namespace inquest::cli {

int RunRate(int argc, char** argv) {
  CLI::App app("count events per time window, grouped, with error ratio, latency and onset",
               "rate");
  AddInputLimitFlags(app);
  std::vector<std::string> inputs, where, services;
  std::string by = "1m", group_by, since, until;
  TimeFlags time;
  FormatFlags format;
  app.add_option("inputs", inputs, "log files or folders")->required();
  app.add_option("--by", by, "window width: 10s, 1m, 5m, 1h (default 1m)");
  app.add_option("--where", where,
                 "keep events where FIELD=VALUE, FIELD!=VALUE, FIELD>=NUMBER, level>=warn "
                 "(repeatable; all must hold)");
  app.add_option("--group-by", group_by,
                 "one series per value of this field (service, host, "
                 "level or any attribute), or per stack-trace signature (exception); a record "
                 "naming no service takes its file's, as in analyze and timeline");
  app.add_option("--service", services, "keep this service (repeatable)");
  app.add_option("--since", since, "keep events at or after this time");
  app.add_option("--until", until, "keep events before this time");
  ConfigFlags config;
  time.Add(app);
  format.Add(app);
  config.Add(app);
  if (auto code = ParseArgs(app, argc, argv)) return *code;

  FormatRegistry registry;
  FieldNames fields;
  if (Status s = config.ApplyLogs(&registry, &fields); !s.ok()) return Fail("rate", s);
  std::vector<std::string_view> names;
  for (const LogFormat* f : registry.formats()) names.push_back(f->name());
  if (Status s = time.Resolve(); !s.ok()) return Fail("rate", s);
  if (Status s = format.Resolve(names); !s.ok()) return Fail("rate", s);

  RateOptions opts;
  Result<int64_t> width = ParseDuration(by);
  if (!width.ok()) return Fail("rate", width.status());
  if (*width <= 0) return Fail("rate", Status::InvalidArgument("--by must be positive"));
  opts.width_ns = *width;
  opts.group_by = group_by;
  for (const std::string& w : where)
    if (Status s = opts.filter.AddWhere(w); !s.ok()) return Fail("rate", s);
  opts.filter.services = services;
  TimeContext tctx;
  tctx.zone = &*time.zone;
  if (!since.empty()) {
    Result<TimePoint> t = ParseUserTime(since, tctx);
    if (!t.ok()) return Fail("rate", t.status());
    opts.filter.since = *t;
  }
  if (!until.empty()) {
    Result<TimePoint> t = ParseUserTime(until, tctx);
    if (!t.ok()) return Fail("rate", t.status());
    opts.filter.until = *t;
  }

  LoadOptions load;
  load.zone = &*time.zone;
  load.year = time.year;
  load.fields = &fields;
  if (!format.log_format.empty()) load.format = registry.Find(format.log_format);

  Result<std::vector<InputPath>> paths = ExpandPaths(inputs);
  if (!paths.ok()) return Fail("rate", paths.status());
  Result<RateResult> r = ComputeRates(*paths, registry, load, opts, WorkerThreads(2));
  if (!r.ok()) return Fail("rate", r.status());

  Onset onset;
  if (!r->series.empty()) onset = DetectOnset(r->series[0]);
  TimelineFormat tf = format.output == OutputFormat::kJson ? TimelineFormat::kJson
                      : format.output == OutputFormat::kMd ? TimelineFormat::kMd
                                                           : TimelineFormat::kText;
  WriteRates(stdout, r->series, onset, group_by, tf);

  fmt::print(stderr, "inquest rate: {} events counted in windows of {}", r->counted,
             FormatDuration(opts.width_ns));
  if (r->filtered) fmt::print(stderr, ", {} left out by the filters", r->filtered);
  if (r->untimed) fmt::print(stderr, ", {} without any time (not counted)", r->untimed);
  fmt::print(stderr, "\n");
  for (const RateFileReport& f : r->files) {
    fmt::print(stderr, "  {}: {} ({:.2f}), {} records, {} lines\n", f.path, f.format, f.confidence,
               f.records, f.lines);
    if (f.malformed) {
      fmt::print(stderr, "    {} malformed lines skipped\n", f.malformed);
      for (size_t i = 0; i < f.samples.size() && i < 5; ++i)
        fmt::print(stderr, "      {}:{}: {}\n", f.path, f.samples[i].line, f.samples[i].reason);
    }
    if (f.without_time)
      fmt::print(stderr, "    {} records without a time, placed by their neighbours\n",
                 f.without_time);
    if (f.zone_assumed)
      fmt::print(stderr, "    {} times without a zone, taken as {} (--assume-tz)\n", f.zone_assumed,
                 time.assume_tz);
    if (f.year_used)
      fmt::print(stderr, "    times without a year: {} assumed ({}; set with --year)\n",
                 f.year_used, f.year_source);
    if (!f.warning.ok()) fmt::print(stderr, "    warning: {}\n", f.warning.ToString());
  }
  for (const std::string& s : r->skipped) fmt::print(stderr, "  skipped {}\n", s);
  for (const std::string& n : r->notes) fmt::print(stderr, "  note: {}\n", n);
  return 0;
}

}  // namespace inquest::cli
