// The store's reads and writes in portable SQL.
#include "store/sql_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "base/strings.h"
#include "store/item_identity.h"
#include "store/migrations.h"

namespace inquest::store {
namespace {

// A transaction that lost a race (PostgreSQL serialization failure or deadlock, SQLite still
// busy after its timeout) is run again from the start, this many times at most, waiting
// kRetryBaseMs * attempt in between: contention between a handful of CLI processes clears in
// well under a second.
constexpr int kMaxAttempts = 8;
constexpr int kRetryBaseMs = 20;

constexpr std::string_view kIncidentColumns =
    "id, key, title, sev, started, detected, acknowledged, mitigated, resolved, "
    "trigger_category, summary, document_path, created, updated";
constexpr std::string_view kActionColumns =
    "id, incident_id, action, owner, due, status, action_class, ticket_url, source_key, "
    "created, updated, status_changed, imported_status, imported_text";
// The history columns ChangeFromRow reads, in its order.
constexpr std::string_view kHistoryColumns = "at, from_status, to_status, note, old_text, new_text";

SqlValue Time(TimePoint t) { return t == kNoTime ? SqlValue() : SqlValue(int64_t{t}); }
TimePoint TimeOf(const SqlValue& v) { return SqlIsNull(v) ? kNoTime : SqlInt(v); }
SqlValue Text(std::string_view s) { return SqlValue(std::string(s)); }
SqlValue Int(int64_t n) { return SqlValue(n); }

bool IsRetryable(const Status& s) { return s.message().starts_with(kRetryableError); }

template <typename F>
auto WithRetry(F&& body) -> decltype(body()) {
  for (int attempt = 1;; ++attempt) {
    auto r = body();
    if (r.ok() || attempt == kMaxAttempts || !IsRetryable(r.status())) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(kRetryBaseMs * attempt));
  }
}

Incident IncidentFromRow(const SqlRow& r) {
  Incident i;
  i.id = SqlInt(r[0]);
  i.key = SqlText(r[1]);
  i.title = SqlText(r[2]);
  i.sev = SqlText(r[3]);
  i.started = TimeOf(r[4]);
  i.detected = TimeOf(r[5]);
  i.acknowledged = TimeOf(r[6]);
  i.mitigated = TimeOf(r[7]);
  i.resolved = TimeOf(r[8]);
  i.trigger_category = SqlText(r[9]);
  i.summary = SqlText(r[10]);
  i.document_path = SqlText(r[11]);
  i.created = TimeOf(r[12]);
  i.updated = TimeOf(r[13]);
  return i;
}

// A status or class read back from the store; a value this build does not know (a newer
// build's) reads as the default rather than failing the whole query.
ActionStatus StatusOf(const SqlValue& v) {
  Result<ActionStatus> s = ParseActionStatus(SqlText(v));
  return s.ok() ? *s : ActionStatus::kOpen;
}
ActionClass ClassOf(const SqlValue& v) {
  Result<ActionClass> c = ParseActionClass(SqlText(v));
  return c.ok() ? *c : ActionClass::kUnknown;
}

ActionItem ActionFromRow(const SqlRow& r) {
  ActionItem a;
  a.id = SqlInt(r[0]);
  a.incident_id = SqlIsNull(r[1]) ? 0 : SqlInt(r[1]);
  a.action = SqlText(r[2]);
  a.owner = SqlText(r[3]);
  a.due = TimeOf(r[4]);
  a.status = StatusOf(r[5]);
  a.action_class = ClassOf(r[6]);
  a.ticket_url = SqlText(r[7]);
  a.source_key = SqlText(r[8]);
  a.created = TimeOf(r[9]);
  a.updated = TimeOf(r[10]);
  a.status_changed = TimeOf(r[11]);
  return a;
}

StatusChange ChangeFromRow(const SqlRow& r) {
  StatusChange c;
  c.at = TimeOf(r[0]);
  if (!SqlIsNull(r[1])) c.from = StatusOf(r[1]);
  c.to = StatusOf(r[2]);
  c.note = SqlText(r[3]);
  if (!SqlIsNull(r[5])) {
    c.old_text = SqlText(r[4]);
    c.new_text = SqlText(r[5]);
  }
  return c;
}

// How a value is shown in a FieldChange: "" for none.
std::string ShownTime(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0); }
std::string ShownDay(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0).substr(0, 10); }

