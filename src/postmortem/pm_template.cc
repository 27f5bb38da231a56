#include "postmortem/pm_template.h"

#include <fmt/format.h>

#include "postmortem/draft_json.h"
#include "postmortem/draft_render.h"

namespace inquest {

Result<std::string> RenderPmTemplate(const PmTemplateInput& in) {
  if (!in.sev.empty() && FindSevLevel(in.scale, in.sev) < 0) {
    std::vector<std::string> names;
    for (const SevLevel& l : in.scale) names.push_back(l.name);
    return Status::InvalidArgument(
        fmt::format("{} is not on the SEV scale ({})", in.sev, fmt::join(names, ", ")));
  }
  DraftModel m;
  if (!in.findings_json.empty()) {
    INQ_ASSIGN_OR_RETURN(m, DraftFromFindingsJson(in.findings_json, in.findings_path));
  }
  // What the author states replaces what was suggested.
  if (!in.title.empty()) m.title = {in.title, ""};
  if (!in.sev.empty()) m.sev = {in.scale[FindSevLevel(in.scale, in.sev)].name, ""};
  if (!in.date.empty()) m.date = in.date;
  if (!in.incident_id.empty()) m.incident_id = in.incident_id;
  return RenderDraft(m, in.scale);
}

}  // namespace inquest
