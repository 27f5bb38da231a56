// inquest dump: read goroutine, Java thread, Python, hs_err and gdb dumps; verdicts first, then
// the detail of each file.
#include "dumps/dump.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/config.h"
#include "base/input_file.h"
#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "base/zone_table.h"
#include "cli/command.h"
#include "cli/common.h"
#include "dumps/dump_time.h"
#include "dumps/go/go_series.h"
#include "dumps/java/java_readers.h"
#include "dumps/similarity.h"
#include "dumps/wait_sites.h"
#include "evidence/sniff.h"

namespace inquest::cli {
namespace {

// A probe score below this is no claim at all: the file is not a dump inquest reads.
constexpr double kMinProbeScore = 0.5;

struct FileResult {
  std::string path;
  Status error;
  DumpAnalysis analysis;
  std::string bytes_note;  // the input's own warning (a truncated gzip)
  InputFile input = InputFile::FromString("", "");
};

const DumpReader* FindReader(std::string_view name) {
  for (const DumpReader& r : DumpReaders())
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<std::string_view> ReaderNames() {
  std::vector<std::string_view> names;
  for (const DumpReader& r : DumpReaders()) names.push_back(r.name);
  return names;
}

FileResult AnalyzeOne(const std::string& path, const DumpReader* forced,
                      const DumpOptions& options) {
  FileResult r;
  r.path = path;
  Result<InputFile> in = InputFile::Open(path);
  if (!in.ok()) {
    r.error = in.status();
    return r;
  }
  r.input = std::move(*in);
  if (!r.input.warning().ok()) r.bytes_note = r.input.warning().ToString();
  std::string_view bytes = r.input.data();
  const DumpReader* reader = forced;
  if (reader == nullptr) {
    std::string_view head = bytes.substr(0, kSniffHeadBytes);
    double best = 0;
    for (const DumpReader& candidate : DumpReaders()) {
      double score = candidate.probe(head);
      if (score > best) {
        best = score;
        reader = &candidate;
      }
    }
    if (best < kMinProbeScore) {
      r.error = Status::BadInput(
          "not a dump inquest reads (goroutine, Java thread, hs_err, Python or gdb); "
          "--kind forces a reader",
          SourceLocation{path, 1});
      return r;
    }
  }
  Result<DumpAnalysis> a = reader->analyze(path, bytes, options);
  if (!a.ok()) {
    r.error = a.status();
    return r;
  }
  r.analysis = std::move(*a);
  if (!r.bytes_note.empty()) r.analysis.diagnostics.push_back(r.bytes_note);
  SettleDumpTime(&r.analysis, options, r.input.mtime_ns());
  return r;
}

std::string_view SeverityWord(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "CRITICAL";
    case Severity::kError:
      return "ERROR";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kInfo:
      return "info";
  }
  return "info";
}

std::string TimeText(const DumpAnalysis& a) {
  if (a.time == kNoTime) return "time unknown";
  return fmt::format("taken {} ({})", FormatTime(a.time, 0), a.time_source);
}

void PrintVerdictsText(const std::vector<Finding>& verdicts, bool color) {
  for (const Finding& f : verdicts) {
    std::string word(SeverityWord(f.severity));
    if (color && f.severity >= Severity::kError)
      word = "\x1b[1;31m" + word + "\x1b[0m";
    else if (color && f.severity == Severity::kWarning)
      word = "\x1b[33m" + word + "\x1b[0m";
    fmt::print("  {} {}  ({:.0f}% sure)\n", word, SanitizeForTerminal(f.title), 100 * f.confidence);
    for (const EvidenceRef& e : f.evidence)
      fmt::print("      {}  {}\n", SanitizeForTerminal(e.source), SanitizeForTerminal(e.excerpt));
  }
}

void PrintText(const std::vector<FileResult>& results, const std::vector<Finding>& series,
               bool color) {
  for (const FileResult& r : results) {
    if (!r.error.ok()) continue;
    const DumpAnalysis& a = r.analysis;
    fmt::print("{}  {}, {}\n", SanitizeForTerminal(a.path), a.kind, TimeText(a));
    if (a.verdicts.empty()) fmt::print("  no verdict: nothing stuck, crashed or deadlocked\n");
    PrintVerdictsText(a.verdicts, color);
  }
  if (!series.empty()) {
    fmt::print("series of {} dumps\n", results.size());
    PrintVerdictsText(series, color);
  }
  for (const FileResult& r : results) {
    if (!r.error.ok()) continue;
    fmt::print("\n== {}\n", SanitizeForTerminal(r.analysis.path));
    fmt::print("{}", r.analysis.text);
  }
}

void PrintVerdictsMd(const std::vector<Finding>& verdicts) {
  if (verdicts.empty()) {
    fmt::print("No verdict: nothing stuck, crashed or deadlocked.\n");
    return;
  }
  for (const Finding& f : verdicts) {
    fmt::print("- **{}** {} ({:.0f}% sure)\n", SeverityName(f.severity), f.title,
               100 * f.confidence);
    for (const EvidenceRef& e : f.evidence)
      fmt::print("  - `{}` {}\n", e.source, MarkdownCell(e.excerpt));
  }
}

void PrintMd(const std::vector<FileResult>& results, const std::vector<Finding>& series) {
  fmt::print("# Dumps\n");
  for (const FileResult& r : results) {
    if (!r.error.ok()) continue;
    fmt::print("\n## {}\n\n{}, {}\n\n", r.analysis.path, r.analysis.kind, TimeText(r.analysis));
    PrintVerdictsMd(r.analysis.verdicts);
  }
  if (!series.empty()) {
    fmt::print("\n## Series of {} dumps\n\n", results.size());
    PrintVerdictsMd(series);
  }
  for (const FileResult& r : results) {
    if (!r.error.ok()) continue;
    fmt::print("\n## Detail: {}\n\n{}", r.analysis.path, r.analysis.markdown);
  }
}

void JsonFindings(JsonWriter& j, const std::vector<Finding>& verdicts) {
  j.BeginArray();
  for (const Finding& f : verdicts) {
    j.BeginObject().Field("kind", f.kind).Field("severity", SeverityName(f.severity));
    j.Field("title", f.title).Field("explanation", f.explanation);
    j.FieldDouble("confidence", f.confidence, 2).FieldTime("time", f.time, 9);
    j.Field("subject", f.subject).Key("evidence").BeginArray();
    for (const EvidenceRef& e : f.evidence)
      j.BeginObject().Field("source", e.source).Field("excerpt", e.excerpt).EndObject();
    j.EndArray().EndObject();
  }
  j.EndArray();
}

void PrintJson(const std::vector<FileResult>& results, const std::vector<Finding>& series) {
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Key("dumps").BeginArray();
  for (const FileResult& r : results) {
    if (!r.error.ok()) {
      j.BeginObject().Field("path", r.path).Field("error", r.error.ToString()).EndObject();
      continue;
    }
    const DumpAnalysis& a = r.analysis;
    j.BeginObject().Field("path", a.path).Field("kind", a.kind).FieldTime("time", a.time, 9);
    j.Field("time_source", a.time_source).Key("verdicts");
    JsonFindings(j, a.verdicts);
    j.Key("diagnostics").BeginArray();
    for (const std::string& d : a.diagnostics) j.String(d);
    j.EndArray().Key("detail");
    a.json.empty() ? j.Null() : j.Embed(a.json);
    j.EndObject();
  }
  j.EndArray().Key("series");
  JsonFindings(j, series);
  j.EndObject();
  EmitLine(j.Take());
}

}  // namespace

int RunDump(int argc, char** argv) {
  CLI::App app(
      "read goroutine, Java thread, Python, hs_err and gdb dumps: groups, deadlocks, "
      "verdict",
      "dump");
  AddInputLimitFlags(app);
  std::vector<std::string> files;
  FormatFlags format;
  std::string similarity = "ignore-wait", kind, bundle_time;
  size_t max_groups = DumpOptions().max_groups;
  ConfigFlags config;
  app.add_option("files", files, "dump files (several of one process: a series, in time order)");
  format.Add(app, /*with_log_format=*/false);
  config.Add(app);
  app.add_option("--similarity", similarity,
                 "how alike stacks must be to group: exact, ignore-args, ignore-wait (default)");
  app.add_option("--kind", kind,
                 "force a reader instead of detecting: go-goroutines, "
                 "java-threads, hs-err, python, gdb");
  app.add_option("--max-groups", max_groups, "groups shown per dump in text and md (default 20)");
  app.add_option("--time", bundle_time,
                 "when the dumps were taken, for dumps without a timestamp (default: the file's "
                 "modification time)");
  std::string assume_tz;
  app.add_option("--assume-tz", assume_tz,
                 "zone of dump times written without one, and the meaning of an ambiguous "
                 "abbreviation: UTC (default), +02:00, Europe/Paris, IST");
  if (std::optional<int> rc = ParseArgs(app, argc, argv)) return *rc;
  if (format.format != "text" && format.format != "json" && format.format != "md")
    return Fail("dump", Status::InvalidArgument(fmt::format(
                            "unknown --format '{}' (text, json or md)", format.format)));
  if (Status s = format.Resolve({}); !s.ok()) return Fail("dump", s);
  if (files.empty()) return Fail("dump", Status::InvalidArgument("no dump files given"));
  DumpOptions options;
  options.max_groups = max_groups;
  // [[wait_sites]] and [zones] of inquest.toml join the built-in tables.
  ConfigSearch search;
  search.explicit_path = config.path;
  Result<Config> cfg = LoadConfig(search);
  if (!cfg.ok()) return Fail("dump", cfg.status());
  Result<WaitSiteTable> wait_sites = WaitSiteTable::WithConfig(cfg->table, cfg->path);
  if (!wait_sites.ok()) return Fail("dump", wait_sites.status());
  options.wait_sites = &*wait_sites;
  // Zone abbreviations and Windows names: the built-in table plus the config's [zones], for
  // dump headers and --assume-tz alike.
  if (Status s = ZoneTable::ActivateWithConfig(cfg->table, cfg->path); !s.ok())
    return Fail("dump", s);
  options.zones = &ZoneTable::Active();
  std::optional<StackSimilarity> sim = ParseSimilarity(similarity);
  if (!sim)
    return Fail("dump",
                Status::InvalidArgument(fmt::format(
                    "unknown --similarity '{}' (exact, ignore-args, ignore-wait)", similarity)));
  options.similarity = *sim;
  std::optional<TimeZone> zone;
  if (!assume_tz.empty()) {
    Result<TimeZone> z = TimeZone::Parse(assume_tz);
    if (!z.ok()) return Fail("dump", z.status());
    zone = *z;
    options.zone = &*zone;
    if (!zone->note().empty()) fmt::print(stderr, "inquest dump: --assume-tz {}\n", zone->note());
  }
  if (!bundle_time.empty()) {
    TimeContext ctx;
    ctx.zone = options.zone;
    Result<TimePoint> t = ParseUserTime(bundle_time, ctx);
    if (!t.ok()) return Fail("dump", t.status());
    options.bundle_time = *t;
  }
  const DumpReader* forced = nullptr;
  if (!kind.empty()) {
    forced = FindReader(kind);
    if (forced == nullptr) {
      std::string_view guess = ClosestMatch(kind, ReaderNames());
      return Fail("dump", Status::InvalidArgument(
                              guess.empty() ? fmt::format("unknown --kind '{}'", kind)
                                            : fmt::format("unknown --kind '{}'. Did you mean '{}'?",
                                                          kind, guess)));
    }
  }

  std::vector<FileResult> results;
  bool any_error = false, deadlock = false;
  for (const std::string& f : files) {
    results.push_back(AnalyzeOne(f, forced, options));
    const FileResult& r = results.back();
    if (!r.error.ok()) {
      any_error = true;
      continue;
    }
    for (const Finding& v : r.analysis.verdicts) deadlock |= v.kind == "deadlock";
  }
  // Go dumps of one process read together say what grew between them.
  std::vector<Finding> series;
  {
    std::vector<GoSeriesInput> go;
    for (const FileResult& r : results)
      if (r.error.ok() && r.analysis.kind == "go-goroutines")
        go.push_back({r.analysis.path, r.input.data(), r.analysis.time});
    if (go.size() >= 2) series = GoSeriesVerdicts(go);
    // Java thread dumps of one JVM read together: stuck threads and a deadlock forming.
    std::vector<std::pair<std::string, std::string_view>> java;
    for (const FileResult& r : results)
      if (r.error.ok() && r.analysis.kind == "java-threads")
        java.emplace_back(r.analysis.path, r.input.data());
    if (java.size() >= 2) {
      Result<DumpAnalysis> s = AnalyzeJavaThreadDumpFiles(java, options);
      if (s.ok())
        for (Finding& f : s->verdicts)
          if (f.kind == "deadlock-forming" || f.kind == "stuck-threads") series.push_back(f);
    }
  }
  for (const FileResult& r : results) {
    if (!r.error.ok())
      fmt::print(stderr, "inquest dump: {}\n", r.error.ToString());
    else
      for (const std::string& d : r.analysis.diagnostics)
        fmt::print(stderr, "inquest dump: {}\n", SanitizeForTerminal(d));
  }
  switch (format.output) {
    case OutputFormat::kJson:
      PrintJson(results, series);
      break;
    case OutputFormat::kMd:
      PrintMd(results, series);
      break;
    case OutputFormat::kText:
      PrintText(results, series, UseColor(1));
      break;
  }
  if (any_error) return 3;
  return deadlock ? 1 : 0;
}

}  // namespace inquest::cli
