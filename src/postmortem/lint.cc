#include "postmortem/lint.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "base/strings.h"
#include "postmortem/lint_rules.h"

namespace inquest {
namespace {

using S = LintSeverity;

const std::vector<LintRule> kRules{
    {"section-missing", S::kError, "a required section is missing", true},
    {"section-placeholder", S::kError, "a section still holds a placeholder (TBD, TODO, guidance)",
     true},
    {"unanswered", S::kError,
     "a \"Fill in\" question of the template or the draft is still unanswered", true},
    {"sev-missing", S::kError, "the document states no SEV from the configured scale", true},
    {"status-missing", S::kWarning, "no document status (Draft, In Review, Final)", true},
    {"author-missing", S::kWarning, "no author (a role) or no reviewers", true},
    {"impact-not-quantified", S::kError,
     "the impact has no numbers with units (%, requests, users, minutes, money)", false},
    {"detection-incomplete", S::kError,
     "detection does not say how the incident was found or how long after onset", false},
    {"timeline-not-utc", S::kError, "timeline entries are not stated in UTC", false},
    {"timeline-order", S::kError, "a timeline entry is earlier than the one before it", false},
    {"timeline-no-time", S::kWarning, "timeline entries without a clock time", false},
    {"timeline-source", S::kWarning, "a timeline entry leaves its Source column empty", false},
    {"trigger-missing", S::kError, "the trigger is not stated apart from the contributing factors",
     false},
    {"single-root-cause", S::kWarning, "one root cause and no contributing factors", false},
    {"causal-chain-missing", S::kWarning, "no causal analysis (5 Whys or equivalent)", true},
    {"action-owner", S::kError, "an action item has no owner, or \"the team\"", false},
    {"action-due", S::kError, "an action item has no due date", false},
    {"action-status", S::kWarning, "an action item has no status", false},
    {"action-ticket", S::kWarning, "an action item has no ticket", false},
    {"action-vague", S::kError, "an action item is not specific and measurable", false},
    {"action-class", S::kWarning, "an action item's class (prevent / detect / mitigate) is unknown",
     false},
    {"action-classes", S::kWarning, "every action item is of one class", false},
    {"blame-wording", S::kError,
     "wording that blames (a named person, \"human error\", \"should have\", \"failed to\", "
     "\"careless\", \"if X had\")",
     false},
    {"reflection-missing", S::kWarning, "what went well, what went poorly or where we got lucky",
     true},
    {"length", S::kWarning, "the document is outside the primer's length range", false},
    {"sev-impact-mismatch", S::kWarning, "the SEV does not match the stated impact", false},
};

}  // namespace

std::string_view LintSeverityName(LintSeverity s) {
  switch (s) {
    case S::kOff:
      return "off";
    case S::kNote:
      return "note";
    case S::kWarning:
      return "warning";
    case S::kError:
      return "error";
  }
  return "error";
}

const std::vector<LintRule>& LintRules() { return kRules; }

const LintRule* FindLintRule(std::string_view id) {
  for (const LintRule& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

LintSeverity LintConfig::SeverityOf(const LintRule& rule) const {
  auto it = severity.find(rule.id);
  return it == severity.end() ? rule.severity : it->second;
}

Result<LintConfig> LintConfigFromToml(const toml::table& table) {
  LintConfig cfg;
  INQ_ASSIGN_OR_RETURN(cfg.sev_scale, SevScaleFromToml(table));
  const toml::table* lint = table.get_as<toml::table>("lint");
  if (!lint) return cfg;
  for (auto [key, field] :
       {std::pair{"min_words", &cfg.min_words}, std::pair{"max_words", &cfg.max_words}}) {
    if (const toml::node* v = lint->get(key)) {
      std::optional<int64_t> n = v->value<int64_t>();
      if (!n || *n < 0 || *n > 1'000'000)
        return Status::InvalidArgument(
            fmt::format("[lint] {} must be a whole number of words", key));
      *field = int(*n);
    }
  }
  if (const toml::node* rules_node = lint->get("rules")) {
    const toml::table* rules = rules_node->as_table();
    if (!rules) return Status::InvalidArgument("[lint.rules] must be a table of rule = severity");
    std::vector<std::string_view> ids;
    for (const LintRule& r : kRules) ids.push_back(r.id);
    for (auto&& [key, value] : *rules) {
      std::string_view id = key.str();
      if (!FindLintRule(id)) {
        std::string_view near = ClosestMatch(id, ids);
        return Status::InvalidArgument(
            fmt::format("[lint.rules] {}: no such rule{}", id,
                        near.empty() ? std::string() : fmt::format(" (did you mean {}?)", near)));
      }
      std::optional<std::string> sev = value.value<std::string>();
      LintSeverity s;
      if (sev == "off")
        s = S::kOff;
      else if (sev == "note")
        s = S::kNote;
      else if (sev == "warning")
        s = S::kWarning;
      else if (sev == "error")
        s = S::kError;
      else
        return Status::InvalidArgument(fmt::format(
            "[lint.rules] {}: severity must be \"off\", \"note\", \"warning\" or \"error\"", id));
      cfg.severity[std::string(id)] = s;
    }
  }
  return cfg;
}

LintContext::LintContext(const PmDocument& doc, const LintConfig& config,
                         std::vector<LintFinding>* out)
    : doc_(doc), config_(config), out_(out) {
  for (const PmSection& s : doc.sections)
    placeholder_.push_back(!s.has_code && !PlaceholderIn(s.text).empty());
}

bool LintContext::Enabled(std::string_view rule) const {
  const LintRule* r = FindLintRule(rule);
  return r && config_.SeverityOf(*r) != S::kOff;
}

void LintContext::Report(std::string_view rule, int line, int column, std::string message,
                         std::string hint) {
  const LintRule* r = FindLintRule(rule);
  if (!r) return;
  LintSeverity s = config_.SeverityOf(*r);
  if (s == S::kOff) return;
  out_->push_back(LintFinding{std::string(rule), s, std::max(1, line), std::max(1, column),
                              std::move(message), std::move(hint)});
}

bool LintContext::IsPlaceholder(int index) const {
  return index >= 0 && size_t(index) < placeholder_.size() && placeholder_[index];
}

int LintContext::ColumnOf(int line, std::string_view needle, int fallback) const {
  std::string hay = ToLower(doc_.Line(line));
  size_t at = hay.find(ToLower(needle));
  return at == std::string::npos ? fallback : int(at) + 1;
}

std::string PlaceholderIn(std::string_view section_text) {
  std::string_view text = TrimSpace(section_text);
  if (text.empty()) return "nothing";
  // Questions to fill in make a placeholder only when nothing else is said: a drafted section
  // holds its content and a question after it.
  if (text.find(kFillInMarker) != std::string_view::npos && CountWords(WithoutFillIns(text)) == 0)
    return std::string(kFillInMarker);
  // The whole content is a marker, or a marker stands in for a value ("Category: XXX").
  static const RE2 kMarker(R"((?i)(?:^|[\s:(])(TBD|TODO|TK|FIXME|XXX|YYY|ZZZ)(?:$|[\s.,;)]))");
  std::string marker;
  if (RE2::PartialMatch(text, kMarker, &marker)) {
    // Only when the section is mostly the marker: a long section that mentions "TODO" once
    // ("the TODO list in the runbook") has content.
    if (CountWords(text) <= kPlaceholderWords) return marker;
  }
  // A short section that is template text (the primer's and common templates' guidance).
  if (CountWords(text) <= kPlaceholderWords) return TemplateTextIn(text);
  return {};
}

std::string WithoutFillIns(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t at = text.find(kFillInMarker, pos);
    if (at == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, at - pos));
    size_t end = text.find('\n', at);
    pos = end == std::string_view::npos ? text.size() : end;
  }
  return out;
}

std::string TemplateTextIn(std::string_view text) {
  static const RE2 kTemplate(
      R"((?i)(short event description|someone fromtheteam|one paragraph\. what broke|)"
      R"(quantified: % of users|how did we find out|hh:mm — event|20xx-mm-dd))");
  std::string marker;
  if (RE2::PartialMatch(text, kTemplate, &marker)) return marker;
  return {};
}

std::vector<LintFinding> LintPmDocument(const PmDocument& doc, const LintConfig& config) {
  std::vector<LintFinding> out;
  LintContext ctx(doc, config, &out);
  LintDocumentRules(ctx);
  LintImpactDetection(ctx);
  LintTimelineRules(ctx);
  LintCauseRules(ctx);
  LintActionRules(ctx);
  LintWordingRules(ctx);
  std::stable_sort(out.begin(), out.end(), [](const LintFinding& a, const LintFinding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

bool HasLintErrors(const std::vector<LintFinding>& findings) {
  for (const LintFinding& f : findings)
    if (f.severity == S::kError) return true;
  return false;
}

}  // namespace inquest