// The fields of a stored incident an import changes.
std::vector<FieldChange> IncidentChanges(const Incident& a, const Incident& b) {
  std::vector<FieldChange> out;
  auto cmp = [&](std::string_view field, std::string from, std::string to) {
    if (from != to) out.push_back({std::string(field), std::move(from), std::move(to)});
  };
  cmp("key", a.key, b.key);
  cmp("title", a.title, b.title);
  cmp("sev", a.sev, b.sev);
  cmp("services", fmt::format("{}", fmt::join(a.services, ", ")),
      fmt::format("{}", fmt::join(b.services, ", ")));
  cmp("started", ShownTime(a.started), ShownTime(b.started));
  cmp("detected", ShownTime(a.detected), ShownTime(b.detected));
  cmp("acknowledged", ShownTime(a.acknowledged), ShownTime(b.acknowledged));
  cmp("mitigated", ShownTime(a.mitigated), ShownTime(b.mitigated));
  cmp("resolved", ShownTime(a.resolved), ShownTime(b.resolved));
  cmp("trigger", a.trigger_category, b.trigger_category);
  cmp("summary", a.summary, b.summary);
  cmp("document", a.document_path, b.document_path);
  return out;
}

// The fields of `cur` that `u` changes, as UpdateActionLocked will apply them.
std::vector<FieldChange> ItemChanges(const ActionItem& cur, const ActionUpdate& u) {
  std::vector<FieldChange> out;
  auto cmp = [&](std::string_view field, std::string from, std::string to) {
    if (from != to) out.push_back({std::string(field), std::move(from), std::move(to)});
  };
  if (u.action) cmp("text", cur.action, *u.action);
  if (u.status) {
    cmp("status", std::string(ActionStatusName(cur.status)),
        std::string(ActionStatusName(*u.status)));
  }
  if (u.owner) cmp("owner", cur.owner, *u.owner);
  if (u.due) cmp("due", ShownDay(cur.due), ShownDay(*u.due));
  if (u.action_class) {
    cmp("class", std::string(ActionClassName(cur.action_class)),
        std::string(ActionClassName(*u.action_class)));
  }
  if (u.ticket_url) cmp("ticket", cur.ticket_url, *u.ticket_url);
  return out;
}

// A key no other incident can hold, for the moment between inserting a key-less incident and
// renaming it "store:<id>".
std::string PendingKey() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("pending:{:016x}", rng());
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> conn, std::string location, StoreOptions options)
    : conn_(std::move(conn)), location_(std::move(location)), options_(std::move(options)) {}

TimePoint SqlStore::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<int> SqlStore::SchemaVersion() { return ReadSchemaVersion(conn_.get()); }

// ---------------------------------------------------------------------------------------------
// Incidents

