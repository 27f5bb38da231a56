// A whole Go stack dump read and grouped in one pass, and the verdicts drawn from it: panic or
// fatal error, deadlock, goroutine leak suspect, lock convoy, each naming the `created by` site
// that spawned the stuck set.
//
//   GoDump dump = ReadGoDump(bytes, StackSimilarity::kIgnoreWaitTime);
//   std::vector<Finding> verdicts = GoVerdicts(dump, "goroutines.txt", time);
#ifndef INQUEST_DUMPS_GO_GO_DUMP_H_
#define INQUEST_DUMPS_GO_GO_DUMP_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "dumps/dump.h"
#include "dumps/dump_issues.h"
#include "dumps/go/goroutine.h"
#include "dumps/go/goroutine_groups.h"
#include "dumps/wait_report.h"
#include "dumps/wait_sites.h"
#include "evidence/finding.h"

namespace inquest {

struct GoDump {
  GoDumpPreamble preamble;
  std::vector<GoroutineGroup> groups;  // ordered as GoroutineGrouper::Finish says
  uint64_t goroutines = 0;             // counted (debug=1 records add their N)
  uint64_t records = 0;                // goroutine records read
  uint64_t incomplete = 0;             // records whose stack could not be read whole
  uint64_t duplicate_ids = 0;
  bool cut_off = false;       // the dump ends mid-record: goroutines after it are missing
  uint64_t cut_line = 0;      // where
  std::string_view cut_text;  // that line as far as it goes
  uint64_t lead_id = 0;       // the goroutine that panicked or hit the fatal error; 0 for none
  uint64_t lines = 0;
  DumpIssues issues;
  // What the goroutines wait for (filled by TallyGoWaits; empty until then), and the site
  // each group matched (parallel to groups; null for none).
  std::vector<WaitSiteCount> waits;
  std::vector<const WaitSite*> group_sites;
};

// Views in the result point into `bytes`.
GoDump ReadGoDump(std::string_view bytes, StackSimilarity similarity);

// Matches every group against `table` and fills dump->waits and dump->group_sites; evidence
// names `path`. Views of the table must outlive the dump.
void TallyGoWaits(const WaitSiteTable& table, const std::string& path, GoDump* dump);

// Judgement thresholds; each is where the primer's patterns start to be worth a look.
// A healthy service rarely parks more than a few dozen goroutines on one identical stack; a
// leak grows that group without bound ("10,000 goroutines share one stack").
inline constexpr uint64_t kLeakMinGoroutines = 50;
// Fewer goroutines are still suspect when they have all waited this long (Go prints the wait
// only past one minute; ten minutes is far beyond any request deadline).
inline constexpr uint64_t kLeakMinGoroutinesLongWait = 10;
inline constexpr uint32_t kLeakLongWaitMinutes = 10;
// Goroutines queued on one mutex call site from which a convoy is reported.
inline constexpr uint64_t kConvoyMinGoroutines = 10;

// The verdicts, most important first, with evidence "path:line". `time` is the dump's time.
std::vector<Finding> GoVerdicts(const GoDump& dump, const std::string& path, TimePoint time);

// True for the states only another goroutine can end (mutexes, wait groups, condition
// variables, nil channels), unlike channel waits a timer, signal or connection may end.
bool IsGoBlockedForGood(std::string_view state);

// "47,000": counts as the verdicts and the detail print them.
std::string FormatCount(uint64_t n);

// "[chan receive, 47~124 minutes, locked to thread]"-style summary of a group's state.
std::string GoGroupState(const GoroutineGroup& group);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GO_DUMP_H_
