#include "store/sync_actions.h"

#include <fmt/format.h>

#include <map>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest::store {
namespace {

constexpr SyncOutcome kAllOutcomes[] = {SyncOutcome::kCreated,   SyncOutcome::kLinked,
                                        SyncOutcome::kUpdated,   SyncOutcome::kUnchanged,
                                        SyncOutcome::kNotListed, SyncOutcome::kFailed};

// The status an item should take from its ticket, or nullopt to leave it.
std::optional<ActionStatus> Pulled(const ActionItem& item, const RemoteTicket& t,
                                   bool tracker_reports_progress) {
  if (t.status == item.status) return std::nullopt;
  // An open GitHub issue says nothing about progress: "in progress" stays.
  if (!tracker_reports_progress && !IsClosed(t.status) && !IsClosed(item.status))
    return std::nullopt;
  return t.status;
}

}  // namespace

std::string_view SyncOutcomeName(SyncOutcome o) {
  switch (o) {
    case SyncOutcome::kCreated:
      return "created";
    case SyncOutcome::kLinked:
      return "linked";
    case SyncOutcome::kUpdated:
      return "updated";
    case SyncOutcome::kUnchanged:
      return "unchanged";
    case SyncOutcome::kNotListed:
      return "not listed";
    case SyncOutcome::kFailed:
      return "failed";
  }
  return "?";
}

int SyncReport::Count(SyncOutcome o) const {
  int n = 0;
  for (const SyncItemResult& r : items) n += r.outcome == o;
  return n;
}

Result<SyncReport> SyncActions(Store* store, TicketTracker* tracker, const SyncOptions& options) {
  SyncReport report;
  report.tracker = std::string(tracker->name());
  ActionFilter filter;
  filter.incident_id = options.incident_id;
  INQ_ASSIGN_OR_RETURN(std::vector<ActionItem> items, store->ListActions(filter));
  INQ_ASSIGN_OR_RETURN(std::vector<RemoteTicket> tickets, tracker->ListTickets());
  report.tickets_listed = static_cast<int>(tickets.size());

  std::map<std::string, const RemoteTicket*, std::less<>> by_url;
  std::map<int64_t, const RemoteTicket*> by_marker;
  for (const RemoteTicket& t : tickets) {
    by_url.emplace(t.url, &t);
    if (t.action_id) by_marker.emplace(*t.action_id, &t);  // the oldest listed wins
  }
  std::map<int64_t, Incident> incidents;
  std::string note_prefix = fmt::format("sync {}: ", tracker->name());

  for (const ActionItem& item : items) {
    SyncItemResult res;
    res.item_id = item.id;
    if (item.ticket_url.empty()) {
      if (IsClosed(item.status)) continue;  // closed work needs no ticket
      if (auto it = by_marker.find(item.id); it != by_marker.end()) {
        res.outcome = SyncOutcome::kLinked;
        res.url = it->second->url;
        res.detail = "an existing ticket names this item";
        if (!options.dry_run) {
          ActionUpdate u;
          u.ticket_url = res.url;
          u.note = note_prefix + "linked existing ticket";
          Result<ActionItem> stored = store->UpdateAction(item.id, u);
          if (!stored.ok()) {
            report.stopped = stored.status();
            break;
          }
        }
        report.items.push_back(std::move(res));
        continue;
      }
      const Incident* incident = nullptr;
      if (item.incident_id != 0) {
        auto it = incidents.find(item.incident_id);
        if (it == incidents.end()) {
          Result<Incident> got = store->GetIncident(item.incident_id);
          if (got.ok()) it = incidents.emplace(item.incident_id, std::move(*got)).first;
        }
        if (it != incidents.end()) incident = &it->second;
      }
      TicketDraft draft = DraftFor(item, incident);
      if (options.dry_run) {
        res.outcome = SyncOutcome::kCreated;
        res.detail = "would create: " + draft.title;
        report.items.push_back(std::move(res));
        continue;
      }
      Result<RemoteTicket> created = tracker->Create(draft);
      if (!created.ok()) {
        if (IsFatalTrackerError(created.status())) {
          report.stopped = created.status();
          break;
        }
        res.outcome = SyncOutcome::kFailed;
        res.detail = created.status().message();
        report.items.push_back(std::move(res));
        continue;
      }
      res.outcome = SyncOutcome::kCreated;
      res.url = created->url;
      res.detail = draft.title;
      ActionUpdate u;
      u.ticket_url = created->url;
      u.note = note_prefix + "created ticket";
      Result<ActionItem> stored = store->UpdateAction(item.id, u);
      if (!stored.ok()) {
        res.outcome = SyncOutcome::kFailed;
        res.detail =
            fmt::format("ticket {} created but storing its URL failed ({}); the next sync links it",
                        created->url, stored.status().message());
        report.items.push_back(std::move(res));
        report.stopped = stored.status();
        break;
      }
      report.items.push_back(std::move(res));
      continue;
    }
    if (!tracker->Owns(item.ticket_url)) continue;  // another tracker's ticket
    res.url = item.ticket_url;
    auto it = by_url.find(item.ticket_url);
    if (it == by_url.end()) {
      res.outcome = SyncOutcome::kNotListed;
      res.detail = fmt::format("the tracker does not list it with the label '{}'", kTicketLabel);
      report.items.push_back(std::move(res));
      continue;
    }
    const RemoteTicket& t = *it->second;
    std::optional<ActionStatus> to = Pulled(item, t, tracker->ReportsProgress());
    if (!to) {
      res.outcome = SyncOutcome::kUnchanged;
      res.detail = fmt::format("{} ({})", ActionStatusName(item.status), t.state_text);
      report.items.push_back(std::move(res));
      continue;
    }
    res.outcome = SyncOutcome::kUpdated;
    res.detail = fmt::format("{} -> {} (ticket {})", ActionStatusName(item.status),
                             ActionStatusName(*to), t.state_text);
    if (!options.dry_run) {
      ActionUpdate u;
      u.status = *to;
      u.note = fmt::format("{}ticket {}", note_prefix, t.state_text);
      Result<ActionItem> stored = store->UpdateAction(item.id, u);
      if (!stored.ok()) {
        report.stopped = stored.status();
        break;
      }
    }
    report.items.push_back(std::move(res));
  }
  return report;
}

