// inquest changes: change records around a time, or ranked against the error onset.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "evidence/record_roles.h"
#include "evidence/sniff.h"
#include "logs/registry.h"
#include "timeline/change.h"
#include "timeline/file_scan.h"
#include "timeline/log_set.h"
#include "timeline/onset.h"
#include "timeline/rate.h"

namespace inquest::cli {
namespace {

// --around without --window: an hour either side covers the deploys of a working session.
constexpr std::string_view kDefaultAroundWindow = "1h";

void ChangeJson(JsonWriter& j, const Change& c, const RankedChange* r) {
  j.BeginObject().FieldTime("time", c.time, 0).Field("kind", ChangeKindName(c.kind));
  j.FieldOrNull("service", c.service).Field("what", c.what).FieldOrNull("ref", c.ref);
  j.FieldOrNull("rollout", c.rollout).Field("source", c.source);
  if (r) {
    j.FieldDouble("score", r->score, 3).Field("reason", r->reason);
    j.Key("shipped").BeginArray();
    for (const ShippedChange& s : r->shipped) {
      j.BeginObject().FieldTime("time", s.time, 0).Field("what", s.what).Field("ref", s.ref);
      j.Field("source", s.source).Field("link", s.link).EndObject();
    }
    j.EndArray();
  }
  j.EndObject();
}

void PrintChanges(const std::vector<RankedChange>& rows, bool ranked, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    JsonWriter j(JsonStyle::kLine);
    for (const RankedChange& r : rows) {
      ChangeJson(j, r.change, ranked ? &r : nullptr);
      EmitLine(j.Take());
    }
    return;
  }
  if (format == OutputFormat::kMd) {
    std::fputs(ranked ? "| rank | score | time (UTC) | kind | service | ref | what | why |\n"
                        "|---:|---:|---|---|---|---|---|---|\n"
                      : "| time (UTC) | kind | service | ref | what |\n|---|---|---|---|---|\n",
               stdout);
    for (size_t i = 0; i < rows.size(); ++i) {
      const Change& c = rows[i].change;
      std::string common =
          fmt::format("{} | {} | {} | {} | {}", FormatTime(c.time, 0), ChangeKindName(c.kind),
                      MarkdownCell(c.service), MarkdownCell(c.ref), MarkdownCell(c.what));
      if (ranked) {
        fmt::print("| {} | {:.2f} | {} | {} |\n", i + 1, rows[i].score, common,
                   MarkdownCell(rows[i].reason));
      } else {
        fmt::print("| {} |\n", common);
      }
    }
    return;
  }
  size_t svc_w = 7, kind_w = 4, ref_w = 3;
  for (const RankedChange& r : rows) {
    svc_w = std::max(svc_w, r.change.service.size());
    kind_w = std::max(kind_w, ChangeKindName(r.change.kind).size());
    ref_w = std::max(ref_w, r.change.ref.size());
  }
  svc_w = std::min<size_t>(svc_w, 24);
  ref_w = std::min<size_t>(ref_w, 28);
  if (ranked) fmt::print("{:>4}  {:>5}  ", "rank", "score");
  fmt::print("{:<20}  {:<{}}  {:<{}}  {:<{}}  {}\n", "time (UTC)", "kind", kind_w, "service", svc_w,
             "ref", ref_w, "what");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Change& c = rows[i].change;
    if (ranked) fmt::print("{:>4}  {:>5.2f}  ", i + 1, rows[i].score);
    fmt::print("{:<20}  {:<{}}  {:<{}}  {:<{}}  {}\n", FormatTime(c.time, 0),
               ChangeKindName(c.kind), kind_w, SanitizeForTerminal(c.service.substr(0, svc_w)),
               svc_w, SanitizeForTerminal(c.ref.substr(0, ref_w)), ref_w,
               SanitizeForTerminal(c.what));
    if (ranked) fmt::print("{:13}{}\n", "", rows[i].reason);
  }
}

// The user named the file, so its rows are listed; when they do not read as changes by their
// content (an application log, a ticket export), stderr says what they read as.
void WarnIfNotChanges(const std::string& path, std::string_view data) {
  std::string_view head = data.substr(0, std::min(data.size(), kSniffHeadBytes));
  double score = ProbeChanges(head);
  if (score >= kMinSniffScore) return;
  RecordRoles roles = ClassifyRecords(head);
  RoleVerdict best = roles.best();
  fmt::print(stderr,
             "inquest changes: {}: warning: only {:.0f}% of its first records read as changes "
             "(a time plus what changed){}\n",
             path, score * 100,
             roles.records == 0 || best.score == 0
                 ? std::string()
                 : fmt::format("; {:.0f}% read as {} records", best.score * 100,
                               RecordRoleName(best.role)));
}

}  // namespace

