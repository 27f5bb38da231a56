// Reads the draft model back from the findings.json `inquest analyze` wrote (its "draft"
// object; report/draft_json.h writes it), for `pm new --from findings.json`: the same model,
// so the same document.
#ifndef INQUEST_POSTMORTEM_DRAFT_JSON_H_
#define INQUEST_POSTMORTEM_DRAFT_JSON_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "postmortem/draft_model.h"

namespace inquest {

// BadInput naming `path` when `json` is not JSON, not an object, or has no "draft" object (a
// findings.json written before drafts were kept: run `inquest analyze` again). A field of the
// wrong type is BadInput naming the field; a missing field is left empty.
Result<DraftModel> DraftFromFindingsJson(std::string_view json, const std::string& path);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DRAFT_JSON_H_
