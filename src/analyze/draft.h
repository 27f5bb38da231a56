// The post-mortem draft (postmortem.md): the primer's document template filled with what the
// evidence shows. Every statement carries its evidence reference ("file:line"); what the
// evidence cannot show is left as a marked question for the author, never invented:
//
//   > **Question for the author:** ...
#ifndef INQUEST_ANALYZE_DRAFT_H_
#define INQUEST_ANALYZE_DRAFT_H_

#include <string>

#include "analyze/analysis.h"

namespace inquest {

// The marker every open question starts with (lint and tests look for it).
inline constexpr std::string_view kQuestionMarker = "> **Question for the author:**";

// Ranked changes named in the draft's timeline (the rest are in findings.json).
inline constexpr size_t kDraftTopChanges = 5;

std::string PostmortemMarkdown(const Analysis& a);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_DRAFT_H_