int RunChanges(int argc, char** argv) {
  CLI::App app("list change records around a time, or ranked against the error onset", "changes");
  AddInputLimitFlags(app);
  std::vector<std::string> inputs, logs;
  std::string around, window, onset_text, by = "1m";
  TimeFlags time;
  FormatFlags format;
  app.add_option("inputs", inputs, "change records: JSON lines, CSV or git log output")->required();
  app.add_option("--around", around, "list the changes near this time");
  app.add_option(
      "--window", window,
      fmt::format("how near, either side of --around (default {})", kDefaultAroundWindow));
  auto* onset_opt = app.add_option("--onset", onset_text, "rank the changes against this onset");
  app.add_option("--logs", logs, "detect the onset and the failing services from these logs")
      ->excludes(onset_opt);
  app.add_option("--by", by, "window width for the onset detection on --logs (default 1m)");
  time.Add(app);
  format.Add(app, /*with_log_format=*/false);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = time.Resolve(); !s.ok()) return Fail("changes", s);
  if (Status s = format.Resolve({}); !s.ok()) return Fail("changes", s);
  TimeContext tctx;
  tctx.zone = &*time.zone;
  tctx.default_year = time.year;

  std::vector<Change> changes;
  for (const std::string& path : inputs) {
    Result<InputFile> in = InputFile::Open(path);
    if (!in.ok()) return Fail("changes", in.status());
    IssueLog issues(path);
    Result<std::vector<Change>> read = ReadChanges(*in, tctx, &issues);
    if (!read.ok()) return Fail("changes", read.status());
    fmt::print(stderr, "inquest changes: {}: {} change records\n", path, read->size());
    WarnIfNotChanges(path, in->data());
    if (issues.count()) {
      fmt::print(stderr, "  {} records skipped\n", issues.count());
      for (size_t i = 0; i < issues.samples().size() && i < 5; ++i)
        fmt::print(stderr, "    {}:{}: {}\n", path, issues.samples()[i].line,
                   issues.samples()[i].reason);
    }
    changes.insert(changes.end(), read->begin(), read->end());
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });

  RankOptions rank;
  if (!onset_text.empty()) {
    Result<TimePoint> t = ParseUserTime(onset_text, tctx);
    if (!t.ok()) return Fail("changes", t.status());
    rank.onset = *t;
  } else if (!logs.empty()) {
    RateOptions ro;
    Result<int64_t> width = ParseDuration(by);
    if (!width.ok()) return Fail("changes", width.status());
    ro.width_ns = *width;
    ro.group_by = "service";
    FormatRegistry registry;
    LoadOptions load;
    load.zone = &*time.zone;
    load.year = time.year;
    Result<std::vector<InputPath>> paths = ExpandPaths(logs);
    if (!paths.ok()) return Fail("changes", paths.status());
    Result<RateResult> rates = ComputeRates(*paths, registry, load, ro, WorkerThreads(2));
    if (!rates.ok()) return Fail("changes", rates.status());
    Onset onset = rates->series.empty() ? Onset() : DetectOnset(rates->series[0]);
    if (!onset.found) {
      fmt::print(stderr, "inquest changes: no onset in the logs ({}); listing instead\n",
                 onset.explanation);
    } else {
      rank.onset = onset.time;
      rank.onset_window_ns = ro.width_ns;
      SetErrorServices(rates->series, onset.time, onset.recovery, &rank);
      fmt::print(stderr, "inquest changes: onset {} (confidence {:.2f}): {}\n",
                 FormatTime(onset.time, 0), onset.confidence, onset.explanation);
    }
  }

  std::vector<RankedChange> rows;
  bool ranked = rank.onset != kNoTime;
  if (ranked) {
    rows = RankChanges(changes, rank);
  } else {
    TimePoint at = kNoTime;
    int64_t half = 0;
    if (!around.empty()) {
      Result<TimePoint> t = ParseUserTime(around, tctx);
      if (!t.ok()) return Fail("changes", t.status());
      at = *t;
      Result<int64_t> w = ParseDuration(window.empty() ? kDefaultAroundWindow : window);
      if (!w.ok()) return Fail("changes", w.status());
      half = *w;
    }
    for (Change& c : ChangesAround(changes, at, half)) rows.push_back({std::move(c), 0, ""});
  }
  PrintChanges(rows, ranked, format.output);
  return 0;
}

}  // namespace inquest::cli
