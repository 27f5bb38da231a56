// inquest analyze DIR: the main job. Detects every evidence file of an incident by content,
// runs the analysis (analyze/analysis.h) and writes findings.json, postmortem.md and
// report.html into OUT (default DIR/inquest-report/); prints a summary on stdout.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "analyze/draft.h"
#include "base/config.h"
#include "base/output.h"
#include "base/output_file.h"
#include "base/progress.h"
#include "base/strings.h"
#include "base/time.h"
#include "cli/command.h"
#include "cli/common.h"
#include "postmortem/draft_render.h"
#include "postmortem/sev_scale.h"
#include "report/findings_json.h"
#include "report/html_report.h"
#include "timeline/log_clock_skew.h"

namespace inquest::cli {
namespace {

namespace fs = std::filesystem;

// Findings listed in the stdout summary; the rest are in the files.
constexpr size_t kSummaryFindings = 10;
// Ranked changes listed in the summary.
constexpr size_t kSummaryChanges = 3;

std::string TakenFor(const InputReport& r) {
  if (r.kind == EvidenceKind::kDetection)
    return std::string(DetectionSourceName(r.detection)) + " records";
  return std::string(EvidenceKindName(r.kind));
}

void PrintSummary(const Analysis& a, const std::string& out_dir) {
  fmt::print("inputs ({} files):\n", a.inputs.size());
  size_t width = 0;
  for (const InputReport& r : a.inputs) width = std::max(width, r.relative.size());
  for (const InputReport& r : a.inputs) {
    std::string what = TakenFor(r);
    if (r.kind != EvidenceKind::kUnknown && !r.format.empty()) what += " (" + r.format + ")";
    fmt::print("  {:<{}}  {:<24} {:>6} records{}\n", SanitizeForTerminal(r.relative), width, what,
               r.records,
               !r.error.ok()                      ? ", error: " + r.error.message()
               : r.skipped                        ? fmt::format(", {} lines skipped", r.skipped)
               : r.kind == EvidenceKind::kUnknown ? "  (" + r.reason + ")"
                                                  : "");
  }
  if (a.onset.found) {
    fmt::print("onset:      {} ({} {:.1f}% -> peak {:.1f}%, confidence {:.0f}%)\n",
               FormatTime(a.onset.time, 0), a.onset.signal, a.onset.baseline * 100,
               a.onset.peak * 100, a.onset.confidence * 100);
    if (a.precise_onset != kNoTime)
      fmt::print("            first error at {}\n", FormatClock(a.precise_onset, 3));
    if (a.onset.recovery != kNoTime)
      fmt::print("recovery:   {} ({} after the onset)\n", FormatTime(a.onset.recovery, 0),
                 FormatDuration(a.onset.recovery - a.onset.time));
    else
      fmt::print("recovery:   not back at baseline by the end of the data\n");
  } else {
    fmt::print("onset:      not found ({})\n", a.onset.explanation);
  }
  if (a.impact.known && a.onset.found)
    fmt::print("impact:     {} of {} requests failed ({:.1f}%), each counted once\n",
               a.impact.failed, a.impact.total, a.impact.ratio() * 100);
  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    fmt::print("detection:  {} {} at {}, {} after the onset\n", SignalKindName(s.kind), s.name,
               FormatClock(s.time, 0), FormatDuration(a.time_to_detect_ns));
  }
  for (size_t i = 0; i < a.ranked.size() && i < kSummaryChanges; ++i) {
    const RankedChange& r = a.ranked[i];
    fmt::print("{}{}. {} {} (score {:.2f}, {})\n", i == 0 ? "changes:    " : "            ", i + 1,
               FormatClock(r.change.time, 3), SanitizeForTerminal(r.change.what), r.score,
               r.change.source);
    for (const ShippedChange& s : r.shipped)
      fmt::print("               shipped: {} ({}; {})\n", SanitizeForTerminal(s.what), s.source,
                 SanitizeForTerminal(s.link));
  }
  fmt::print("findings:   {} contributing-factor candidates\n", a.findings.size());
  for (size_t i = 0; i < a.findings.size() && i < kSummaryFindings; ++i) {
    const Finding& f = a.findings[i];
    fmt::print("  {:<17} {}\n", f.kind, SanitizeForTerminal(f.title));
  }
  fmt::print("wrote:      {}/findings.json, postmortem.md, report.html\n", out_dir);
}

}  // namespace

