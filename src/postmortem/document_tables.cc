// Timeline rows and action items: read from the tables, lists or timed sub-headings of their
// sections, with columns found by their header names.
#include <cmark-gfm-core-extensions.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "base/strings.h"
#include "postmortem/document_parts.h"
#include "postmortem/pm_time.h"

namespace inquest {

void PmAppendInlineText(cmark_node* node, std::string* out) {
  for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* lit = cmark_node_get_literal(c)) *out += lit;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        *out += '\n';
        break;
      case CMARK_NODE_HTML_INLINE:
        break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
        if (!out->empty() && out->back() != '\n') *out += '\n';
        PmAppendInlineText(c, out);
        break;
      case CMARK_NODE_CODE_BLOCK:
        break;
      default:
        PmAppendInlineText(c, out);
    }
  }
}

std::string PmInlineText(cmark_node* node) {
  std::string out;
  PmAppendInlineText(node, &out);
  return out;
}

void PmCollectLinks(cmark_node* node, std::vector<std::string>* urls) {
  for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
      if (const char* url = cmark_node_get_url(c); url && *url) urls->push_back(url);
    }
    PmCollectLinks(c, urls);
  }
}

bool PmIsType(cmark_node* node, const char* type) {
  return std::strcmp(cmark_node_get_type_string(node), type) == 0;
}

namespace {

// Calls `fn` on every table and every outermost list whose first line is inside `section`.
template <typename Fn>
void ForEachTableAndList(cmark_node* node, const PmSection& section, bool inside_list,
                         const Fn& fn) {
  for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    int line = cmark_node_get_start_line(c);
    bool in_range = line > section.line && line <= section.end_line;
    if (PmIsType(c, "table")) {
      if (in_range) fn(c);
      continue;
    }
    if (cmark_node_get_type(c) == CMARK_NODE_LIST && !inside_list) {
      if (in_range) fn(c);
      continue;
    }
    ForEachTableAndList(c, section, inside_list, fn);
  }
}

std::vector<std::string> RowCells(cmark_node* row) {
  std::vector<std::string> cells;
  for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell))
    cells.push_back(std::string(TrimSpace(PmInlineText(cell))));
  return cells;
}

// The index of the first header naming one of `names` (lower case, "starts with"), or -1.
int Column(const std::vector<std::string>& header, std::initializer_list<std::string_view> names,
           int skip = -1) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (int(i) == skip) continue;
    std::string h = ToLower(header[i]);
    for (std::string_view n : names)
      if (h.compare(0, n.size(), n) == 0) return int(i);
  }
  return -1;
}

std::string Cell(const std::vector<std::string>& cells, int i) {
  return i >= 0 && size_t(i) < cells.size() ? cells[i] : std::string();
}

// A trailing "(source)" of an event: "pricing p99 -> 4.2s (Tempo trace 9f2...)".
std::string TrailingParenthesis(std::string* event) {
  static const RE2 kTrailing(R"(^(.*\S)\s*\(([^()]+)\)\s*\.?$)");
  std::string head, paren;
  if (RE2::FullMatch(*event, kTrailing, &head, &paren)) {
    *event = head;
    return paren;
  }
  return {};
}

class TimelineReader {
 public:
  explicit TimelineReader(PmDocument* doc) : doc_(doc) {
    date_ = ReadPmTime(doc->date.text);
    if (!date_.has_date) date_ = ReadPmTime(doc->started.field.text);
    if (!date_.has_date) date_ = PmTimeText{};
  }

