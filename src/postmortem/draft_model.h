// The post-mortem draft as data: what `inquest analyze` concluded, laid out the way the
// document presents it, so that one renderer (postmortem/draft_render.h) writes the same
// postmortem.md from an analysis (`analyze`), from the findings.json it wrote (`pm new --from`),
// or from nothing (`pm new`: every section a placeholder).
//
// Every statement carries its evidence reference (`source`: "file:line", or "findings.json
// `onset`"); what the evidence cannot show is a question for the author, written as the one
// placeholder form lint knows ("_Fill in: <question>_", kFillInMarker). A finding is stated in
// full once (under the causes, with its id "F2") and referred to by id elsewhere.
//
// The model is serialised into findings.json under "draft" (draft_json.h) and read back by
// `pm new --from`; a field added here is added to both.
#ifndef INQUEST_POSTMORTEM_DRAFT_MODEL_H_
#define INQUEST_POSTMORTEM_DRAFT_MODEL_H_

#include <string>
#include <vector>

#include "base/time.h"

namespace inquest {

// A proposed value the author confirms (title, SEV): the value and why it was proposed.
struct DraftSuggestion {
  std::string value;
  std::string reason;
};

// One of the incident's key times (UTC), with the evidence it was read from.
struct DraftTime {
  TimePoint time = kNoTime;
  std::string source;
};

// A statement and its evidence. `text` is plain text (the renderer escapes it for Markdown);
// `source` may be empty for statements derived from the other lines.
struct DraftLine {
  std::string text;
  std::string source;
};

struct DraftTimelineRow {
  TimePoint time = kNoTime;
  std::string text;
  std::string source;
};

// A contributing-factor candidate, stated in full once.
struct DraftFinding {
  std::string id;    // "F1"
  std::string kind;  // the detector's kind ("cache-stampede")
  std::string name;  // "Cache stampede"
  std::string text;  // the finding's title sentence
  std::string source;
  TimePoint time = kNoTime;
};

// A proposed action item. Owner, due date and ticket are the author's: empty in a draft, so
// the renderer writes them as placeholders.
struct DraftAction {
  std::string id;          // "AI-1"
  std::string action;      // specific and measurable
  std::string finding_id;  // "F2": the finding it answers; empty for none
  std::string item_class;  // prevent / detect / mitigate
  std::string source;
  std::string owner, due, ticket;
  std::string status = "open";
};

// An appendix block: a heading, an optional paragraph and an optional table.
struct DraftAppendix {
  std::string heading;
  std::string text;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // cells are Markdown (sources in backquotes)
};

struct DraftModel {
  std::string incident_id;  // "inc-20260529-1411-3fa9c2"; empty: the renderer makes one
  std::string drafted_by;   // "inquest analyze" / "inquest pm new"
  std::string evidence_dir;
  size_t evidence_files = 0;
  std::string date;  // YYYY-MM-DD (UTC) of the onset
  DraftSuggestion title, sev;
  DraftTime started, detected, acknowledged, mitigated, resolved;

  std::string summary;  // one paragraph; empty: a placeholder
  std::vector<DraftLine> impact;
  std::vector<std::string> impact_questions;  // evidence-raised questions (data integrity...)
  std::vector<DraftLine> detection;
  std::vector<DraftTimelineRow> timeline;
  DraftLine trigger;                    // the top-ranked change; empty text: none
  std::vector<DraftLine> trigger_refs;  // what shipped it (PR, merge, commit)
  std::vector<DraftLine> runners_up;
  std::vector<DraftFinding> findings;
  std::vector<DraftLine> whys;  // "Why ...? Because ..." with evidence
  std::string whys_question;    // where the chain stops
  std::vector<DraftLine> resolution;
  std::vector<DraftAction> actions;
  std::vector<DraftLine> went_well, went_poorly;
  std::vector<DraftAppendix> appendix;
};

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DRAFT_MODEL_H_
