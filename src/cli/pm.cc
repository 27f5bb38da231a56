// inquest pm new | lint | import: scaffold a post-mortem from the primer's template (pre-filled
// from findings.json), check documents against the primer's discipline, and store them
// (pm_import.cc).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "base/config.h"
#include "base/mapped_file.h"
#include "base/output.h"
#include "base/output_file.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/pm_import.h"
#include "postmortem/document.h"
#include "postmortem/lint.h"
#include "postmortem/lint_output.h"
#include "postmortem/pm_template.h"

namespace inquest::cli {

// Weak so that `pm new` and `pm lint` work in a build without the store.
int RunPmImport(int argc, char** argv) __attribute__((weak));

namespace {

constexpr std::string_view kUsage =
    "usage: inquest pm new|lint|import ...\n"
    "  new [--from findings.json] [--title T] [--sev SEV-n] [--date YYYY-MM-DD] [--incident ID]\n"
    "      [--out FILE]\n"
    "  lint FILE... [--format text|json|sarif] [--config inquest.toml]\n"
    "  import DOC   (see inquest pm import --help)\n";

Result<Config> LoadPmConfig(const std::string& path) {
  ConfigSearch search;
  search.explicit_path = path;
  return LoadConfig(search);
}

std::string TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int RunNew(int argc, char** argv) {
  CLI::App app("scaffold a post-mortem from the primer's template", "pm new");
  std::string from, out, config_path;
  PmTemplateInput in;
  app.add_option("--from", from, "findings.json written by `inquest analyze`, to pre-fill from");
  app.add_option("--title", in.title, "the incident's title");
  app.add_option("--incident", in.incident_id,
                 "the incident's id (e.g. the pager's INC-2291; default: the draft's, else a new "
                 "inc-YYYYMMDD-HHMM-xxxxxx)");
  app.add_option("--sev", in.sev,
                 "the SEV level (from the scale in inquest.toml; default "
                 "SEV-1..SEV-4)");
  app.add_option("--date", in.date,
                 "the incident's date, YYYY-MM-DD UTC (default: the onset "
                 "in --from, else today)");
  app.add_option("--out", out,
                 "write the document here instead of stdout (refuses to "
                 "overwrite)");
  app.add_option("--config", config_path, "inquest.toml to read (default: searched)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  Result<Config> cfg = LoadPmConfig(config_path);
  if (!cfg.ok()) return Fail("pm new", cfg.status());
  Result<SevScale> scale = SevScaleFromToml(cfg->table);
  if (!scale.ok()) return Fail("pm new", scale.status());
  in.scale = *scale;
  if (!from.empty()) {
    Result<MappedFile> f = MappedFile::Open(from);
    if (!f.ok()) return Fail("pm new", f.status());
    in.findings_json = std::string(f->data());
    in.findings_path = from;
  }
  if (in.date.empty() && from.empty()) in.date = TodayUtc();
  Result<std::string> rendered = RenderPmTemplate(in);
  if (!rendered.ok()) return Fail("pm new", rendered.status());
  // The output boundary (base/output.h): what --from brings in is redacted like any output.
  Redacted doc = RedactText(*rendered);
  if (out.empty()) {
    Emit(doc);
    return 0;
  }
  // The folder is the user's to name (a link there is theirs too); the file itself is created
  // only where nothing exists, never through a link (base/output_file.h).
  std::filesystem::path out_path(out);
  if (out_path.filename().empty() || out_path.filename() == "." || out_path.filename() == "..")
    return Fail("pm new", Status::InvalidArgument(fmt::format("--out {} names a folder", out)));
  Result<OutputDir> folder =
      OutputDir::Open(out_path.has_parent_path() ? out_path.parent_path().string() : ".",
                      {.create = false, .refuse_link = false});
  if (!folder.ok()) return Fail("pm new", folder.status());
  if (Status s = folder->CreateNew(out_path.filename().string(), doc.view()); !s.ok())
    return Fail("pm new", s);
  fmt::print(stderr, "wrote {}\n", out);
  return 0;
}

int RunLint(int argc, char** argv) {
  CLI::App app("check post-mortem documents against the primer's discipline", "pm lint");
  std::vector<std::string> files;
  std::string format = "text", config_path;
  app.add_option("files", files, "Markdown post-mortems")->required();
  app.add_option("--format", format, "text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  app.add_option("--config", config_path,
                 "inquest.toml with [lint.rules] and [[sev]] (default: searched)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  Result<Config> cfg = LoadPmConfig(config_path);
  if (!cfg.ok()) return Fail("pm lint", cfg.status());
  Result<LintConfig> lint = LintConfigFromToml(cfg->table);
  if (!lint.ok()) {
    Status s = lint.status();
    return Fail("pm lint", Status::InvalidArgument(fmt::format(
                               "{}: {}", cfg->path.empty() ? "config" : cfg->path, s.message())));
  }
  std::vector<LintedFile> linted;
  int bad_input = 0;
  for (const std::string& path : files) {
    Result<PmDocument> doc = ReadPmDocument(path);
    if (!doc.ok()) {
      fmt::print(stderr, "inquest pm lint: {}\n", doc.status().ToString());
      bad_input = doc.status().ExitCode();
      continue;
    }
    linted.push_back({path, LintPmDocument(*doc, *lint)});
  }
  Emit(format == "json"    ? FormatLintJson(linted)
       : format == "sarif" ? FormatLintSarif(linted, INQUEST_VERSION)
                           : FormatLintText(linted, UseColor(1)));
  bool errors = false;
  for (const LintedFile& f : linted) errors |= HasLintErrors(f.findings);
  if (bad_input) return bad_input;
  return errors ? 1 : 0;
}

}  // namespace

int RunPm(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  std::string_view sub = argv[1];
  if (sub == "-h" || sub == "--help" || sub == "help") {
    fmt::print("{}", kUsage);
    return 0;
  }
  if (sub == "new") return RunNew(argc - 1, argv + 1);
  if (sub == "lint") return RunLint(argc - 1, argv + 1);
  if (sub == "import") {
    if (!RunPmImport)
      return Fail("pm import", Status::Unsupported("the store is not part of this build"));
    return RunPmImport(argc - 1, argv + 1);
  }
  fmt::print(stderr, "inquest pm: no subcommand \"{}\"\n{}", sub, kUsage);
  return 2;
}

}  // namespace inquest::cli