Result<int64_t> SqlStore::PutIncident(const Incident& incident) {
  return WithRetry([&]() -> Result<int64_t> {
    Transaction tx(conn_.get());
    INQ_RETURN_IF_ERROR(tx.Begin());
    bool created = false;
    INQ_ASSIGN_OR_RETURN(int64_t id, PutIncidentLocked(incident, &created));
    INQ_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Result<int64_t> SqlStore::PutIncidentLocked(const Incident& in, bool* created) {
  if (in.title.empty()) return Status::InvalidArgument("an incident needs a title");
  TimePoint now = Now();
  int64_t id = 0;
  if (in.id != 0) {
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        conn_->Query(fmt::format("SELECT id FROM incidents WHERE id = $1{}", conn_->ForUpdate()),
                     {Int(in.id)}));
    if (rows.empty()) return Status::NotFound(fmt::format("no incident {} in the store", in.id));
    id = in.id;
    if (!in.key.empty()) {
      INQ_RETURN_IF_ERROR(
          conn_->Query("UPDATE incidents SET key = $1 WHERE id = $2", {Text(in.key), Int(id)})
              .status());
    }
  } else if (!in.key.empty()) {
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        conn_->Query(fmt::format("SELECT id FROM incidents WHERE key = $1{}", conn_->ForUpdate()),
                     {Text(in.key)}));
    if (!rows.empty()) id = SqlInt(rows[0][0]);
  }
  std::vector<SqlValue> fields = {
      Text(in.title),        Text(in.sev),           Time(in.started),  Time(in.detected),
      Time(in.acknowledged), Time(in.mitigated),     Time(in.resolved), Text(in.trigger_category),
      Text(in.summary),      Text(in.document_path), Int(now)};
  *created = id == 0;
  if (id != 0) {
    fields.push_back(Int(id));
    INQ_RETURN_IF_ERROR(conn_
                            ->Query("UPDATE incidents SET title = $1, sev = $2, started = $3, "
                                    "detected = $4, acknowledged = $5, mitigated = $6, "
                                    "resolved = $7, trigger_category = $8, summary = $9, "
                                    "document_path = $10, updated = $11 WHERE id = $12",
                                    fields)
                            .status());
    INQ_RETURN_IF_ERROR(
        conn_->Query("DELETE FROM incident_services WHERE incident_id = $1", {Int(id)}).status());
  } else {
    fields.push_back(Text(in.key.empty() ? PendingKey() : in.key));
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        conn_->Query("INSERT INTO incidents (title, sev, started, detected, acknowledged, "
                     "mitigated, resolved, trigger_category, summary, document_path, created, "
                     "updated, key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, "
                     "$12) RETURNING id",
                     fields));
    if (rows.empty()) return Status::Internal("INSERT ... RETURNING gave no id");
    id = SqlInt(rows[0][0]);
    if (in.key.empty()) {
      INQ_RETURN_IF_ERROR(conn_
                              ->Query("UPDATE incidents SET key = $1 WHERE id = $2",
                                      {Text(fmt::format("store:{}", id)), Int(id)})
                              .status());
    }
  }
  for (size_t i = 0; i < in.services.size(); ++i) {
    INQ_RETURN_IF_ERROR(conn_
                            ->Query("INSERT INTO incident_services (incident_id, position, "
                                    "service) VALUES ($1, $2, $3)",
                                    {Int(id), Int(static_cast<int64_t>(i)), Text(in.services[i])})
                            .status());
  }
  return id;
}

Result<std::vector<Incident>> SqlStore::QueryIncidents(std::string_view where,
                                                       const std::vector<SqlValue>& params) {
  INQ_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      conn_->Query(fmt::format("SELECT {} FROM incidents {} ORDER BY started IS NULL, started, id",
                               kIncidentColumns, where),
                   params));
  std::vector<Incident> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(IncidentFromRow(r));
  if (out.empty()) return out;
  // Services of every selected incident in one query.
  INQ_ASSIGN_OR_RETURN(
      std::vector<SqlRow> svc,
      conn_->Query(fmt::format("SELECT incident_id, service FROM incident_services WHERE "
                               "incident_id IN (SELECT id FROM incidents {}) ORDER BY "
                               "incident_id, position",
                               where),
                   params));
  std::map<int64_t, Incident*> by_id;
  for (Incident& i : out) by_id[i.id] = &i;
  for (const SqlRow& r : svc) {
    if (auto it = by_id.find(SqlInt(r[0])); it != by_id.end()) {
      it->second->services.push_back(SqlText(r[1]));
    }
  }
  return out;
}

Result<Incident> SqlStore::GetIncident(int64_t id) {
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> found, QueryIncidents("WHERE id = $1", {Int(id)}));
  if (found.empty()) return Status::NotFound(fmt::format("no incident {} in the store", id));
  return std::move(found[0]);
}

Result<std::optional<Incident>> SqlStore::FindIncidentByKey(std::string_view key) {
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> found, QueryIncidents("WHERE key = $1", {Text(key)}));
  if (found.empty()) return std::optional<Incident>();
  return std::optional<Incident>(std::move(found[0]));
}

