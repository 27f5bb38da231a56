// A SQL connection as the store needs it: parameterised queries, write transactions and the
// row lock idiom, over SQLite or libpq. Internal to src/store/.
#ifndef INQUEST_STORE_CONNECTION_H_
#define INQUEST_STORE_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace inquest::store {

// NULL, an integer or text. PostgreSQL hands every value back as text; SqlInt parses it.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;
using SqlRow = std::vector<SqlValue>;

bool SqlIsNull(const SqlValue& v);
// 0 for NULL or text that is not a number.
int64_t SqlInt(const SqlValue& v);
// "" for NULL; integers in decimal.
std::string SqlText(const SqlValue& v);

// Errors a caller may retry as a whole transaction (PostgreSQL serialization failure or
// deadlock, SQLite busy after its timeout) come back with this message prefix.
inline constexpr std::string_view kRetryableError = "retryable: ";

class Connection {
 public:
  virtual ~Connection() = default;

  virtual std::string_view dialect() const = 0;  // "sqlite" or "postgresql"

  // Runs one statement with placeholders $1..$n bound to `params` (never spliced into the
  // text) and returns every row it produced.
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
  // Runs a script of statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Starts a transaction that may write. SQLite takes the write lock now (BEGIN IMMEDIATE),
  // so a read-modify-write inside cannot interleave with another writer.
  virtual Status BeginWrite() = 0;
  virtual Status Commit() = 0;
  // Never fails in a way the caller can act on; errors are dropped.
  virtual void Rollback() = 0;
  // Serialises schema migrations between processes until the transaction ends.
  virtual Status LockForMigration() = 0;
  // Appended to a SELECT inside a write transaction to lock the rows it reads until commit:
  // " FOR UPDATE" on PostgreSQL, "" on SQLite (BeginWrite already holds the database lock).
  virtual std::string_view ForUpdate() const = 0;
};

// Rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection* c) : c_(c) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) c_->Rollback();
  }
  Status Begin() {
    Status s = c_->BeginWrite();
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = c_->Commit();
    if (!s.ok()) c_->Rollback();
    open_ = false;
    return s;
  }

 private:
  Connection* c_;
  bool open_ = false;
};

// Opens a SQLite database file (created when missing) in WAL mode with foreign keys on,
// synchronous=FULL (a committed transaction survives power loss) and a busy timeout.
// kBadInput when the file exists and is not a SQLite database.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, int busy_timeout_ms);

// Connects to PostgreSQL with a libpq connection URL. kIoError with libpq's message (the
// password removed) when the server cannot be reached.
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url);

// `url` with the password of its "user:password@" part removed, for messages.
std::string UrlWithoutPassword(std::string_view url);

}  // namespace inquest::store

#endif  // INQUEST_STORE_CONNECTION_H_