int RunAnalyze(int argc, char** argv) {
  CLI::App app(
      "the main job: read every evidence file of an incident, find the onset and what changed, "
      "write findings, a post-mortem draft and a report",
      "analyze");
  AddInputLimitFlags(app);
  std::string dir, out, config_path;
  bool quiet = false;
  int threads = kAnalysisThreads;
  TimeFlags time;
  app.add_option("dir", dir, "the incident's evidence folder (or one file)")->required();
  app.add_option("--out", out, "where to write the report (default: DIR/inquest-report)");
  app.add_option("--config", config_path, "inquest.toml to read (default: searched)");
  app.add_option("--threads", threads, "threads for reading files (default 2)")
      ->check(CLI::Range(1, 64));
  app.add_flag("-q,--quiet", quiet, "print nothing on success but the report folder");
  bool timings = false;
  app.add_flag("--timings", timings, "say on stderr how long each stage took");
  bool adjust_skew = false;
  std::string skew_threshold;
  app.add_flag("--adjust-skew", adjust_skew,
               "move hosts whose log clocks disagree with their shared requests onto their "
               "group's reference clock before the analysis");
  app.add_option("--skew-threshold", skew_threshold,
                 fmt::format("report log clocks off by more than this (default {})",
                             FormatDuration(kLogSkewThresholdNs)));
  std::string since, until, by;
  app.add_option("--since", since, "leave out log records before this time");
  app.add_option("--until", until, "leave out log records at or after this time");
  app.add_option("--by", by,
                 fmt::format("width of the windows for rates and the onset (default {})",
                             FormatDuration(kAnalysisWindowNs)));
  time.Add(app);
  if (std::optional<int> rc = ParseArgs(app, argc, argv)) return *rc;
  if (Status s = time.Resolve(); !s.ok()) return Fail("analyze", s);

  std::error_code ec;
  if (!fs::exists(dir, ec))
    return Fail("analyze", Status::NotFound(fmt::format("{}: no such folder", dir)));
  if (out.empty())
    out = (fs::is_directory(dir, ec) ? fs::path(dir) : fs::path(dir).parent_path()) /
          std::string(kDefaultReportDir);
  std::string out_dir = fs::path(out).lexically_normal().string();
  if (!out_dir.empty() && out_dir.back() == '/') out_dir.pop_back();

  AnalyzeOptions opts;
  opts.dir = dir;
  opts.skip_dirs.push_back(fs::absolute(out_dir, ec).string());
  opts.threads = threads;
  opts.zone = time.zone ? &*time.zone : nullptr;
  opts.year = time.year;
  opts.config_path = config_path;
  opts.adjust_skew = adjust_skew;
  opts.skew_threshold_ns = kLogSkewThresholdNs;
  if (!skew_threshold.empty()) {
    Result<int64_t> d = ParseDuration(skew_threshold);
    if (!d.ok()) return Fail("analyze", d.status());
    opts.skew_threshold_ns = *d;
  }
  TimeContext tctx;
  if (time.zone) tctx.zone = &*time.zone;
  for (auto [text, into] : {std::pair{&since, &opts.since}, std::pair{&until, &opts.until}}) {
    if (text->empty()) continue;
    Result<TimePoint> t = ParseUserTime(*text, tctx);
    if (!t.ok()) return Fail("analyze", t.status());
    *into = *t;
  }
  if (!by.empty()) {
    Result<int64_t> w = ParseDuration(by);
    if (!w.ok()) return Fail("analyze", w.status());
    if (*w <= 0) return Fail("analyze", Status::InvalidArgument("--by must be positive"));
    opts.window_ns = *w;
  }
  // The SEV scale the draft suggests a level from (inquest.toml [[sev]], else the primer's).
  Result<Config> cfg = LoadConfig({.explicit_path = config_path, .bundle_dir = dir});
  if (!cfg.ok()) return Fail("analyze", cfg.status());
  Result<SevScale> scale = SevScaleFromToml(cfg->table);
  if (!scale.ok()) return Fail("analyze", scale.status());

  Progress progress("analyzing", 0, {.time_stages = timings});
  Result<Analysis> result = AnalyzeBundle(opts, &progress);
  if (!result.ok()) return Fail("analyze", result.status());
  progress.SetStage("writing the report");
  const Analysis& a = *result;

  // The report folder is opened once and never through a link (base/output_file.h): by default
  // it lies inside the bundle, which strangers may have shaped.
  Result<OutputDir> report_dir = OutputDir::Open(out_dir);
  if (!report_dir.ok()) return Fail("analyze", report_dir.status());
  DraftModel draft = BuildDraft(a, *scale);
  for (const auto& [name, text] :
       {std::pair<std::string, Redacted>{"findings.json", FindingsJson(a, &draft)},
        {"postmortem.md", RedactText(RenderDraft(draft, *scale))},
        {"report.html", HtmlReport(a, &draft)}}) {
    // Each file passed the output boundary (base/output.h) as it was made.
    if (Status s = report_dir->Replace(name, text.view()); !s.ok()) return Fail("analyze", s);
  }
  progress.Finish();
  if (timings) fmt::print(stderr, "inquest analyze: timings: {}\n", progress.StageTimes());
  for (const InputReport& r : a.inputs) {
    if (!r.error.ok()) fmt::print(stderr, "inquest analyze: {}\n", r.error.ToString());
    for (const std::string& n : r.notes)
      fmt::print(stderr, "inquest analyze: {}: {}\n", r.relative, n);
    for (const ParseIssue& p : r.samples)
      fmt::print(stderr, "inquest analyze: {}:{}: {}\n", r.relative, p.line, p.reason);
    if (r.skipped > r.samples.size())
      fmt::print(stderr, "inquest analyze: {}: {} more lines skipped\n", r.relative,
                 r.skipped - r.samples.size());
  }
  for (const std::string& n : a.clock_notes) fmt::print(stderr, "inquest analyze: {}\n", n);
  if (!a.window_note.empty()) fmt::print(stderr, "inquest analyze: {}\n", a.window_note);
  if (quiet)
    fmt::print("{}\n", out_dir);
  else
    PrintSummary(a, out_dir);
  return 0;
}

}  // namespace inquest::cli
