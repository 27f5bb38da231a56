// `pm new`: the primer's post-mortem template as Markdown, optionally pre-filled from the
// findings.json that `analyze` writes (timeline, impact, detection, trigger and
// contributing-factor candidates, one action-item row per finding).
//
// What the template cannot know is written as "_Fill in: <guidance>_" (kFillInMarker in
// lint_rules.h): the linter reads a section holding that marker as a placeholder and reports
// it once ("section-placeholder"), so a fresh document lints with "fill this in" findings only.
#ifndef INQUEST_POSTMORTEM_PM_TEMPLATE_H_
#define INQUEST_POSTMORTEM_PM_TEMPLATE_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "postmortem/sev_scale.h"

namespace inquest {

struct PmTemplateInput {
  std::string title;  // empty: a fill-in placeholder
  std::string sev;    // a level of `scale`, or empty for a placeholder
  std::string date;   // YYYY-MM-DD (UTC)
  SevScale scale = DefaultSevScale();
  std::string findings_json;  // the text of findings.json; empty: no pre-fill
  std::string findings_path;  // where it came from, for the appendix and the sources
};

// The document. Fails (BadInput naming findings_path) only when findings_json is given and is
// not the JSON `analyze` writes; InvalidArgument when `sev` is not on the scale.
Result<std::string> RenderPmTemplate(const PmTemplateInput& in);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_PM_TEMPLATE_H_