std::string FormatSyncText(const SyncReport& report) {
  std::string out = fmt::format("{}: {} tickets listed\n", report.tracker, report.tickets_listed);
  for (const SyncItemResult& r : report.items) {
    if (r.outcome == SyncOutcome::kUnchanged) continue;
    out += fmt::format("  {:<10} #{:<5} {}", SyncOutcomeName(r.outcome), r.item_id,
                       SanitizeForTerminal(r.url));
    if (!r.detail.empty()) out += (r.url.empty() ? "" : "  ") + SanitizeForTerminal(r.detail);
    out += '\n';
  }
  std::string counts;
  for (SyncOutcome o : kAllOutcomes)
    counts +=
        fmt::format("{}{} {}", counts.empty() ? "" : ", ", SyncOutcomeName(o), report.Count(o));
  out += counts + "\n";
  if (!report.stopped.ok())
    out += fmt::format("stopped early: {}\n", SanitizeForTerminal(report.stopped.message()));
  return out;
}

Redacted FormatSyncJson(const SyncReport& report) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginObject()
      .Field("tracker", report.tracker)
      .FieldUint("tickets_listed", report.tickets_listed);
  w.Key("items").BeginArray();
  for (const SyncItemResult& r : report.items) {
    w.BeginObject().FieldInt("id", r.item_id).Field("outcome", SyncOutcomeName(r.outcome));
    w.Field("url", r.url).Field("detail", r.detail).EndObject();
  }
  w.EndArray().Key("counts").BeginObject();
  for (SyncOutcome o : kAllOutcomes) w.FieldUint(SyncOutcomeName(o), report.Count(o));
  w.EndObject().Key("stopped");
  if (report.stopped.ok())
    w.Null();
  else
    w.String(report.stopped.message());
  w.EndObject();
  return w.TakeLine();
}

}  // namespace inquest::store
