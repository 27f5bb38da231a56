// What the draft knows about findings and records, kept as tables: a finding kind's name, the
// action it suggests and that action's class, the words that mark a change as a mitigation and
// a customer ticket as a possible data-integrity problem. Adding a detector means adding a row
// here; an unknown kind still gets a generic name and action.
#ifndef INQUEST_ANALYZE_DRAFT_KNOWLEDGE_H_
#define INQUEST_ANALYZE_DRAFT_KNOWLEDGE_H_

#include <string>
#include <string_view>

#include "evidence/finding.h"
#include "timeline/change.h"

namespace inquest {

// "Cache stampede" for "cache-stampede"; an unknown kind with its dashes made spaces.
std::string FindingName(std::string_view kind);

// A proposed action for the finding (a starting point the author judges), and its class:
// prevent, detect or mitigate.
std::string ProposedAction(const Finding& f);
std::string_view ActionClass(std::string_view kind);

// True when a change record reads as a mitigation (rollback, revert, restart, failover...).
bool LooksLikeMitigation(const Change& c);

// The first data-integrity word in a customer's text ("charged", "refund", "duplicate order"),
// or empty: a failure after a payment or a write may have left data wrong.
std::string_view DataIntegrityWord(std::string_view text);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_DRAFT_KNOWLEDGE_H_
