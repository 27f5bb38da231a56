// `pm lint` output: text ("file:line:col: severity: message [rule]" plus the hint), JSON (one
// object per run: files, findings, counts) and SARIF 2.1.0 for code review tools.
#ifndef INQUEST_POSTMORTEM_LINT_OUTPUT_H_
#define INQUEST_POSTMORTEM_LINT_OUTPUT_H_

#include <string>
#include <vector>

#include "base/output.h"
#include "postmortem/lint.h"

namespace inquest {

struct LintedFile {
  std::string path;
  std::vector<LintFinding> findings;
};

// Each passes the output boundary (base/output.h): the text redacted as text, the JSON and
// SARIF by the JSON writer.
Redacted FormatLintText(const std::vector<LintedFile>& files, bool color);
Redacted FormatLintJson(const std::vector<LintedFile>& files);
Redacted FormatLintSarif(const std::vector<LintedFile>& files, std::string_view version);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_LINT_OUTPUT_H_
