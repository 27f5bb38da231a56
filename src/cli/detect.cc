// inquest detect: what kind of evidence each file is, in which log format, and how sure.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "analyze/evidence_probes.h"
#include "base/config.h"
#include "base/input_file.h"
#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "evidence/sniff.h"
#include "logs/layout.h"
#include "logs/registry.h"
#include "logs/user_format.h"
#include "timeline/change.h"

namespace inquest::cli {
namespace {

// Runner-up formats shown with --verbose.
constexpr size_t kRunnersUp = 4;

struct FileReport {
  std::string path;
  Sniffed sniffed;
  Detection detection;  // the log probe's full ranking
  uint64_t lines = 0;
  Status error;
};

uint64_t CountLines(std::string_view data) {
  uint64_t n = static_cast<uint64_t>(std::count(data.begin(), data.end(), '\n'));
  return n + (!data.empty() && data.back() != '\n');
}

// The head of a file that detection looks at: whole lines only, so the last one is not cut.
std::string_view HeadOf(std::string_view data) {
  if (data.size() <= kSniffHeadBytes) return data;
  std::string_view head = data.substr(0, kSniffHeadBytes);
  if (size_t nl = head.rfind('\n'); nl != std::string_view::npos) head = head.substr(0, nl + 1);
  return head;
}

FileReport DetectOne(const std::string& path, const FormatRegistry& registry,
                     const ParseContext& ctx) {
  FileReport r;
  r.path = path;
  Result<InputFile> in = InputFile::Open(path);
  if (!in.ok()) {
    r.error = in.status();
    return r;
  }
  std::string_view data = in->data();
  r.lines = CountLines(data);
  std::string_view head = HeadOf(data);
  r.detection = registry.Detect(head, ctx);
  SniffProbes probes;
  probes.log = [&](std::string_view) {
    LogGuess g;
    if (r.detection.format) {
      g.format = std::string(r.detection.format->name());
      g.score = r.detection.score;
    }
    return g;
  };
  probes.changes = [](std::string_view h) { return ProbeChanges(h); };
  static const std::vector<KindProbe> kDedicated = DedicatedProbes();
  probes.others = kDedicated;
  r.sniffed = SniffEvidence(path, head, probes);
  return r;
}

// A [formats.NAME] key from a file name: its stem, with anything but letters, digits, '-' and
// '_' replaced.
std::string FormatNameFor(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  for (char& c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return stem.empty() ? std::string("inferred") : stem;
}

// Prints the layout inferred from the file's first lines as an inquest.toml user format.
Status EmitFormat(const std::string& path, const ParseContext& ctx) {
  INQ_ASSIGN_OR_RETURN(InputFile in, InputFile::Open(path));
  std::vector<std::string_view> lines = HeadLines(HeadOf(in.data()), kProbeLines);
  Result<InferredLayout> layout = InferLayout(lines, ctx.time);
  if (!layout.ok()) return Status::BadInput(layout.status().message(), SourceLocation{path});
  fmt::print("# {}\n{}\n", path, LayoutAsUserFormat(*layout, FormatNameFor(path)));
  return Status::Ok();
}

std::string TakenFor(const FileReport& r) {
  return TakenForName(r.sniffed.kind, r.sniffed.detection);
}

std::string FormatColumn(const FileReport& r) {
  return r.sniffed.format.empty() ? "-" : r.sniffed.format;
}

void PrintText(const std::vector<FileReport>& reports, bool verbose) {
  // Column widths come from the rows, so that no value pushes the columns after it.
  size_t path_w = 0, kind_w = 0, format_w = 0;
  for (const FileReport& r : reports) {
    path_w = std::max(path_w, r.path.size());
    if (!r.error.ok()) continue;
    kind_w = std::max(kind_w, TakenFor(r).size());
    format_w = std::max(format_w, FormatColumn(r).size());
  }
  for (const FileReport& r : reports) {
    if (!r.error.ok()) {
      fmt::print("{:<{}}  error: {}\n", r.path, path_w, r.error.message());
      continue;
    }
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {:>4.0f}%  {} lines\n", r.path, path_w, TakenFor(r), kind_w,
               FormatColumn(r), format_w, 100 * r.sniffed.confidence, r.lines);
    if (!r.sniffed.runner_up.empty())
      fmt::print("    could also be {} ({:.0f}%)\n", r.sniffed.runner_up,
                 100 * r.sniffed.runner_up_score);
    if (r.detection.format && r.detection.format->name() == "inferred")
      fmt::print("    {}\n", r.detection.format->description());
    if (verbose) {
      if (!r.detection.inference.empty() &&
          !(r.detection.format && r.detection.format->name() == "inferred"))
        fmt::print("    layout: {}\n", r.detection.inference);
      if (!r.sniffed.reason.empty()) fmt::print("    why: {}\n", r.sniffed.reason);
      size_t shown = 0;
      for (const auto& [f, score] : r.detection.ranked) {
        if (shown++ > kRunnersUp) break;
        fmt::print("    {:<16} {:>4.0f}%\n", f->name(), 100 * score);
      }
      fmt::print("    ({} lines probed)\n", r.detection.lines_probed);
    }
  }
}

void PrintJson(const std::vector<FileReport>& reports) {
  JsonWriter j(JsonStyle::kCompact);
  for (const FileReport& r : reports) {
    j.BeginObject().Field("path", r.path);
    if (!r.error.ok()) {
      j.Field("error", r.error.message()).EndObject();
      EmitLine(j.Take());
      continue;
    }
    j.Field("kind", EvidenceKindName(r.sniffed.kind)).Field("taken_for", TakenFor(r));
    j.Field("format", r.sniffed.format).FieldDouble("confidence", r.sniffed.confidence, 3);
    j.FieldUint("lines", r.lines).Field("reason", r.sniffed.reason);
    j.Key("runner_up");
    if (r.sniffed.runner_up.empty()) {
      j.Null();
    } else {
      j.BeginObject().Field("taken_for", r.sniffed.runner_up);
      j.FieldDouble("score", r.sniffed.runner_up_score, 3).EndObject();
    }
    j.Key("ranked").BeginArray();
    for (const auto& [f, score] : r.detection.ranked)
      j.BeginObject().Field("format", f->name()).FieldDouble("score", score, 3).EndObject();
    j.EndArray().EndObject();
    EmitLine(j.Take());
  }
}

}  // namespace

int RunDetect(int argc, char** argv) {
  CLI::App app("say what kind of evidence each file is, in which format, and how sure", "detect");
  AddInputLimitFlags(app);
  std::vector<std::string> files;
  bool verbose = false, list = false, emit = false;
  ConfigFlags config;
  TimeFlags time;
  std::string format = "text";
  app.add_option("files", files, "evidence files");
  app.add_flag("-v,--verbose", verbose, "show the runner-up formats and their scores");
  app.add_flag("--list", list, "list the known log formats");
  app.add_flag("--emit-format", emit,
               "print the layout inferred from each file's first lines as an inquest.toml "
               "[formats.*] section to save, edit and load with --config");
  app.add_option("--format", format, "output format: text or json");
  config.Add(app);
  time.Add(app);
  if (std::optional<int> rc = ParseArgs(app, argc, argv)) return *rc;
  if (format != "text" && format != "json")
    return Fail("detect", Status::InvalidArgument(
                              fmt::format("unknown --format '{}' (text or json)", format)));
  if (Status s = time.Resolve(); !s.ok()) return Fail("detect", s);

  FormatRegistry registry;
  FieldNames fields;
  if (Status s = config.ApplyLogs(&registry, &fields); !s.ok()) return Fail("detect", s);

  if (list) {
    for (const LogFormat* f : registry.formats()) {
      if (format == "json")
        EmitLine(JsonWriter(JsonStyle::kCompact)
                     .BeginObject()
                     .Field("format", f->name())
                     .Field("description", f->description())
                     .EndObject()
                     .Take());
      else
        fmt::print("{:<16} {}\n", f->name(), f->description());
    }
    return 0;
  }
  if (files.empty()) return Fail("detect", Status::InvalidArgument("no files given (or --list)"));

  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ctx.fields = &fields;
  ctx.time.default_year = time.year;
  if (time.zone) ctx.time.zone = &*time.zone;
  if (emit) {
    int rc = 0;
    for (const std::string& f : files) {
      if (Status s = EmitFormat(f, ctx); !s.ok()) {
        fmt::print(stderr, "inquest detect: {}\n", s.ToString());
        rc = 3;
      }
    }
    return rc;
  }
  std::vector<FileReport> reports;
  bool any_error = false;
  for (const std::string& f : files) {
    reports.push_back(DetectOne(f, registry, ctx));
    any_error |= !reports.back().error.ok();
  }
  if (format == "json")
    PrintJson(reports);
  else
    PrintText(reports, verbose);
  if (any_error) {
    for (const FileReport& r : reports)
      if (!r.error.ok()) fmt::print(stderr, "inquest detect: {}\n", r.error.ToString());
    return 3;
  }
  return 0;
}

}  // namespace inquest::cli
