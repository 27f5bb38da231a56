// From a post-mortem document (postmortem/document.h) to what the store keeps: the incident
// with its identity, and its action items with theirs. `pm import` stores the result with
// Store::Import, which updates instead of duplicating.
//
// Identity (docs/store.md): an incident is keyed "pm:<title in lowercase>@<date>" (the
// document's date, else the date it started), so the same document imported from two
// checkouts, or moved, is one incident. A document with no title or no date is keyed by its
// absolute path ("doc:<path>"). An earlier import of the same path keeps its key when the
// title is later edited (FindImportTarget). Items are keyed by their id column ("AI-3"), else
// by their position ("row 3").
#ifndef INQUEST_STORE_IMPORT_H_
#define INQUEST_STORE_IMPORT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "postmortem/document.h"
#include "store/store.h"

namespace inquest::store {

struct ImportPlan {
  Incident incident;
  std::vector<ActionItem> actions;
  // What was read with an assumption or left out, each "path:line: message" (a due date that
  // is not a date, an unknown status or class). The import goes on; the user is told.
  std::vector<std::string> warnings;
};

// Builds the plan. kBadInput (naming the file) when the document has neither a title nor any
// action item: it is not a post-mortem. Two items with the same id: kBadInput naming both
// lines. An action-item section with table rows but no table (a separator row that does not
// match the header): kBadInput naming the first row, instead of losing the items.
Result<ImportPlan> PlanImport(const PmDocument& doc);

// The stored incident a plan should update: the one with the plan's key, else the one
// imported from the same document path. Sets plan->incident.key to that incident's key so
// Store::Import updates it; leaves the plan alone when there is none.
Status FindImportTarget(Store* store, ImportPlan* plan);

// A coarse category of a trigger sentence, for the metrics and recurrences: "deploy",
// "config", "capacity", "dependency", "expiry", "data", "infrastructure", "security", or
// "other"; "" for an empty text.
std::string TriggerCategory(std::string_view trigger);

}  // namespace inquest::store

#endif  // INQUEST_STORE_IMPORT_H_
