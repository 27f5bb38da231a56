// What a blocked goroutine or thread waits for: a table of well-known wait sites per runtime
// (database/sql's (*DB).conn, HikariCP's getConnection, ThreadPoolExecutor.getTask, Python's
// queue.get...), each naming the resource, whether the frame acquires or holds it, and whether
// waiting there is the ordinary idle state. The built-in entries are data
// (wait_sites_table.inc); users add their own under [[wait_sites]] in inquest.toml.
//
//   Result<WaitSiteTable> table = WaitSiteTable::WithConfig(config.table);
//   WaitQuery q{WaitRuntime::kGo, "select", frames};
//   WaitMatch m = table->Match(q);   // m.site->resource == "a database/sql connection"
#ifndef INQUEST_DUMPS_WAIT_SITES_H_
#define INQUEST_DUMPS_WAIT_SITES_H_

#include <toml++/toml.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest {

enum class WaitRuntime : uint8_t { kGo, kJava, kPython };
std::string_view WaitRuntimeName(WaitRuntime r);

enum class WaitRole : uint8_t { kAcquire, kHold };

struct WaitSite {
  WaitRuntime runtime = WaitRuntime::kGo;
  std::string frame;     // glob on a frame's qualified name (or a suffix of it); empty: any
  std::string state;     // glob on the goroutine or thread state; empty: any
  std::string lock;      // glob on the class of the lock waited for (Java); empty: any
  std::string resource;  // "a database/sql connection"
  std::string pool;      // links acquirers and holders of one resource; defaults to resource
  std::string kind;      // "pool", "semaphore", "lock", "queue", "connection"
  WaitRole role = WaitRole::kAcquire;
  bool normal = false;  // waiting here is the idle state (workers waiting for tasks)
  bool user = false;    // from inquest.toml
};

// One frame of a stack as the matcher sees it, innermost first.
struct WaitFrame {
  std::string_view name;  // qualified: "database/sql.(*DB).conn", "com.a.Pool.get", "queue.get"
  bool library = false;   // the runtime's or the language's own code (JDK, Go std, CPython lib)
};

struct WaitQuery {
  WaitRuntime runtime = WaitRuntime::kGo;
  std::string_view state;                 // "select", "WAITING"...; may be empty
  std::vector<WaitFrame> frames;          // innermost first
  std::vector<std::string_view> waiting;  // classes of the locks the thread waits for (Java)
};

struct WaitMatch {
  const WaitSite* site = nullptr;  // null: no known wait site
  int frame = -1;                  // the frame that matched; -1 for a lock-only entry
  int caller = -1;  // the first frame of the program's own code above it; -1 when none
  // Set when a normal wait (a queue take, a condition wait) was made by a caller named like a
  // pool's borrow (borrow, acquire, checkout, getConnection, lease...): then `site` is the
  // runtime's "object of the program's own pool" acquire and this the entry that matched.
  const WaitSite* borrowed_from = nullptr;
};

class WaitSiteTable {
 public:
  // The built-in entries only.
  static const WaitSiteTable& BuiltIn();
  // The built-in entries plus the [[wait_sites]] of an inquest.toml table (read from the file
  // `name`); the user's entries are tried first. Errors are BadInput naming the file, the
  // entry's line and the entry ("[[wait_sites]] #3: needs a resource").
  static Result<WaitSiteTable> WithConfig(const toml::table& config,
                                          std::string_view name = "inquest.toml");
  // Parses `text` (TOML with [[wait_sites]] entries); `name` is used in error messages.
  static Result<WaitSiteTable> Parse(std::string_view text, std::string_view name, bool user);
  // The [[wait_sites]] of an already parsed document.
  static Result<WaitSiteTable> FromTable(const toml::table& doc, std::string_view name, bool user);

  // The wait site of a stack. Frames are read from the innermost outwards; among the frames
  // that match an entry before the program's own code takes over, the outermost wins (the call
  // the program made names the resource best: HikariPool.getConnection, not the
  // Semaphore.acquire inside it). An entry with a state or lock condition matches only when
  // that holds too. Entries are tried in table order on each frame. A normal wait whose
  // caller is named like a pool's borrow is a pool acquire (see WaitMatch::borrowed_from):
  // names are only the hint that tells a pool built on a queue from a consumer idling on one.
  WaitMatch Match(const WaitQuery& query) const;

  const std::vector<WaitSite>& sites() const { return sites_; }
  void Append(const WaitSiteTable& other);

 private:
  std::vector<WaitSite> sites_;
};

// '*' matches any run of characters; everything else matches itself.
bool WaitGlob(std::string_view pattern, std::string_view text);
// WaitGlob on `name` or on any suffix of it that starts after a '.', '/' or '$'.
bool WaitNameMatches(std::string_view pattern, std::string_view name);

}  // namespace inquest

#endif  // INQUEST_DUMPS_WAIT_SITES_H_
