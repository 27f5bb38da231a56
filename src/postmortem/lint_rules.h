// The rule families of the linter (postmortem/lint.h), one file each, sharing a context that
// knows which sections are still placeholders. Internal to postmortem/.
#ifndef INQUEST_POSTMORTEM_LINT_RULES_H_
#define INQUEST_POSTMORTEM_LINT_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "postmortem/document.h"
#include "postmortem/lint.h"

namespace inquest {

class LintContext {
 public:
  LintContext(const PmDocument& doc, const LintConfig& config, std::vector<LintFinding>* out);

  const PmDocument& doc() const { return doc_; }
  const LintConfig& config() const { return config_; }

  // Records a finding of `rule` (which must be in LintRules()) unless the rule is off.
  void Report(std::string_view rule, int line, int column, std::string message, std::string hint);
  bool Enabled(std::string_view rule) const;

  // The section index for one of the names, or -1 (see PmDocument::FindSection).
  int Section(std::initializer_list<std::string_view> names) const {
    return doc_.FindSection(names);
  }
  // True when section `index` holds nothing but a placeholder (its content rules stay quiet).
  bool IsPlaceholder(int index) const;
  // The column of `needle` (case-insensitive) in source line `line`, or `fallback`.
  int ColumnOf(int line, std::string_view needle, int fallback = 1) const;

 private:
  const PmDocument& doc_;
  const LintConfig& config_;
  std::vector<LintFinding>* out_;
  std::vector<bool> placeholder_;
};

// A section of at most this many words whose text holds a marker (TBD, TODO...) or template
// guidance is a placeholder; a longer one has content (and left-over template lines are
// reported where they are, without holding back the section's other rules).
inline constexpr int kPlaceholderWords = 40;

// The placeholder text of a section ("TBD", "TODO", template guidance), or empty when the
// section has real content.
std::string PlaceholderIn(std::string_view section_text);
// `text` without its "Fill in: ..." questions (each runs to the end of its line).
std::string WithoutFillIns(std::string_view text);
// Template guidance left in a text ("Short event description", "20xx-MM-DD"), or empty.
std::string TemplateTextIn(std::string_view text);

void LintDocumentRules(LintContext& ctx);  // sections, header, length, SEV, reflections
void LintImpactDetection(LintContext& ctx);
void LintTimelineRules(LintContext& ctx);
void LintCauseRules(LintContext& ctx);
void LintActionRules(LintContext& ctx);
void LintWordingRules(LintContext& ctx);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_LINT_RULES_H_
