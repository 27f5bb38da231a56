// `pm new`: the primer's post-mortem template as Markdown, written by the one draft renderer
// (postmortem/draft_render.h): from nothing (every section a "_Fill in: ..._" question), or
// from the findings.json `analyze` wrote (its "draft" object), which gives the very document
// `analyze` wrote. --title, --sev and --date replace what the draft suggested.
#ifndef INQUEST_POSTMORTEM_PM_TEMPLATE_H_
#define INQUEST_POSTMORTEM_PM_TEMPLATE_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "postmortem/sev_scale.h"

namespace inquest {

struct PmTemplateInput {
  std::string title;        // empty: a fill-in placeholder
  std::string sev;          // a level of `scale`, or empty for a placeholder
  std::string date;         // YYYY-MM-DD (UTC)
  std::string incident_id;  // empty: the draft's, else a new one (MakeIncidentId)
  SevScale scale = DefaultSevScale();
  std::string findings_json;  // the text of findings.json; empty: no pre-fill
  std::string findings_path;  // where it came from, for the appendix and the sources
};

// The document. Fails (BadInput naming findings_path) only when findings_json is given and is
// not the JSON `analyze` writes; InvalidArgument when `sev` is not on the scale.
Result<std::string> RenderPmTemplate(const PmTemplateInput& in);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_PM_TEMPLATE_H_
