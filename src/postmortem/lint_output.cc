#include "postmortem/lint_output.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

std::string Quoted(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

// SARIF's levels are "error", "warning", "note".
std::string_view SarifLevel(LintSeverity s) {
  return s == LintSeverity::kError ? "error" : s == LintSeverity::kWarning ? "warning" : "note";
}

}  // namespace

std::string FormatLintText(const std::vector<LintedFile>& files, bool color) {
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
  return out;
}

std::string FormatLintJson(const std::vector<LintedFile>& files) {
  std::string out = "{\"files\": [";
  int errors = 0, warnings = 0, notes = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    out += fmt::format("{}{{\"path\": {}, \"findings\": [", i ? ", " : "", Quoted(files[i].path));
    for (size_t j = 0; j < files[i].findings.size(); ++j) {
      const LintFinding& x = files[i].findings[j];
      out += fmt::format(
          "{}\n  {{\"rule\": {}, \"severity\": \"{}\", \"line\": {}, \"column\": {}, "
          "\"message\": {}, \"hint\": {}}}",
          j ? "," : "", Quoted(x.rule), LintSeverityName(x.severity), x.line, x.column,
          Quoted(x.message), Quoted(x.hint));
      (x.severity == LintSeverity::kError     ? errors
       : x.severity == LintSeverity::kWarning ? warnings
                                              : notes)++;
    }
    out += "]}";
  }
  out += fmt::format("],\n \"errors\": {}, \"warnings\": {}, \"notes\": {}}}\n", errors, warnings,
                     notes);
  return out;
}

std::string FormatLintSarif(const std::vector<LintedFile>& files, std::string_view version) {
  std::string out =
      "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\",\n"
      " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"inquest pm lint\", ";
  out += fmt::format("\"version\": {}, \"rules\": [", Quoted(version));
  const auto& rules = LintRules();
  for (size_t i = 0; i < rules.size(); ++i) {
    out += fmt::format(
        "{}\n  {{\"id\": {}, \"shortDescription\": {{\"text\": {}}}, "
        "\"defaultConfiguration\": {{\"level\": \"{}\"}}}}",
        i ? "," : "", Quoted(rules[i].id), Quoted(rules[i].summary), SarifLevel(rules[i].severity));
  }
  out += "]}},\n \"results\": [";
  bool first = true;
  for (const LintedFile& f : files) {
    for (const LintFinding& x : f.findings) {
      size_t rule_index = 0;
      for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].id == x.rule) rule_index = i;
      out += fmt::format(
          "{}\n  {{\"ruleId\": {}, \"ruleIndex\": {}, \"level\": \"{}\", \"message\": {{\"text\": "
          "{}}}, \"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}, "
          "\"region\": {{\"startLine\": {}, \"startColumn\": {}}}}}}}]}}",
          first ? "" : ",", Quoted(x.rule), rule_index, SarifLevel(x.severity),
          Quoted(x.message + " Fix: " + x.hint), Quoted(f.path), x.line, x.column);
      first = false;
    }
  }
  out += "]}]}\n";
  return out;
}

}  // namespace inquest
