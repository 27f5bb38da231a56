// The post-mortem draft of an analysis: the analysis laid out as a DraftModel
// (postmortem/draft_model.h) and rendered by the one draft renderer (postmortem/draft_render.h).
// Every statement carries its evidence reference ("file:line"); what the evidence cannot show is
// left as a question for the author ("_Fill in: ..._"), never invented. Each finding is stated
// once, under the causes, with an id (F1, F2...) the other sections refer to.
#ifndef INQUEST_ANALYZE_DRAFT_H_
#define INQUEST_ANALYZE_DRAFT_H_

#include <string>

#include "analyze/analysis.h"
#include "postmortem/draft_model.h"
#include "postmortem/sev_scale.h"

namespace inquest {

// Ranked changes named in the draft's timeline (the rest are in findings.json).
inline constexpr size_t kDraftTopChanges = 3;
// Runners-up named under the trigger candidate.
inline constexpr size_t kDraftRunnersUp = 2;

// The model: title and SEV suggested (SEV against `scale`), key times, sections, proposed
// actions, appendix tables.
DraftModel BuildDraft(const Analysis& a, const SevScale& scale);

// RenderDraft(BuildDraft(a, scale), scale).
std::string PostmortemMarkdown(const Analysis& a, const SevScale& scale = DefaultSevScale());

}  // namespace inquest

#endif  // INQUEST_ANALYZE_DRAFT_H_