Result<std::vector<Incident>> SqlStore::ListIncidents(const IncidentFilter& filter) {
  std::vector<std::string> conds;
  std::vector<SqlValue> params;
  if (filter.since != kNoTime) {
    params.push_back(Int(filter.since));
    conds.push_back(fmt::format("started >= ${}", params.size()));
  }
  if (filter.sev) {
    params.push_back(Text(*filter.sev));
    conds.push_back(fmt::format("sev = ${}", params.size()));
  }
  std::string where = conds.empty() ? "" : "WHERE " + fmt::format("{}", fmt::join(conds, " AND "));
  return QueryIncidents(where, params);
}

// ---------------------------------------------------------------------------------------------
// Action items

Status SqlStore::AddHistory(int64_t action_id, std::optional<ActionStatus> from, ActionStatus to,
                            std::string_view note, TimePoint at, const TextChange* text) {
  return conn_
      ->Query(
          "INSERT INTO action_status_history (action_id, at, from_status, to_status, note, "
          "old_text, new_text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {Int(action_id), Int(at), from ? Text(ActionStatusName(*from)) : SqlValue(),
           Text(ActionStatusName(to)), Text(note), text ? Text(text->from) : SqlValue(),
           text ? Text(text->to) : SqlValue()})
      .status();
}

Result<int64_t> SqlStore::AddActionLocked(const ActionItem& a, std::string_view note) {
  if (TrimSpace(a.action).empty()) return Status::InvalidArgument("an action item needs a text");
  if (a.incident_id != 0) {
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        conn_->Query("SELECT id FROM incidents WHERE id = $1", {Int(a.incident_id)}));
    if (rows.empty()) {
      return Status::NotFound(fmt::format("no incident {} in the store", a.incident_id));
    }
  }
  TimePoint now = Now();
  INQ_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      conn_->Query("INSERT INTO action_items (incident_id, action, owner, due, status, "
                   "action_class, ticket_url, source_key, imported_status, created, updated, "
                   "status_changed, imported_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                   "$10, $10, $10, $11) RETURNING id",
                   {a.incident_id ? Int(a.incident_id) : SqlValue(), Text(a.action), Text(a.owner),
                    Time(a.due), Text(ActionStatusName(a.status)),
                    Text(ActionClassName(a.action_class)), Text(a.ticket_url), Text(a.source_key),
                    Text(a.source_key.empty() ? "" : ActionStatusName(a.status)), Int(now),
                    a.source_key.empty() ? SqlValue() : Text(a.action)}));
  if (rows.empty()) return Status::Internal("INSERT ... RETURNING gave no id");
  int64_t id = SqlInt(rows[0][0]);
  INQ_RETURN_IF_ERROR(AddHistory(id, std::nullopt, a.status, note, now));
  return id;
}

