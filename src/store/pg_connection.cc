// Connection over PostgreSQL (libpq): every value travels as a text parameter, never spliced
// into the statement.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "store/connection.h"

namespace inquest::store {
namespace {

// Any constant key for pg_advisory_xact_lock; "inqst" in ASCII.
constexpr int64_t kMigrationLockKey = 0x696e717374;

// SQLSTATEs worth retrying the whole transaction for: serialization_failure,
// deadlock_detected, and unique_violation (two importers inserting the same new incident: the
// retry finds the other's row and updates it).
bool IsRetryable(const char* sqlstate) {
  if (!sqlstate) return false;
  std::string_view s(sqlstate);
  return s == "40001" || s == "40P01" || s == "23505";
}

using ResultPtr = std::unique_ptr<PGresult, void (*)(PGresult*)>;

class PgConnection : public Connection {
 public:
  PgConnection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PgConnection() override { PQfinish(conn_); }

  std::string_view dialect() const override { return "postgresql"; }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (SqlIsNull(params[i])) continue;
      texts[i] = SqlText(params[i]);
      values[i] = texts[i].c_str();
    }
    std::string text(sql);
    ResultPtr res(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, /*resultFormat=*/0),
                  PQclear);
    ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Error(res.get());
    std::vector<SqlRow> rows;
    int nrows = PQntuples(res.get());
    int ncols = PQnfields(res.get());
    rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      SqlRow row;
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.emplace_back(std::monostate{});
        } else {
          row.emplace_back(std::string(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()), PQclear);
    ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Error(res.get());
    return Status::Ok();
  }

  Status BeginWrite() override { return ExecScript("BEGIN"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  void Rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)ExecScript("ROLLBACK");
  }
  Status LockForMigration() override {
    return Query("SELECT pg_advisory_xact_lock($1)", {SqlValue(kMigrationLockKey)}).status();
  }
  std::string_view ForUpdate() const override { return " FOR UPDATE"; }

 private:
  Status Error(const PGresult* res) const {
    std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string text = fmt::format("postgresql: {}", msg);
    if (IsRetryable(state)) text = std::string(kRetryableError) + text;
    return Status::IoError(std::move(text), where_);
  }

  PGconn* conn_;
  std::string where_;
};

}  // namespace

std::string UrlWithoutPassword(std::string_view url) {
  std::string out(url);
  // "scheme://user:secret@host" -> "scheme://user@host".
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t at = out.find('@', scheme + 3);
    size_t colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      out.erase(colon, at - colon);
    }
  }
  return out;
}

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn) return Status::Internal("libpq could not allocate a connection");
  std::string where = UrlWithoutPassword(url);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return Status::IoError(fmt::format("cannot connect to the store: {}", msg), where);
  }
  std::unique_ptr<Connection> c = std::make_unique<PgConnection>(conn, where);
  // Keep the server's notices (CREATE TABLE IF NOT EXISTS ... skipping) off stderr.
  INQ_RETURN_IF_ERROR(c->ExecScript("SET client_min_messages = warning"));
  return c;
}

}  // namespace inquest::store
