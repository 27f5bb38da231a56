#include "postmortem/lint_output.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest {
namespace {

// SARIF's levels are "error", "warning", "note".
std::string_view SarifLevel(LintSeverity s) {
  return s == LintSeverity::kError ? "error" : s == LintSeverity::kWarning ? "warning" : "note";
}

}  // namespace

Redacted FormatLintText(const std::vector<LintedFile>& files, bool color) {
  std::string out;
  int errors = 0, warnings = 0, notes = 0;
  for (const LintedFile& f : files) {
    for (const LintFinding& x : f.findings) {
      std::string_view sev = LintSeverityName(x.severity);
      std::string sev_text(sev);
      if (color)
        sev_text = fmt::format("\033[{}m{}\033[0m",
                               x.severity == LintSeverity::kError     ? "1;31"
                               : x.severity == LintSeverity::kWarning ? "1;33"
                                                                      : "1;36",
                               sev);
      out += fmt::format("{}:{}:{}: {}: {} [{}]\n  fix: {}\n", SanitizeForTerminal(f.path), x.line,
                         x.column, sev_text, SanitizeForTerminal(x.message), x.rule,
                         SanitizeForTerminal(x.hint));
      (x.severity == LintSeverity::kError     ? errors
       : x.severity == LintSeverity::kWarning ? warnings
                                              : notes)++;
    }
  }
  out += fmt::format("{} file{}: {} error{}, {} warning{}, {} note{}\n", files.size(),
                     files.size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                     warnings == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
  return RedactText(out);
}

Redacted FormatLintJson(const std::vector<LintedFile>& files) {
  JsonWriter j(JsonStyle::kLine);
  j.BeginObject().Key("files").BeginArray();
  int errors = 0, warnings = 0, notes = 0;
  for (const LintedFile& f : files) {
    j.BeginObject().Field("path", f.path).Key("findings").BeginArray();
    for (const LintFinding& x : f.findings) {
      j.Break("\n  ").BeginObject().Field("rule", x.rule);
      j.Field("severity", LintSeverityName(x.severity)).Field("line", x.line);
      j.Field("column", x.column).Field("message", x.message).Field("hint", x.hint).EndObject();
      (x.severity == LintSeverity::kError     ? errors
       : x.severity == LintSeverity::kWarning ? warnings
                                              : notes)++;
    }
    j.EndArray().EndObject();
  }
  j.EndArray().Break("\n ").Field("errors", errors).Field("warnings", warnings);
  j.Field("notes", notes).EndObject();
  return j.TakeLine();
}

Redacted FormatLintSarif(const std::vector<LintedFile>& files, std::string_view version) {
  const auto& rules = LintRules();
  JsonWriter j(JsonStyle::kLine);
  j.BeginObject().Field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  j.Field("version", "2.1.0").Break("\n ").Key("runs").BeginArray().BeginObject();
  j.Key("tool").BeginObject().Key("driver").BeginObject().Field("name", "inquest pm lint");
  j.Field("version", version).Key("rules").BeginArray();
  for (const LintRule& r : rules) {
    j.Break("\n  ").BeginObject().Field("id", r.id);
    j.Key("shortDescription").BeginObject().Field("text", r.summary).EndObject();
    j.Key("defaultConfiguration").BeginObject().Field("level", SarifLevel(r.severity));
    j.EndObject().EndObject();
  }
  j.EndArray().EndObject().EndObject();
  j.Break("\n ").Key("results").BeginArray();
  for (const LintedFile& f : files) {
    for (const LintFinding& x : f.findings) {
      size_t rule_index = 0;
      for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].id == x.rule) rule_index = i;
      j.Break("\n  ").BeginObject().Field("ruleId", x.rule).Field("ruleIndex", rule_index);
      j.Field("level", SarifLevel(x.severity));
      j.Key("message").BeginObject().Field("text", x.message + " Fix: " + x.hint).EndObject();
      j.Key("locations").BeginArray().BeginObject().Key("physicalLocation").BeginObject();
      j.Key("artifactLocation").BeginObject().Field("uri", f.path).EndObject();
      j.Key("region").BeginObject().Field("startLine", x.line).Field("startColumn", x.column);
      j.EndObject().EndObject().EndObject().EndArray().EndObject();
    }
  }
  j.EndArray().EndObject().EndArray().EndObject();
  return j.TakeLine();
}

}  // namespace inquest
