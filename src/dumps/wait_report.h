// What the blocked goroutines or threads of one dump wait for, counted by wait site
// (wait_sites.h) and by the code that made them wait, and the verdicts drawn from it: a pool
// whose borrowers queue ("pool exhausted: 48 goroutines wait for a database/sql connection in
// main.query (main.go:42); 32 hold an open database/sql transaction"), and resources held open
// far too long. Waiting where waiting is normal (idle pool workers, keep-alive readers) is
// listed in the detail, never a verdict. The runtime readers feed it one observation per group
// of identical stacks.
//
//   WaitTally tally;
//   tally.Add({.count = 48, .match = m, .frame = "database/sql.(*DB).conn", ...});
//   std::vector<WaitSiteCount> sites = tally.Finish();
//   std::vector<Finding> v = WaitVerdicts(sites, "goroutine", time);
#ifndef INQUEST_DUMPS_WAIT_REPORT_H_
#define INQUEST_DUMPS_WAIT_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "base/time.h"
#include "dumps/wait_sites.h"
#include "evidence/finding.h"

namespace inquest {

// A pool with this many borrowers queued is exhausted: a healthy pool hands out a free slot
// at once, so a dump catches at most a couple of callers inside the acquire; five in the same
// wait is a queue, the same line lock contention draws for Java monitors plus headroom for
// the short waits of a busy but coping pool.
inline constexpr uint64_t kWaitMinWaiters = 5;
// Holders of a resource reported on their own (fewer waiters than a queue): this many, all
// held for at least kHoldLongMinutes (the Go runtime prints a wait only past one minute, so
// any printed wait on a hold site means it has been open for over a minute).
inline constexpr uint64_t kWaitMinHolders = 5;
inline constexpr uint32_t kHoldLongMinutes = 1;
// Origins (calling sites) listed per wait site in the detail and named in a title.
inline constexpr size_t kWaitOriginsListed = 5;

// One group of identical stacks at a wait site.
struct WaitObservation {
  uint64_t count = 1;
  WaitMatch match;            // match.site must not be null
  std::string frame;          // the matched frame's name, or the lock's class for a lock entry
  std::string caller;         // "main.query (main.go:42)": the program's code that waits
  std::string creator;        // "main.main (main.go:30)": Go's created-by; empty elsewhere
  std::string threads;        // "pool-*-thread-*": the threads' common name (Java, Python)
  uint32_t wait_minutes = 0;  // the longest wait the dump prints (Go), 0 when not printed
  EvidenceRef evidence;       // "path:line" of the group's first stack
};

struct WaitOrigin {
  std::string caller, creator, threads;
  uint64_t count = 0;
  EvidenceRef evidence;
};

struct WaitSiteCount {
  const WaitSite* site = nullptr;
  std::string frame;
  uint64_t count = 0;
  uint32_t wait_minutes = 0;
  std::vector<WaitOrigin> origins;  // largest first
};

class WaitTally {
 public:
  void Add(const WaitObservation& o);
  // Sites ordered by symptom first (acquire, hold, then normal waits), then by count.
  std::vector<WaitSiteCount> Finish();

 private:
  std::vector<WaitSiteCount> sites_;
};

// Verdicts of one dump's wait sites; `unit` is "goroutine" or "thread". Time is the dump's.
std::vector<Finding> WaitVerdicts(const std::vector<WaitSiteCount>& sites, std::string_view unit,
                                  TimePoint time);

// The detail: "Wait sites:" and one block per site (empty when there are none); text from
// the dump is made safe for a terminal.
std::string WaitText(const std::vector<WaitSiteCount>& sites, std::string_view unit);
// The same as a JSON array at the writer's position.
void WaitJson(const std::vector<WaitSiteCount>& sites, JsonWriter* j);

}  // namespace inquest

#endif  // INQUEST_DUMPS_WAIT_REPORT_H_
