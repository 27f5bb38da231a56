// Store over a SQL Connection: the same statements serve SQLite and PostgreSQL (placeholders
// $1..$n, RETURNING, ON CONFLICT-free upserts under a row lock); only the DDL differs
// (migrations.cc).
#ifndef INQUEST_STORE_SQL_STORE_H_
#define INQUEST_STORE_SQL_STORE_H_

#include <memory>
#include <string>

#include "store/connection.h"
#include "store/store.h"

namespace inquest::store {

class SqlStore : public Store {
 public:
  SqlStore(std::unique_ptr<Connection> conn, std::string location, StoreOptions options);

  std::string_view backend() const override { return conn_->dialect(); }
  std::string_view location() const override { return location_; }
  Result<int> SchemaVersion() override;

  Result<int64_t> PutIncident(const Incident& incident) override;
  Result<Incident> GetIncident(int64_t id) override;
  Result<std::optional<Incident>> FindIncidentByKey(std::string_view key) override;
  Result<std::vector<Incident>> ListIncidents(const IncidentFilter& filter) override;

  using Store::Import;
  Result<ImportResult> Import(const Incident& incident, const std::vector<ActionItem>& actions,
                              const ImportOptions& options) override;

  Result<int64_t> AddAction(const ActionItem& item) override;
  Result<ActionItem> GetAction(int64_t id) override;
  Result<std::vector<ActionItem>> ListActions(const ActionFilter& filter) override;
  Result<ActionItem> UpdateAction(int64_t id, const ActionUpdate& update) override;

 private:
  TimePoint Now() const;
  // The bodies of the writes, run inside a transaction the caller holds.
  Result<int64_t> PutIncidentLocked(const Incident& incident, bool* created);
  Result<ImportResult> ImportLocked(const Incident& incident,
                                    const std::vector<ActionItem>& actions);
  Result<int64_t> AddActionLocked(const ActionItem& item, std::string_view note);
  Result<ActionItem> UpdateActionLocked(int64_t id, const ActionUpdate& update);
  struct TextChange {
    std::string from, to;
  };
  // One history entry; `text` set for a text change.
  Status AddHistory(int64_t action_id, std::optional<ActionStatus> from, ActionStatus to,
                    std::string_view note, TimePoint at, const TextChange* text = nullptr);
  Result<std::vector<Incident>> QueryIncidents(std::string_view where,
                                               const std::vector<SqlValue>& params);
  Result<std::vector<StatusChange>> History(int64_t action_id);

  std::unique_ptr<Connection> conn_;
  std::string location_;
  StoreOptions options_;
};

}  // namespace inquest::store

#endif  // INQUEST_STORE_SQL_STORE_H_
