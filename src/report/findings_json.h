// findings.json: everything `inquest analyze` concluded, machine-readable. The field names are
// a contract (later issues and other tools read them): onset, recovery, detection, impact,
// changes, findings, inputs. Add fields; never rename or remove one.
#ifndef INQUEST_REPORT_FINDINGS_JSON_H_
#define INQUEST_REPORT_FINDINGS_JSON_H_

#include "analyze/analysis.h"
#include "base/output.h"
#include "postmortem/draft_model.h"

namespace inquest {

// Ranked changes written at most (the ranking's tail is noise; the full list is in the logs).
inline constexpr size_t kMaxChangesInReport = 50;

// `draft` (optional) is written under "draft" for `pm new --from` (report/draft_json.h). Every
// string value is redacted (base/json_writer.h).
Redacted FindingsJson(const Analysis& a, const DraftModel* draft = nullptr);

}  // namespace inquest

#endif  // INQUEST_REPORT_FINDINGS_JSON_H_
