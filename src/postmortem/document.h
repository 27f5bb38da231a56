// A post-mortem Markdown document read into its parts: the header fields (title, SEV, status,
// times, services, trigger), the sections, the timeline rows and the action items, each with
// the line it came from. The Markdown is parsed with cmark-gfm (tables and task lists), so a
// table is a table and a heading inside a code block is not a heading.
//
//   INQ_ASSIGN_OR_RETURN(PmDocument doc, ReadPmDocument("postmortem.md"));
//   for (const ActionItem& a : doc.actions) Use(a.action, a.owner, a.due, a.line);
//
// The reader accepts any Markdown: what a document does not state is left empty (lines 0),
// and judging whether that is acceptable is the linter's job (postmortem/lint.h). Times are UTC:
// a time written without a zone is read as UTC and flagged `zone_assumed`.
#ifndef INQUEST_POSTMORTEM_DOCUMENT_H_
#define INQUEST_POSTMORTEM_DOCUMENT_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace inquest {

// Input larger than this is refused: the primer's upper bound is four pages (about 2,000
// words); a document a thousand times that is not a post-mortem, and bounding it keeps the
// reader's memory bounded.
inline constexpr size_t kMaxPmDocumentBytes = 8u << 20;

// A value stated in the document and where: `line` is 1-based, 0 when the document does not
// state it; `column` is 1-based in bytes.
struct PmField {
  std::string text;
  int line = 0;
  int column = 0;
  bool present() const { return line > 0; }
};

// A stated time ("Detected: 2026-05-29 14:12 UTC"). `time` is kNoTime when the text is not a
// time inquest can read; a clock time without a date takes the document's date.
struct PmTime {
  PmField field;
  TimePoint time = kNoTime;
  bool zone_assumed = false;  // no zone written: read as UTC
};

// One heading and what follows it up to the next heading of the same or a higher level
// (subsections included in `text`).
struct PmSection {
  std::string heading;    // plain text, markup removed
  int level = 0;          // 1 for '#', 2 for '##', ...
  int line = 0;           // the heading's line
  int end_line = 0;       // the last line of the section's content (== line when empty)
  std::string text;       // plain text of the content, blocks separated by newlines
  int words = 0;          // words of `text`
  bool has_code = false;  // a code block in the section (content `text` leaves out)
};

// A block of running text (paragraph, list item paragraph, table cell, heading) as plain text,
// for rules that look at wording. `line` and `column` are where the block starts; a newline in
// `text` is a line break of the source, so line + (newlines before a position) is its line.
struct PmTextBlock {
  std::string text;
  int line = 0;
  int column = 0;
  int section = -1;  // index into PmDocument::sections, -1 before the first heading
  bool in_table = false;
  bool is_heading = false;
};

// One row of the timeline: a list item ("- 14:11 cache cleared (logs)"), a table row
// (| Time | Event | Source |), or a sub-heading carrying a time ("### 1:06 PM").
struct TimelineRow {
  std::string time_text;  // the time as written
  std::string event;
  std::string source;  // a Source column, or a trailing "(...)" of the event; empty if none
  int line = 0;
  int column = 0;
  // UTC time of the row: kNoTime without a clock time or without any date to put it on.
  TimePoint time = kNoTime;
  bool has_date = false;      // the text carried a date (else the previous row's was used)
  bool has_clock = false;     // the text carried a clock time (not "HH:mm")
  int64_t day = -1;           // days since 1970-01-01 of the row's date; -1 when unknown
  int clock_seconds = -1;     // seconds since midnight as written; -1 without a clock
  bool zone_assumed = false;  // neither the row nor the timeline names a zone
  bool zone_not_utc = false;  // the text names a zone other than UTC (PM, BST, +02:00...)
};

// One action item: a table row under the action-item heading, or a list item there.
struct ActionItem {
  std::string id;  // "AI-1"
  std::string action;
  std::string owner;
  std::string due;
  std::string status;      // as written; a task-list box gives "done" or "open"
  std::string item_class;  // prevent / detect / mitigate as written (Class or Type column)
  std::string ticket;      // a Ticket column, or the first link / #123 / KEY-123 in the row
  int line = 0;
  int column = 0;
  bool from_table = false;
  // Which columns the table had, so a rule can tell "empty cell" from "no such column".
  bool has_owner_column = false;
  bool has_due_column = false;
  bool has_status_column = false;
  bool has_class_column = false;
  bool has_ticket_column = false;
};

struct PmDocument {
  std::string path;
  // The document's text (lines are looked up in it for columns): invalid UTF-8 repaired, every
  // line ending written \n.
  std::string source;
  std::vector<size_t> line_starts;  // byte offset in `source` of each line (index 0: line 1)

  PmField title;      // the first level-1 heading, minus a "Post-Mortem:" prefix, SEV and date
  PmField sev;        // "SEV-2" (normalised), from the title line or a "Severity:" field
  int sev_level = 0;  // 2 for SEV-2; 0 when none is stated
  // "2026-05-29": from the title line ("May 12 2025" there is written YYYY-MM-DD) or a
  // "Date:" field (as written).
  PmField date;
  // "Incident: inc-20260529-1411-3fa9c2" in the header: the incident's identity, written by
  // `analyze` and `pm new`, which `pm import` matches on.
  PmField incident_id;
  PmField status;  // Draft / In Review / Final as written
  PmField author;
  PmField reviewers;
  PmTime started, detected, acknowledged, mitigated, resolved;
  std::vector<PmField> services;
  PmField trigger;  // "Trigger: ..." (a field or a list item under the causes)
  PmField summary;  // the Summary section's text

  std::vector<PmSection> sections;
  std::vector<PmTextBlock> blocks;
  std::vector<TimelineRow> timeline;
  int timeline_section = -1;                // index into sections, -1 when there is none
  PmField timeline_zone;                    // the zone the timeline says it uses ("Timeline (UTC)")
  bool timeline_has_source_column = false;  // a timeline table with a Source column
  std::vector<ActionItem> actions;
  int actions_section = -1;
  int words = 0;  // words of running text (tables and code included, markup not)

  // The index of the first section whose heading matches the first of `names` that any heading
  // matches (case-insensitive; a heading matches when it starts with the name's words,
  // punctuation ignored), or -1.
  int FindSection(std::initializer_list<std::string_view> names) const;
  // The source line `line` (1-based) without its newline; empty when out of range.
  std::string_view Line(int line) const;
};

// Parses `markdown` (`path` names it in errors). Fails with BadInput only when the bytes are
// not a text document at all (NUL bytes, or over kMaxPmDocumentBytes); invalid UTF-8 is
// repaired with U+FFFD and the document still read.
Result<PmDocument> ParsePmDocument(std::string_view markdown, std::string path);

// Reads and parses a file. NotFound / IoError name the file.
Result<PmDocument> ReadPmDocument(const std::string& path);

// The one placeholder form of a document: a question `pm new` and `analyze` write where the
// evidence cannot answer ("_Fill in: ..._", postmortem/draft_render.h). `pm lint` reports each
// ("unanswered") until it is answered or deleted; `pm import` reads a cell holding one as empty.
inline constexpr std::string_view kFillInMarker = "Fill in:";

// Counts words (runs of letters or digits with inner punctuation) in plain text.
int CountWords(std::string_view text);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DOCUMENT_H_
