// The draft model (postmortem/draft_model.h) in findings.json, under "draft": what `pm new
// --from findings.json` renders, so that it writes the same document `analyze` wrote. The
// reader is postmortem/draft_json.h; the field names are the model's.
#ifndef INQUEST_REPORT_DRAFT_JSON_H_
#define INQUEST_REPORT_DRAFT_JSON_H_

#include "base/json_writer.h"
#include "postmortem/draft_model.h"

namespace inquest {

// Writes the model as one JSON object value (the caller writes the key).
void WriteDraftJson(JsonWriter& w, const DraftModel& m);

}  // namespace inquest

#endif  // INQUEST_REPORT_DRAFT_JSON_H_
