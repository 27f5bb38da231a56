// The one renderer of post-mortem drafts: DraftModel (postmortem/draft_model.h) to Markdown in
// the primer's template. `analyze`, `pm new --from findings.json` and a bare `pm new` all write
// through it, so one document layout, one placeholder form and one header exist.
//
// The header carries what the store and the metrics read back (postmortem/document.h):
//
//   # Post-Mortem: Cart checkout failed for 12.5% of requests for 7m00s        SEV-2   2026-05-29
//   Incident: inc-20260529-1411-3fa9c2    Status: Draft    Author: _Fill in: ..._    Reviewers: ...
//   Started: 2026-05-29 14:11:00 UTC    Detected: ...    Acknowledged: ...    Mitigated: ...
//   Resolved: ...
//
// Whatever the model leaves empty is written as "_Fill in: <question>_" (kFillInMarker), which
// `pm lint` reports as an error until the author answers or deletes it. A model whose every
// field is filled renders with no placeholder left but the author's own (owner, due date,
// ticket of each action, author, reviewers) and the questions the evidence cannot answer.
#ifndef INQUEST_POSTMORTEM_DRAFT_RENDER_H_
#define INQUEST_POSTMORTEM_DRAFT_RENDER_H_

#include <string>
#include <string_view>

#include "postmortem/draft_model.h"
#include "postmortem/sev_scale.h"

namespace inquest {

// "_Fill in: <question>_": the one placeholder form.
std::string FillIn(std::string_view question);

// A new incident id: "inc-YYYYMMDD-HHMM-<6 hex>" from `time` (the onset; kNoTime: now) and
// `seed` (anything that tells this incident from another at the same minute: the evidence
// folder, the findings). The same time and seed give the same id, so analysing one bundle twice
// names one incident.
std::string MakeIncidentId(TimePoint time, std::string_view seed);

// The document. `scale` is written into a comment for the author, and a suggested SEV not on it
// is left as a placeholder.
std::string RenderDraft(const DraftModel& model, const SevScale& scale);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DRAFT_RENDER_H_
