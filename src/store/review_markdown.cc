// The review agenda as Markdown (store/review.h ReviewMarkdown).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "store/review.h"

namespace inquest::store {
namespace {

std::string Day(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0).substr(0, 10); }

std::string IncidentLabel(const Review& r, int64_t id) {
  if (id == 0) return "(none)";
  auto it = r.incidents.find(id);
  if (it == r.incidents.end()) return fmt::format("#{}", id);
  const Incident& i = it->second;
  return fmt::format("#{} {}{}", id, i.title, i.sev.empty() ? "" : " (" + i.sev + ")");
}

std::string Ticket(const ActionItem& a) {
  return a.ticket_url.empty() ? "—" : MarkdownCell(a.ticket_url);
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

void Section(std::string* out, std::string_view title, size_t n) {
  *out += fmt::format("\n## {} ({})\n\n", title, n);
  if (n == 0) *out += "None.\n";
}

std::string IdList(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s += fmt::format("{}#{}", s.empty() ? "" : ", ", id);
  return s;
}

}  // namespace

std::string ReviewMarkdown(const Review& r) {
  std::string out = fmt::format("# Action-item review, {}\n\n", Day(r.now));
  ItemCounts all;
  for (const auto& [owner, c] : r.per_owner) {
    all.total += c.total;
    all.open += c.open;
    all.done += c.done;
    all.wont_do += c.wont_do;
  }
  std::set<int64_t> incomplete;
  for (const auto* list : {&r.no_owner, &r.no_due, &r.no_ticket}) {
    incomplete.insert(list->begin(), list->end());
  }
  out += fmt::format(
      "As of {} UTC. An item decays silently when it is not closed and its status has not "
      "changed for {} days.\n\n",
      FormatTime(r.now, 0).substr(0, 16).replace(10, 1, " "), r.decay_days);
  out += fmt::format(
      "**{}: {} not closed, {} done, {} won't do. {} overdue, {} silently decaying, {} missing an "
      "owner, a due date or a ticket, {}.**\n",
      Plural(all.total, "action item", "action items"), all.open, all.done, all.wont_do,
      r.overdue.size(), r.decaying.size(), incomplete.size(),
      Plural(r.recurrences.size(), "recurrence", "recurrences"));

  Section(&out, "Overdue", r.overdue.size());
  if (!r.overdue.empty()) {
    out += "| # | Action | Owner | Due | Days late | Status | Incident | Ticket |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    for (int64_t id : r.overdue) {
      const ActionItem& a = *r.Item(id);
      out +=
          fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", a.id, MarkdownCell(a.action),
                      a.owner.empty() ? "—" : MarkdownCell(a.owner), Day(a.due),
                      Elapsed(a.due, r.now) / kNanosPerDay, ActionStatusName(a.status),
                      MarkdownCell(IncidentLabel(r, a.incident_id)), Ticket(a));
    }
  }

  Section(&out, "Silent decay", r.decaying.size());
  if (!r.decaying.empty()) {
    out += "| # | Action | Owner | Status | Unchanged for | Incident |\n";
    out += "|---|---|---|---|---|---|\n";
    for (int64_t id : r.decaying) {
      const ActionItem& a = *r.Item(id);
      out += fmt::format("| {} | {} | {} | {} | {} days | {} |\n", a.id, MarkdownCell(a.action),
                         a.owner.empty() ? "—" : MarkdownCell(a.owner), ActionStatusName(a.status),
                         r.DaysSinceStatusChange(a), MarkdownCell(IncidentLabel(r, a.incident_id)));
    }
  }

  Section(&out, "Missing owner, due date or ticket", incomplete.size());
  if (!incomplete.empty()) {
    out += "| # | Action | Missing | Incident |\n|---|---|---|---|\n";
    for (int64_t id : incomplete) {
      const ActionItem& a = *r.Item(id);
      std::vector<std::string_view> missing;
      auto has = [](const std::vector<int64_t>& v, int64_t x) {
        return std::binary_search(v.begin(), v.end(), x);
      };
      if (has(r.no_owner, id)) missing.push_back("owner");
      if (has(r.no_due, id)) missing.push_back("due date");
      if (has(r.no_ticket, id)) missing.push_back("ticket");
      out += fmt::format("| {} | {} | {} | {} |\n", a.id, MarkdownCell(a.action),
                         fmt::join(missing, ", "), MarkdownCell(IncidentLabel(r, a.incident_id)));
    }
  }

  out += "\n## Per owner\n\n";
  if (r.per_owner.empty()) {
    out += "None.\n";
  } else {
    out += "| Owner | Not closed | Overdue | Decaying | Done | Won't do | Total |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (const auto& [owner, c] : r.per_owner) {
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n",
                         owner.empty() ? "(no owner)" : MarkdownCell(owner), c.open, c.overdue,
                         c.decaying, c.done, c.wont_do, c.total);
    }
  }

  out += "\n## Per incident\n\n";
  if (r.per_incident.empty()) {
    out += "None.\n";
  } else {
    out += "| Incident | Started | Not closed | Overdue | Decaying | Done | Won't do | Total |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    for (const auto& [id, c] : r.per_incident) {
      auto it = r.incidents.find(id);
      std::string started = it == r.incidents.end() ? "" : Day(it->second.started);
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                         MarkdownCell(IncidentLabel(r, id)), started.empty() ? "—" : started,
                         c.open, c.overdue, c.decaying, c.done, c.wont_do, c.total);
    }
  }

  Section(&out, "Recurrences", r.recurrences.size());
  for (const Recurrence& rec : r.recurrences) {
    std::vector<std::string> shared;
    if (!rec.shared_services.empty()) {
      shared.push_back(fmt::format("{} {}",
                                   rec.shared_services.size() == 1 ? "service" : "services",
                                   fmt::join(rec.shared_services, ", ")));
    }
    if (!rec.shared_trigger.empty()) {
      shared.push_back(fmt::format("trigger category {}", rec.shared_trigger));
    }
    const Incident& later = r.incidents.at(rec.later_id);
    const Incident& earlier = r.incidents.at(rec.earlier_id);
    out += fmt::format("- **{}** ({}) repeats {} ({}): same {}; not done when it started: {}.\n",
                       IncidentLabel(r, rec.later_id), Day(later.started),
                       IncidentLabel(r, rec.earlier_id), Day(earlier.started),
                       fmt::join(shared, " and "), IdList(rec.earlier_items_not_done));
  }

  out += "\n## For the meeting\n\n";
  out +=
      "- [ ] Each overdue item: land it, re-date it, or close it as won't do. A conscious "
      "reprioritisation is fine; silent decay is not.\n"
      "- [ ] Each decaying item: the owner gives a status today, or the item gets a new owner.\n"
      "- [ ] Each incomplete item: give it an owner (a person or role, not \"the team\"), a due "
      "date and a ticket in the real tracker.\n"
      "- [ ] Each recurrence: which of the earlier incident's items would have broken the cycle, "
      "and why did it not land?\n"
      "- [ ] Next review in two weeks.\n";
  return out;
}

}  // namespace inquest::store