  void Add(std::string time_text, std::string event, std::string source, int line, int column) {
    TimelineRow row;
    PmTimeText t = ReadPmTime(time_text);
    if (t.found() && time_text.size() > t.consumed && event.empty()) {
      // "14:11  cache cleared": time and event in one text.
      event = std::string(TrimSpace(std::string_view(time_text).substr(t.consumed)));
      static const RE2 kDash(R"(^[-—–:|]\s*)");
      RE2::Replace(&event, kDash, "");
      time_text = std::string(TrimSpace(std::string_view(time_text).substr(0, t.consumed)));
    } else if (!t.found() && event.empty()) {
      event = time_text;
      time_text.clear();
    }
    if (source.empty()) source = TrailingParenthesis(&event);
    row.time_text = std::move(time_text);
    row.event = std::move(event);
    row.source = std::move(source);
    row.line = line;
    row.column = column;
    if (t.found()) {
      if (t.has_date && t.year == 0 && date_.has_date) t.year = date_.year;
      if (t.has_date && t.year != 0) date_ = t;
      row.has_date = t.has_date;
      row.has_clock = t.has_clock;
      if (t.has_date) day_offset_ = 0;
      if (t.has_clock) {
        row.clock_seconds = t.hour * 3600 + t.minute * 60 + t.second;
        // A clock far behind the previous row's, under the same written date, is the next
        // day: "23:00" then "00:40".
        if (!t.has_date && prev_clock_ >= 0 && row.clock_seconds + kRolloverSeconds < prev_clock_)
          ++day_offset_;
        prev_clock_ = row.clock_seconds;
        row.time = PmTimeToUtc(t, date_, doc_->timeline_zone.text);
        if (row.time != kNoTime) row.time += day_offset_ * 86400 * kNanosPerSecond;
      }
      if (t.has_date && t.year == 0)
        row.day = -1;  // a day and month in an undated document
      else if (date_.has_date)
        row.day = DaysFromCivil(date_.year, date_.month, date_.day) + day_offset_;
      row.zone_assumed = t.zone.empty() && doc_->timeline_zone.text.empty();
      std::string zone = t.zone.empty() ? doc_->timeline_zone.text : t.zone;
      int offset = 0;
      row.zone_not_utc = !zone.empty() && (!PmZoneOffset(zone, &offset) || offset != 0);
    }
    doc_->timeline.push_back(std::move(row));
  }

  // A date heading ("## May 13") over timed sub-headings: the date of the rows that follow.
  void SetDate(PmTimeText t) {
    if (t.year == 0 && date_.has_date) t.year = date_.year;
    if (t.year != 0) date_ = t;
    day_offset_ = 0;
    prev_clock_ = -1;
  }

 private:
  // A clock this much earlier than the row before it means midnight passed.
  static constexpr int kRolloverSeconds = 12 * 3600;
  PmDocument* doc_;
  PmTimeText date_;
  int day_offset_ = 0;
  int prev_clock_ = -1;
};

void FindTimelineZone(PmDocument* doc, const PmSection& s) {
  static const RE2 kZone(
      R"(\b((?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|UTC|GMT|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|PST|)"
      R"(PDT|[+-]\d{2}:\d{2})\b)");
  // "All times in IST", "Date and Time in CET": any zone a sentence about times names.
  static const RE2 kTimesIn(
      R"((?i)\btimes?\b[^.\n]{0,20}?\bin\s+([A-Za-z]{2,5}(?:[+-]\d{1,2})?)\b)");
  std::string zone;
  if (RE2::PartialMatch(s.heading, kZone, &zone) || RE2::PartialMatch(s.heading, kTimesIn, &zone)) {
    doc->timeline_zone = PmField{zone, s.line, 1};
    return;
  }
  for (const PmTextBlock& b : doc->blocks) {
    if (b.line <= s.line || b.line > s.end_line) continue;
    if (ToLower(b.text).find("time") == std::string::npos) continue;
    if (ReadPmTime(b.text).found()) continue;  // a timeline row, not a note on the zone
    if (RE2::PartialMatch(b.text, kZone, &zone) || RE2::PartialMatch(b.text, kTimesIn, &zone)) {
      doc->timeline_zone = PmField{zone, b.line, b.column};
      return;
    }
  }
}

}  // namespace

// The timeline's content in document order: tables and lists give rows; a heading with a clock
// time ("### 1:06 PM") is a row whose event is the text under it; a heading with only a date
// ("## May 13") dates the rows after it; a paragraph that starts with a clock time is a row.
struct TimelineWalk {
  PmDocument* doc;
  TimelineReader* reader;
  const PmSection& sec;
  bool under_timed_heading = false;

  bool InRange(cmark_node* n) const {
    int line = cmark_node_get_start_line(n);
    return line > sec.line && line <= sec.end_line;
  }

  void Table(cmark_node* n) {
    cmark_node* head = cmark_node_first_child(n);
    std::vector<std::string> header = RowCells(head);
    int time_col = Column(header, {"time", "date", "when", "timestamp"});
    if (time_col < 0) time_col = 0;
    int event_col = Column(header, {"event", "what", "description", "action", "detail"});
    if (event_col < 0) event_col = time_col == 0 ? 1 : 0;
    int source_col = Column(header, {"source", "evidence", "link", "ref"});
    if (source_col >= 0) doc->timeline_has_source_column = true;
    for (cmark_node* row = cmark_node_next(head); row; row = cmark_node_next(row)) {
      std::vector<std::string> cells = RowCells(row);
      reader->Add(Cell(cells, time_col), Cell(cells, event_col), Cell(cells, source_col),
                  cmark_node_get_start_line(row), 1);
    }
  }

