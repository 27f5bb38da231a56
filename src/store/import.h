// From a post-mortem document (postmortem/document.h) to what the store keeps: the incident
// with its identity, and its action items with theirs. `pm import` stores the result with
// Store::Import, which updates instead of duplicating.
//
//   INQ_ASSIGN_OR_RETURN(ImportPlan plan, PlanImport(doc));
//   INQ_RETURN_IF_ERROR(FindImportTarget(store, &plan));
//   INQ_ASSIGN_OR_RETURN(ImportResult r, store->Import(plan.incident, plan.actions, {}));
//
// Identity (docs/store.md), never title and date alone:
//  - A document with an incident id (an `Incident:` line in its header, which `analyze` and
//    `pm new` write; any token will do, e.g. "INC-2291") is keyed "id:<incident id>" and
//    matched on that key only. Two documents with the same title and day but different ids
//    are two incidents; the same document moved or copied to another checkout is one.
//  - A document without one is keyed "doc:<absolute path>" and matched only on an earlier
//    import of the same file: the incident with that key, else one an earlier inquest stored
//    from that path under a "pm:<title>@<date>" key (the one with this document's title and
//    date first). A different file is a new incident, and PlanImport warns, suggesting an id.
//    An incident keyed by an incident id is never updated by a document without it.
//  - Adding the `Incident:` line to a document imported without one does not duplicate it:
//    when no incident has the id yet, the one imported from the same file with the same
//    title and date ("pm:" or "doc:" key) is adopted and re-keyed "id:<incident id>".
// Items are keyed by their id column ("AI-3"), else by their position ("row 3"), inside the
// incident; Store::Import says how a re-import changes them and when a rewritten text is
// taken for another item (store/item_identity.h).
#ifndef INQUEST_STORE_IMPORT_H_
#define INQUEST_STORE_IMPORT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "postmortem/document.h"
#include "store/store.h"

namespace inquest::store {

struct ImportPlan {
  Incident incident;  // key "id:<incident id>" or "doc:<absolute path>"; id 0
  std::vector<ActionItem> actions;
  std::vector<int> action_lines;  // the document line of each of `actions`
  std::string incident_id;        // the document's `Incident:` token; "" when it has none
  // "pm:<title in lowercase>@<date>", the key inquest gave documents before incident ids (""
  // without a title or a date): how an incident stored then is recognised.
  std::string legacy_key;
  // How FindImportTarget chose the incident, for the user: "new", "incident id", "same file",
  // "adopted" (an incident imported without an id, re-keyed).
  std::string matched_by = "new";
  // What was read with an assumption or left out, each "path:line: message" (a due date that
  // is not a date, an unknown status or class, no incident id). The import goes on; the user
  // is told.
  std::vector<std::string> warnings;

  // The document line of the item keyed `source_key`; 0 when there is none.
  int LineOf(std::string_view source_key) const;
};

// Builds the plan. kBadInput (naming the file) when the document has neither a title nor any
// action item: it is not a post-mortem. Two items with the same id: kBadInput naming both
// lines. An action-item section with table rows but no table (a separator row that does not
// match the header): kBadInput naming the first row, instead of losing the items.
Result<ImportPlan> PlanImport(const PmDocument& doc);

// Chooses the stored incident a plan updates, by the identity rule above. Sets
// plan->incident.id to it (0: a new incident) and plan->matched_by; for a document without an
// id that updates an incident stored under another key, sets plan->incident.key to that key
// (kept). May add warnings (an id-less copy of a document whose incident has an id; one
// incident id imported from two files with different titles). Errors: the store's.
Status FindImportTarget(Store* store, ImportPlan* plan);

// "inc-20260529-1411-3fa9c2": an incident id for a document that has none, from its start
// time (else its date) and a hash of its text, in the form `analyze` writes. Stable for the
// same text; two documents that differ get different ids.
std::string SuggestIncidentId(const PmDocument& doc, TimePoint started);

// A coarse category of a trigger sentence, for the metrics and recurrences: "deploy",
// "config", "capacity", "dependency", "expiry", "data", "infrastructure", "security", or
// "other"; "" for an empty text.
std::string TriggerCategory(std::string_view trigger);

}  // namespace inquest::store

#endif  // INQUEST_STORE_IMPORT_H_
