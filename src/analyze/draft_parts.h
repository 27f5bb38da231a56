// The section builders of the draft (analyze/draft.h), one concern each. Internal to analyze/.
#ifndef INQUEST_ANALYZE_DRAFT_PARTS_H_
#define INQUEST_ANALYZE_DRAFT_PARTS_H_

#include <string>

#include "analyze/analysis.h"
#include "postmortem/draft_model.h"

namespace inquest {

// The finding id the draft gives a.findings[i]: "F1" for i == 0.
std::string FindingId(size_t i);
// The id of the first finding of `kind`, or -1.
int FindingIndex(const Analysis& a, std::string_view kind);
// An event in a few words: its message, plus the status an access log line carries.
std::string DescribeEvent(const Event& e);

void DraftKeyTimes(const Analysis& a, DraftModel* m);
void DraftSummaryImpactDetection(const Analysis& a, DraftModel* m);
void DraftTimeline(const Analysis& a, DraftModel* m);
void DraftCauses(const Analysis& a, DraftModel* m);             // trigger, findings, whys
void DraftResolutionActions(const Analysis& a, DraftModel* m);  // and the reflections
void DraftAppendixTables(const Analysis& a, DraftModel* m);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_DRAFT_PARTS_H_