Result<int64_t> SqlStore::AddAction(const ActionItem& item) {
  return WithRetry([&]() -> Result<int64_t> {
    Transaction tx(conn_.get());
    INQ_RETURN_IF_ERROR(tx.Begin());
    INQ_ASSIGN_OR_RETURN(int64_t id, AddActionLocked(item, "added"));
    INQ_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Result<std::vector<StatusChange>> SqlStore::History(int64_t action_id) {
  INQ_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                       conn_->Query(fmt::format("SELECT {} FROM action_status_history WHERE "
                                                "action_id = $1 ORDER BY id",
                                                kHistoryColumns),
                                    {Int(action_id)}));
  std::vector<StatusChange> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(ChangeFromRow(r));
  return out;
}

Result<ActionItem> SqlStore::GetAction(int64_t id) {
  INQ_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      conn_->Query(fmt::format("SELECT {} FROM action_items WHERE id = $1", kActionColumns),
                   {Int(id)}));
  if (rows.empty()) return Status::NotFound(fmt::format("no action item {} in the store", id));
  ActionItem a = ActionFromRow(rows[0]);
  INQ_ASSIGN_OR_RETURN(a.history, History(id));
  return a;
}

Result<std::vector<ActionItem>> SqlStore::ListActions(const ActionFilter& f) {
  std::vector<std::string> conds;
  std::vector<SqlValue> params;
  auto param = [&](SqlValue v) {
    params.push_back(std::move(v));
    return fmt::format("${}", params.size());
  };
  if (f.owner) conds.push_back("owner = " + param(Text(*f.owner)));
  if (f.incident_id) conds.push_back("incident_id = " + param(Int(*f.incident_id)));
  if (!f.statuses.empty()) {
    std::vector<std::string> in;
    for (ActionStatus s : f.statuses) in.push_back(param(Text(ActionStatusName(s))));
    conds.push_back(fmt::format("status IN ({})", fmt::join(in, ", ")));
  }
  if (f.overdue_only) {
    if (f.now == kNoTime) return Status::InvalidArgument("overdue_only needs ActionFilter::now");
    conds.push_back(fmt::format("status IN ({}, {})",
                                param(Text(ActionStatusName(ActionStatus::kOpen))),
                                param(Text(ActionStatusName(ActionStatus::kInProgress)))));
    // IsOverdue: the due day (due .. due + 1 day) ended at or before now.
    int64_t latest_due = f.now < std::numeric_limits<int64_t>::min() + kNanosPerDay
                             ? std::numeric_limits<int64_t>::min()
                             : f.now - kNanosPerDay;
    conds.push_back("due IS NOT NULL AND due <= " + param(Int(latest_due)));
  }
  std::string where = conds.empty() ? "" : "WHERE " + fmt::format("{}", fmt::join(conds, " AND "));
  INQ_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      conn_->Query(fmt::format("SELECT {} FROM action_items {} ORDER BY id", kActionColumns, where),
                   params));
  std::vector<ActionItem> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(ActionFromRow(r));
  if (f.with_history && !out.empty()) {
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> hist,
        conn_->Query(fmt::format("SELECT {}, action_id FROM action_status_history WHERE "
                                 "action_id IN (SELECT id FROM action_items {}) ORDER BY "
                                 "action_id, id",
                                 kHistoryColumns, where),
                     params));
    std::map<int64_t, ActionItem*> by_id;
    for (ActionItem& a : out) by_id[a.id] = &a;
    for (const SqlRow& r : hist) {
      if (auto it = by_id.find(SqlInt(r[6])); it != by_id.end()) {
        it->second->history.push_back(ChangeFromRow(r));
      }
    }
  }
  return out;
}

Result<ActionItem> SqlStore::UpdateActionLocked(int64_t id, const ActionUpdate& u) {
  INQ_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                       conn_->Query(fmt::format("SELECT {} FROM action_items WHERE id = $1{}",
                                                kActionColumns, conn_->ForUpdate()),
                                    {Int(id)}));
  if (rows.empty()) return Status::NotFound(fmt::format("no action item {} in the store", id));
  ActionItem cur = ActionFromRow(rows[0]);
  if (u.action && TrimSpace(*u.action).empty()) {
    return Status::InvalidArgument("an action item needs a text");
  }
  std::vector<std::string> sets;
  std::vector<SqlValue> params;
  auto set = [&](std::string_view column, SqlValue v) {
    params.push_back(std::move(v));
    sets.push_back(fmt::format("{} = ${}", column, params.size()));
  };
  if (u.action && *u.action != cur.action) set("action", Text(*u.action));
  if (u.owner && *u.owner != cur.owner) set("owner", Text(*u.owner));
  if (u.due && *u.due != cur.due) set("due", Time(*u.due));
  if (u.action_class && *u.action_class != cur.action_class) {
    set("action_class", Text(ActionClassName(*u.action_class)));
  }
  if (u.ticket_url && *u.ticket_url != cur.ticket_url) set("ticket_url", Text(*u.ticket_url));
  bool status_changes = u.status && *u.status != cur.status;
  TimePoint now = Now();
  if (status_changes) {
    set("status", Text(ActionStatusName(*u.status)));
    set("status_changed", Int(now));
  }
  if (!sets.empty()) {
    set("updated", Int(now));
    params.push_back(Int(id));
    INQ_RETURN_IF_ERROR(conn_
                            ->Query(fmt::format("UPDATE action_items SET {} WHERE id = ${}",
                                                fmt::join(sets, ", "), params.size()),
                                    params)
                            .status());
  }
  if (u.action && *u.action != cur.action) {
    TextChange text{cur.action, *u.action};
    INQ_RETURN_IF_ERROR(AddHistory(id, cur.status, cur.status, u.note, now, &text));
  }
  if (status_changes) INQ_RETURN_IF_ERROR(AddHistory(id, cur.status, *u.status, u.note, now));
  return GetAction(id);
}

