// Connection over SQLite 3: one database file, WAL journal, numbered parameters.
#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/connection.h"

namespace inquest::store {
namespace {

// SQLite numbers parameters ?1..?n; the store's statements use $1..$n (PostgreSQL's form).
// Quoted text is copied as is so a '$' inside a literal stays.
std::string ToSqliteParams(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

class SqliteConnection : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  std::string_view dialect() const override { return "sqlite"; }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    std::string text = ToSqliteParams(sql);
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &raw, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "prepare");
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const SqlValue& p = params[i];
      if (std::holds_alternative<std::monostate>(p)) {
        rc = sqlite3_bind_null(raw, idx);
      } else if (const int64_t* n = std::get_if<int64_t>(&p)) {
        rc = sqlite3_bind_int64(raw, idx, *n);
      } else {
        const std::string& s = std::get<std::string>(p);
        rc = sqlite3_bind_text(raw, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return Error(rc, "bind");
    }
    std::vector<SqlRow> rows;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      int n = sqlite3_column_count(raw);
      SqlRow row;
      row.reserve(n);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(raw, c)) {
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(raw, c)));
            break;
          default: {
            const unsigned char* t = sqlite3_column_text(raw, c);
            int len = sqlite3_column_bytes(raw, c);
            row.emplace_back(std::string(reinterpret_cast<const char*>(t), len));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Error(rc, "step");
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Status::IoError(fmt::format("sqlite: {}", msg), path_);
  }

  Status BeginWrite() override { return Simple("BEGIN IMMEDIATE"); }
  Status Commit() override { return Simple("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)Simple("ROLLBACK");
  }
  Status LockForMigration() override { return Status::Ok(); }
  std::string_view ForUpdate() const override { return ""; }

 private:
  Status Simple(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : Error(rc, sql);
  }

  Status Error(int rc, std::string_view what) const {
    int primary = rc & 0xff;
    std::string msg = fmt::format("sqlite {}: {}", what, sqlite3_errmsg(db_));
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return Status::IoError(std::string(kRetryableError) + msg, path_);
    }
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
      return Status::BadInput(msg + " (not an inquest store?)", SourceLocation{path_});
    }
    return Status::IoError(msg, path_);
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::IoError(fmt::format("cannot open the store: {}", msg), path);
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> conn = std::make_unique<SqliteConnection>(db, path);
  // journal_mode is the first statement that reads the file: a file that is not a database
  // fails here with SQLITE_NOTADB.
  INQ_ASSIGN_OR_RETURN(std::vector<SqlRow> mode, conn->Query("PRAGMA journal_mode=WAL"));
  // An in-memory database (":memory:", for one-shot runs and tests) has no journal file.
  std::string want = path == ":memory:" ? "memory" : "wal";
  if (mode.empty() || SqlText(mode[0][0]) != want) {
    return Status::IoError("cannot switch the store to WAL mode", path);
  }
  INQ_RETURN_IF_ERROR(conn->ExecScript("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
  return conn;
}

}  // namespace inquest::store
