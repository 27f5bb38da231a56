// What one Java thread dump shows, worked out once from the dump and its wait-for graph: how
// much of it was read, the thread states, who waits for a lock and who is BLOCKED. The verdict
// titles and the detail in every format are rendered from this one model, so a headline can
// never contradict the body under it (no "no contention" above a list of contended locks).
//
//   LockGraph g = BuildLockGraph(dump);
//   JavaDumpSummary s = SummarizeJavaDump(dump, g);
//   std::string head = QuietTitle(dump, s);   // when no verdict fired
//   std::string cut = IncompleteText(s);      // "cut off: 3 of 16 Java threads read", or ""
#ifndef INQUEST_DUMPS_JAVA_DUMP_SUMMARY_H_
#define INQUEST_DUMPS_JAVA_DUMP_SUMMARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "dumps/java/lock_graph.h"
#include "dumps/java/thread_dump.h"

namespace inquest {

// The verdicts on what a dump does not show (no deadlock, no contention) are this sure when
// the whole dump was read: a thread dump is one instant, and a lock line can be missing (no -l).
inline constexpr double kWholeDumpConfidence = 0.9;
// ... and this sure when the dump was cut off or is a fragment: the threads not read may close
// a cycle or hold the lock the others wait for.
inline constexpr double kIncompleteDumpConfidence = 0.5;

struct JavaDumpSummary {
  size_t threads = 0;
  std::array<size_t, 7> states{};  // threads per JavaThreadState
  // How much of the dump was read.
  bool complete = true;    // an end marker or the next dump's header followed the last thread
  bool has_header = true;  // it starts at "Full thread dump" (or JRockit's banner, or is JSON)
  size_t java_threads_read = 0;      // platform threads with a Java id ("#30")
  int64_t java_threads_listed = -1;  // the SMR list's length, when the dump printed one
  // Who waits.
  size_t cycles = 0;
  size_t contended_locks = 0;          // locks at least one thread waits for
  size_t waiters = 0;                  // threads waiting for one of them
  const ContendedLock* top = nullptr;  // the most waited for (points into the graph)
  size_t blocked_unexplained = 0;      // BLOCKED threads with no wait in the graph
};

// `graph` must be `dump`'s and outlive the summary.
JavaDumpSummary SummarizeJavaDump(const JavaThreadDump& dump, const LockGraph& graph);

// "" for a dump read whole; else what is missing, for the headline and the detail:
// "cut off: 3 of 16 Java threads read" (the SMR list gives the total), "cut off after 3
// threads", "fragment: no \"Full thread dump\" header, 3 threads read".
std::string IncompleteText(const JavaDumpSummary& s);

// "RUNNABLE 12, WAITING 4", or "none".
std::string StatesText(const JavaDumpSummary& s);

// The headline when no verdict fired. "no deadlock or contention among 16 threads (RUNNABLE
// 12, WAITING 4)" only when no thread waits for a lock and none is BLOCKED; else what the
// detail lists: "no deadlock among 2 threads (...); 1 thread waits for <0x7850ba130> (a
// ...ReentrantLock$NonfairSync) held by \"main\"".
std::string QuietTitle(const JavaThreadDump& dump, const JavaDumpSummary& s);

// "1 thread", "3 threads".
std::string JavaCount(size_t n, std::string_view noun);
// "\"main\"".
std::string JavaQuote(const JavaThread& t);
// "<0x7d750a618> (a java.lang.Object)".
std::string JavaLockText(const LockRef& l);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_DUMP_SUMMARY_H_
