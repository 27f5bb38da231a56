#include "report/html_actions.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

// An owner, due date or ticket: the author's to decide while empty.
std::string AuthorField(const std::string& value) {
  return value.empty()
             ? "<span class=\"tbd\" title=\"to be decided by the author\">to be decided</span>"
             : HtmlEscape(value);
}

std::string AnsweredFinding(const DraftModel& d, const std::string& id) {
  if (id.empty()) return "—";
  for (const DraftFinding& f : d.findings)
    if (f.id == id)
      return fmt::format("{} <span class=\"q\">{}</span>", HtmlEscape(id),
                         HtmlEscape(f.name.empty() ? f.kind : f.name));
  return HtmlEscape(id);
}

}  // namespace

std::string HtmlActionItems(const DraftModel* draft, HtmlCitations* cites) {
  std::string h = "<h2 id=\"actions\">Proposed action items</h2>\n";
  if (draft == nullptr)
    return h + "<p>No post-mortem draft was made, so no action items are proposed.</p>\n";
  if (draft->actions.empty()) return h + "<p>The draft proposes no action items.</p>\n";
  h += "<p class=\"sub\">Proposed by the draft from the findings. Owners, due dates and tickets "
       "are the author's to decide: “to be decided” until the author sets them.</p>\n";
  h += "<table class=\"acts\"><thead><tr><th>ID</th><th>Action</th><th>Answers</th>"
       "<th>Class</th><th>Owner</th><th>Due</th><th>Ticket</th><th>Status</th><th>Source</th>"
       "</tr></thead><tbody>\n";
  for (const DraftAction& a : draft->actions)
    h += fmt::format(
        "<tr><td "
        "class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        HtmlEscape(a.id), HtmlEscape(a.action), AnsweredFinding(*draft, a.finding_id),
        a.item_class.empty() ? "—" : HtmlEscape(a.item_class), AuthorField(a.owner),
        AuthorField(a.due), AuthorField(a.ticket), HtmlEscape(a.status), cites->Link(a.source));
  h += "</tbody></table>\n";
  return h;
}

}  // namespace inquest