  void Heading(cmark_node* n) {
    std::string heading(TrimSpace(PmInlineText(n)));
    PmTimeText t = ReadPmTime(heading);
    under_timed_heading = t.has_clock;
    if (!t.found()) return;
    if (!t.has_clock) {
      reader->SetDate(t);
      return;
    }
    // The event: the text of the section this heading opens.
    int line = cmark_node_get_start_line(n);
    std::string event;
    auto it = std::lower_bound(doc->sections.begin(), doc->sections.end(), line,
                               [](const PmSection& s, int l) { return s.line < l; });
    if (it != doc->sections.end() && it->line == line) event = it->text;
    for (char& c : event)
      if (c == '\n') c = ' ';
    reader->Add(heading, std::string(TrimSpace(event)), "", line, 1);
  }

  void Walk(cmark_node* node, bool inside_list) {
    for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
      if (!InRange(c)) {
        if (cmark_node_get_start_line(c) <= sec.end_line) Walk(c, inside_list);
        continue;
      }
      cmark_node_type type = cmark_node_get_type(c);
      if (type == CMARK_NODE_HEADING) {
        Heading(c);
      } else if (PmIsType(c, "table")) {
        Table(c);
      } else if (type == CMARK_NODE_LIST && !inside_list) {
        if (under_timed_heading) continue;  // the event text of the heading above
        for (cmark_node* item = cmark_node_first_child(c); item; item = cmark_node_next(item)) {
          std::string text = PmInlineText(item);
          for (char& ch : text)
            if (ch == '\n') ch = ' ';
          reader->Add(std::string(TrimSpace(text)), "", "", cmark_node_get_start_line(item),
                      cmark_node_get_start_column(item));
        }
      } else if (type == CMARK_NODE_PARAGRAPH && !inside_list && !under_timed_heading) {
        std::string text = PmInlineText(c);
        PmTimeText t = ReadPmTime(text);
        if (!t.has_clock) continue;
        for (char& ch : text)
          if (ch == '\n') ch = ' ';
        reader->Add(std::string(TrimSpace(text)), "", "", cmark_node_get_start_line(c),
                    cmark_node_get_start_column(c));
      } else if (type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_ITEM) {
        Walk(c, inside_list || type == CMARK_NODE_ITEM);
      }
    }
  }
};

void ReadTimeline(cmark_node* root, PmDocument* doc) {
  int index = doc->FindSection({"timeline", "detailed timeline", "incident timeline"});
  if (index < 0) return;
  doc->timeline_section = index;
  // Dated sections right after the timeline at its level ("## May 12", "## May 13") continue it.
  PmSection sec = doc->sections[index];
  for (size_t i = index + 1; i < doc->sections.size(); ++i) {
    const PmSection& next = doc->sections[i];
    if (next.level < sec.level) break;
    if (next.level > sec.level) continue;
    if (!ReadPmTime(next.heading).has_date) break;
    sec.end_line = next.end_line;
  }
  FindTimelineZone(doc, sec);
  TimelineReader reader(doc);
  TimelineWalk walk{doc, &reader, sec};
  walk.Walk(root, false);
}

namespace {

std::string FindTicket(std::string_view text, const std::vector<std::string>& links) {
  for (const std::string& url : links) return url;
  static const RE2 kTicket(R"((https?://[^\s)>\]]+|(?:^|\s|\()#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b))");
  std::string t;
  if (RE2::PartialMatch(text, kTicket, &t)) return std::string(TrimSpace(t));
  return {};
}

void ReadInlineAttributes(ActionItem* a, std::string_view text) {
  static const RE2 kOwner(R"((?i)\bowner\s*:\s*([^;,()\n]+))");
  // "DevEx will update all service accounts ...": the subject owns the item.
  static const RE2 kSubject(
      R"(^\s*(?:\*\*)?([A-Z][A-Za-z0-9&/-]+(?: [A-Z][A-Za-z0-9&/-]+)?) (?:will|shall|owns|is )"
      R"(responsible|has placed|is going to)\b)");
  static const RE2 kMention(R"((?:^|\s|\()(@[A-Za-z0-9_-]+))");
  static const RE2 kDue(R"((?i)\b(?:due|by)\s*:?\s*(\d{4}-\d{2}-\d{2}))");
  static const RE2 kStatus(R"((?i)\bstatus\s*:\s*([A-Za-z' -]+))");
  static const RE2 kClass(R"((?i)(?:\b(?:class|type)\s*:\s*|\[)(prevent|detect|mitigate)\b)");
  std::string v;
  if (a->owner.empty() &&
      (RE2::PartialMatch(text, kOwner, &v) || RE2::PartialMatch(text, kMention, &v)))
    a->owner = std::string(TrimSpace(v));
  if (a->owner.empty() && RE2::PartialMatch(text, kSubject, &v) && v != "We" && v != "It" &&
      v != "This" && v != "There" && v != "They" && v != "The" && v != "That")
    a->owner = v;
  if (a->due.empty() && RE2::PartialMatch(text, kDue, &v)) a->due = v;
  if (a->status.empty() && RE2::PartialMatch(text, kStatus, &v))
    a->status = std::string(TrimSpace(v));
  if (a->item_class.empty() && RE2::PartialMatch(text, kClass, &v)) a->item_class = ToLower(v);
}

}  // namespace