Result<ActionItem> SqlStore::UpdateAction(int64_t id, const ActionUpdate& update) {
  return WithRetry([&]() -> Result<ActionItem> {
    Transaction tx(conn_.get());
    INQ_RETURN_IF_ERROR(tx.Begin());
    INQ_ASSIGN_OR_RETURN(ActionItem item, UpdateActionLocked(id, update));
    INQ_RETURN_IF_ERROR(tx.Commit());
    return item;
  });
}

// ---------------------------------------------------------------------------------------------
// Import

Result<ImportResult> SqlStore::Import(const Incident& incident,
                                      const std::vector<ActionItem>& actions,
                                      const ImportOptions& options) {
  if (incident.key.empty()) return Status::InvalidArgument("an imported incident needs a key");
  std::set<std::string> keys;
  for (const ActionItem& a : actions) {
    if (a.source_key.empty()) {
      return Status::InvalidArgument("an imported action item needs a source key");
    }
    if (!keys.insert(a.source_key).second) {
      return Status::InvalidArgument(
          fmt::format("two action items share the id '{}' in one document", a.source_key));
    }
  }
  return WithRetry([&]() -> Result<ImportResult> {
    Transaction tx(conn_.get());
    INQ_RETURN_IF_ERROR(tx.Begin());
    INQ_ASSIGN_OR_RETURN(ImportResult r, ImportLocked(incident, actions));
    if (options.dry_run) {
      // The transaction rolls back when `tx` goes; ids it handed out mean nothing.
      r.dry_run = true;
      if (r.incident_created) r.incident_id = 0;
      for (ItemChange& c : r.items) {
        if (c.kind == ItemChange::Kind::kAdded || c.kind == ItemChange::Kind::kReplaced) c.id = 0;
      }
      return r;
    }
    INQ_RETURN_IF_ERROR(tx.Commit());
    return r;
  });
}

