// A series of thread dumps of one JVM in time order (several dumps in one file, or several
// files): which threads made no progress between dumps, which appeared or vanished, and when a
// deadlock formed. The primer's advice: take three dumps a few seconds apart; a thread in the
// same frame in all three is stuck, not busy.
#ifndef INQUEST_DUMPS_JAVA_JAVA_SERIES_H_
#define INQUEST_DUMPS_JAVA_JAVA_SERIES_H_

#include <string>
#include <vector>

#include "dumps/java/lock_graph.h"
#include "dumps/java/thread_dump.h"

namespace inquest {

struct StuckThread {
  std::string name;
  JavaThreadState state = JavaThreadState::kUnknown;
  std::string top_frame;             // the application's frame nearest the top, else the top frame
  std::vector<int> thread_per_dump;  // its index in each dump
};

struct JavaSeries {
  size_t dumps = 0;
  // Threads present in every dump with the same state and identical frames, blocked or
  // running application code (idle threads parked in a pool or sleeping are not "stuck").
  std::vector<StuckThread> stuck;
  std::vector<std::string> appeared;  // in the last dump, not in the first
  std::vector<std::string> vanished;  // in the first dump, not in the last
  // The first dump holding a deadlock cycle whose threads were not all in a cycle in the dump
  // before it: the deadlock formed between those two dumps. -1 when none formed in the series.
  int deadlock_formed_at = -1;
  std::vector<std::string> forming_threads;
};

// `dumps` and `graphs` are parallel, in time order; at least two dumps for a useful answer.
// Threads are matched by name and Java thread id ("#30") where the dump has one.
JavaSeries CompareJavaDumps(const std::vector<const JavaThreadDump*>& dumps,
                            const std::vector<const LockGraph*>& graphs);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_JAVA_SERIES_H_