void ReadActionItems(cmark_node* root, PmDocument* doc) {
  int index = doc->FindSection({"action items", "action item", "actions", "follow up", "follow ups",
                                "corrective actions", "remediation", "next steps"});
  if (index < 0) return;
  doc->actions_section = index;
  const PmSection& sec = doc->sections[index];
  ForEachTableAndList(root, sec, false, [&](cmark_node* n) {
    if (PmIsType(n, "table")) {
      cmark_node* head = cmark_node_first_child(n);
      std::vector<std::string> header = RowCells(head);
      int id = Column(header, {"id", "#", "no", "key"});
      int action = Column(header, {"action", "item", "task", "description", "what", "summary"});
      if (action < 0) action = id == 0 ? 1 : 0;
      int owner = Column(header, {"owner", "who", "assignee", "responsible", "assigned"});
      int due = Column(header, {"due", "deadline", "by", "target", "date", "eta"});
      int status = Column(header, {"status", "state", "done"});
      int klass = Column(header, {"class", "type", "kind", "category"});
      int ticket = Column(header, {"ticket", "issue", "link", "jira", "tracker", "pr"});
      for (cmark_node* row = cmark_node_next(head); row; row = cmark_node_next(row)) {
        std::vector<std::string> cells = RowCells(row);
        ActionItem a;
        a.id = Cell(cells, id);
        a.action = Cell(cells, action);
        a.owner = Cell(cells, owner);
        a.due = Cell(cells, due);
        a.status = Cell(cells, status);
        a.item_class = ToLower(Cell(cells, klass));
        std::vector<std::string> links;
        PmCollectLinks(row, &links);
        a.ticket = ticket >= 0 ? Cell(cells, ticket) : std::string();
        if (ticket >= 0 && !links.empty() && !a.ticket.empty()) {
          // A ticket cell that is a link: keep its URL.
          std::vector<std::string> cell_links;
          int i = 0;
          for (cmark_node* c = cmark_node_first_child(row); c; c = cmark_node_next(c), ++i)
            if (i == ticket) PmCollectLinks(c, &cell_links);
          if (!cell_links.empty()) a.ticket = cell_links.front();
        }
        if (ticket < 0) a.ticket = FindTicket(a.action, links);
        a.line = cmark_node_get_start_line(row);
        a.column = 1;
        a.from_table = true;
        a.has_owner_column = owner >= 0;
        a.has_due_column = due >= 0;
        a.has_status_column = status >= 0;
        a.has_class_column = klass >= 0;
        a.has_ticket_column = ticket >= 0;
        if (TrimSpace(a.action).empty() && TrimSpace(a.id).empty()) continue;
        doc->actions.push_back(std::move(a));
      }
      return;
    }
    for (cmark_node* item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
      ActionItem a;
      std::string text = PmInlineText(item);
      size_t first_break = text.find('\n');
      a.action = std::string(TrimSpace(text.substr(0, first_break)));
      if (a.action.empty()) a.action = std::string(TrimSpace(text));
      std::vector<std::string> links;
      PmCollectLinks(item, &links);
      a.ticket = FindTicket(text, links);
      if (PmIsType(item, "tasklist"))
        a.status = cmark_gfm_extensions_get_tasklist_item_checked(item) ? "done" : "open";
      ReadInlineAttributes(&a, text);
      a.line = cmark_node_get_start_line(item);
      a.column = cmark_node_get_start_column(item);
      doc->actions.push_back(std::move(a));
    }
  });
}

}  // namespace inquest