Result<ImportResult> SqlStore::ImportLocked(const Incident& incident,
                                            const std::vector<ActionItem>& actions) {
  ImportResult r;
  r.incident_key = incident.key;
  // The incident as stored before, to report what changes.
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> before,
                       incident.id != 0 ? QueryIncidents("WHERE id = $1", {Int(incident.id)})
                                        : QueryIncidents("WHERE key = $1", {Text(incident.key)}));
  INQ_ASSIGN_OR_RETURN(r.incident_id, PutIncidentLocked(incident, &r.incident_created));
  if (!before.empty()) r.incident_changes = IncidentChanges(before[0], incident);
  std::string note = fmt::format("imported from {}", incident.document_path);
  std::set<std::string> seen;
  std::set<int64_t> replaced;
  for (const ActionItem& in : actions) {
    seen.insert(in.source_key);
    ItemChange ch;
    ch.source_key = in.source_key;
    INQ_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        conn_->Query(fmt::format("SELECT {} FROM action_items WHERE incident_id = $1 AND "
                                 "source_key = $2{}",
                                 kActionColumns, conn_->ForUpdate()),
                     {Int(r.incident_id), Text(in.source_key)}));
    ActionItem add = in;
    add.incident_id = r.incident_id;
    if (rows.empty()) {
      INQ_ASSIGN_OR_RETURN(ch.id, AddActionLocked(add, note));
      ch.kind = ItemChange::Kind::kAdded;
      ++r.actions_added;
      r.items.push_back(std::move(ch));
      continue;
    }
    ActionItem cur = ActionFromRow(rows[0]);
    std::string imported_status = SqlText(rows[0][12]);
    // What the document said the last time; the stored text for items imported before the
    // store kept it.
    std::string imported_text = SqlIsNull(rows[0][13]) ? cur.action : SqlText(rows[0][13]);
    bool text_edited = in.action != imported_text;

    if (text_edited && !LikelySameItem(imported_text, in.action)) {
      // Another item under a kept id: the earlier one keeps its ticket, status and notes under
      // a key no document uses, and the document's item starts afresh.
      // The earlier item's key: "AI-3 (replaced by #14)", once the new item has its id (a
      // key with its own id meanwhile, as (incident, key) is unique).
      TimePoint now = Now();
      auto rekey = [&](const std::string& key) {
        return conn_
            ->Query("UPDATE action_items SET source_key = $1, updated = $2 WHERE id = $3",
                    {Text(key), Int(now), Int(cur.id)})
            .status();
      };
      INQ_RETURN_IF_ERROR(rekey(fmt::format("{} (item #{})", cur.source_key, cur.id)));
      INQ_ASSIGN_OR_RETURN(
          ch.id, AddActionLocked(add, fmt::format("{}: replaces item #{} under {}, a different "
                                                  "item",
                                                  note, cur.id, in.source_key)));
      INQ_RETURN_IF_ERROR(rekey(fmt::format("{} (replaced by #{})", cur.source_key, ch.id)));
      INQ_RETURN_IF_ERROR(AddHistory(
          cur.id, cur.status, cur.status,
          fmt::format("{}: {} now names a different item, #{} (\"{}\"); this one is kept as "
                      "it was",
                      note, in.source_key, ch.id, in.action),
          now));
      ch.kind = ItemChange::Kind::kReplaced;
      ch.replaced_id = cur.id;
      ch.old_text = cur.action;
      ch.overlap = WordOverlap(imported_text, in.action);
      ch.changes.push_back({"text", cur.action, in.action});
      ++r.actions_replaced;
      replaced.insert(cur.id);
      r.items.push_back(std::move(ch));
      continue;
    }

    ActionUpdate u;
    u.note = note;
    if (text_edited) u.action = in.action;
    u.owner = in.owner;
    u.due = in.due;
    // A class or ticket set in the store (by `actions update` or `actions sync`) stays when
    // the document has none.
    if (in.action_class != ActionClass::kUnknown) u.action_class = in.action_class;
    if (!in.ticket_url.empty()) u.ticket_url = in.ticket_url;
    // The document's status wins only when the document changed it since the last import.
    std::string_view doc_status = ActionStatusName(in.status);
    if (doc_status != imported_status) u.status = in.status;
    ch.id = cur.id;
    ch.changes = ItemChanges(cur, u);
    if (!ch.changes.empty()) {
      INQ_RETURN_IF_ERROR(UpdateActionLocked(cur.id, u).status());
      ch.kind = ItemChange::Kind::kUpdated;
      ++r.actions_updated;
    } else {
      ch.kind = ItemChange::Kind::kUnchanged;
      ++r.actions_unchanged;
    }
    if (doc_status != imported_status || SqlIsNull(rows[0][13]) || text_edited) {
      INQ_RETURN_IF_ERROR(conn_
                              ->Query("UPDATE action_items SET imported_status = $1, "
                                      "imported_text = $2 WHERE id = $3",
                                      {Text(doc_status), Text(in.action), Int(cur.id)})
                              .status());
    }
    r.items.push_back(std::move(ch));
  }
  INQ_ASSIGN_OR_RETURN(std::vector<SqlRow> all,
                       conn_->Query("SELECT id, source_key, action FROM action_items WHERE "
                                    "incident_id = $1 AND source_key <> '' ORDER BY id",
                                    {Int(r.incident_id)}));
  for (const SqlRow& row : all) {
    if (seen.contains(SqlText(row[1]))) continue;
    int64_t id = SqlInt(row[0]);
    r.actions_missing_from_document.push_back(id);
    if (replaced.contains(id)) continue;  // reported as kReplaced
    ItemChange ch;
    ch.kind = ItemChange::Kind::kMissing;
    ch.source_key = SqlText(row[1]);
    ch.id = id;
    ch.old_text = SqlText(row[2]);
    r.items.push_back(std::move(ch));
  }
  return r;
}

}  // namespace inquest::store
