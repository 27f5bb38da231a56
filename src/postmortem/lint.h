// The post-mortem linter: checks a document (postmortem/document.h) against the primer's
// discipline -- required sections filled in, quantified impact, detection with a time, a UTC
// timeline in order, trigger apart from contributing factors, a causal chain, SMART action
// items that are owned, dated, ticketed and classed, blameless wording, the three reflections
// (well / poorly / lucky), a length in range and a SEV consistent with the impact.
//
//   INQ_ASSIGN_OR_RETURN(LintConfig cfg, LintConfigFromToml(config.table));
//   std::vector<LintFinding> found = LintPmDocument(doc, cfg);
//
// Every rule has an id, a default severity, a message that teaches (quoting the primer's test
// where it has one) and a fix hint; docs/postmortem-lint.md describes each. inquest.toml
// switches rules off or re-grades them:
//
//   [lint.rules]
//   action-ticket = "off"        # or "error", "warning", "note"
//
// Placeholders: a section whose content is empty, "TBD"/"TODO"/"TK"/"FIXME", or guidance left
// from `pm new` gets one `section-placeholder` finding, and the rules about that section's
// content stay silent until it is filled in; so a fresh `pm new` document lints with "fill
// this in" findings only.
#ifndef INQUEST_POSTMORTEM_LINT_H_
#define INQUEST_POSTMORTEM_LINT_H_

#include <toml++/toml.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "postmortem/document.h"
#include "postmortem/sev_scale.h"

namespace inquest {

enum class LintSeverity { kOff, kNote, kWarning, kError };

std::string_view LintSeverityName(LintSeverity s);  // "off", "note", "warning", "error"

struct LintRule {
  std::string_view id;
  LintSeverity severity;     // the default
  std::string_view summary;  // one line: what the rule checks
  bool fill_in;              // a "fill this in" rule: what a fresh template is allowed to trip
};

// Every rule, in the order findings are documented.
const std::vector<LintRule>& LintRules();
const LintRule* FindLintRule(std::string_view id);

struct LintFinding {
  std::string rule;
  LintSeverity severity = LintSeverity::kError;
  int line = 1;
  int column = 1;
  std::string message;  // what is wrong and why it matters (the primer's test where it has one)
  std::string hint;     // how to fix it
};

// The primer's length bounds. It asks for "two to four pages"; a page of a post-mortem (a
// heading every few lines, lists, a table) holds about 500 words, so more than four pages is
// kMaxWords. The lower bound is not two pages: the primer's own worked example, which it calls
// "compact but complete", has about 390 words; below kMinWords the required sections cannot
// all carry content.
inline constexpr int kDefaultMinWords = 300;
inline constexpr int kDefaultMaxWords = 2000;

struct LintConfig {
  std::map<std::string, LintSeverity, std::less<>> severity;  // per rule id; absent: default
  int min_words = kDefaultMinWords;
  int max_words = kDefaultMaxWords;
  SevScale sev_scale = DefaultSevScale();
  LintSeverity SeverityOf(const LintRule& rule) const;
};

// Reads [lint] (min_words, max_words) and [lint.rules] (id = "off|note|warning|error") and the
// SEV scale ([sev]) from inquest.toml. An unknown rule id or severity is InvalidArgument naming
// the key, with a did-you-mean.
Result<LintConfig> LintConfigFromToml(const toml::table& table);

// All findings for `doc`, sorted by line then column; rules switched off give none.
std::vector<LintFinding> LintPmDocument(const PmDocument& doc, const LintConfig& config);

// The action-item rules of a document applied to one item given alone (`actions add` and
// `update` check what they record the way `pm lint` checks a document's table): its owner, due
// date, status, ticket, wording and class. Lines in the findings are 1.
std::vector<LintFinding> LintActionItem(const ActionItem& item, const LintConfig& config);

// True when any finding is an error (the command then exits 1).
bool HasLintErrors(const std::vector<LintFinding>& findings);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_LINT_H_
