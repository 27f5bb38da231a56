// The wait-for graph of one Java thread dump, built from the lock lines alone (never from the
// JVM's own deadlock report): who holds each monitor and j.u.c. synchronizer, who waits for it,
// the cycles (deadlocks), the chains of who waits for whom, and the most contended locks.
//
//   LockGraph g = BuildLockGraph(dump);
//   for (const WaitCycle& c : g.cycles) ...   // c.threads[i] waits for c.locks[i], held by
//                                             // c.threads[(i + 1) % n]
//
// A thread waits for at most one lock and an exclusive lock has one owner, so the graph has
// out-degree one and cycles and chains are found in linear time.
#ifndef INQUEST_DUMPS_JAVA_LOCK_GRAPH_H_
#define INQUEST_DUMPS_JAVA_LOCK_GRAPH_H_

#include <string>
#include <vector>

#include "dumps/java/thread_dump.h"

namespace inquest {

// The lock thread `thread` waits for (index into JavaThreadDump::threads), and the thread that
// holds it (-1 when no thread in the dump holds it: a lock waited on but never held).
struct WaitEdge {
  int thread = -1;
  int holder = -1;
  const LockRef* wait = nullptr;  // the waiting line
  const LockRef* held = nullptr;  // the holder's "- locked" or synchronizer line
};

struct WaitCycle {
  std::vector<int> threads;  // in wait order: threads[i] waits for threads[i + 1]
  std::vector<const WaitEdge*> edges;
  bool through_synchronizer = false;  // at least one edge is a j.u.c. lock (ReentrantLock...)
};

struct WaitChain {
  std::vector<int> threads;
  int other_starts = 0;  // further threads that wait at the start of the same chain
};

struct ContendedLock {
  std::string address;
  std::string class_name;
  int holder = -1;           // -1: no thread holds it
  std::vector<int> waiters;  // threads waiting for it
  const LockRef* held = nullptr;
};

struct LockGraph {
  const JavaThreadDump* dump = nullptr;
  // One per waiting thread (BLOCKED entering a monitor, re-locking after wait(), or parked on
  // an owned j.u.c. synchronizer).
  std::vector<WaitEdge> edges;
  std::vector<int> edge_of;  // per thread: its index in `edges`, or -1
  std::vector<WaitCycle> cycles;
  // Chains of waiting: threads[0] waits for threads[1] ... up to a thread that waits for no
  // lock (it runs, sleeps, does I/O) or one in a cycle. Only chains of two waits or more are
  // listed, the longest first; chains that differ only in their first thread are listed once.
  std::vector<WaitChain> chains;
  // Locks with at least one waiter, most waiters first.
  std::vector<ContendedLock> contended;
  // Waits for a lock no thread holds (a lock waited on but never held), one per waiter.
  std::vector<const LockRef*> orphan_waits;
};

// `dump` must outlive the graph (it points into its threads and lock lines).
LockGraph BuildLockGraph(const JavaThreadDump& dump);

// Whether `class_name` is a java.util.concurrent synchronizer rather than a monitor's class.
bool IsSynchronizerClass(std::string_view class_name);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_LOCK_GRAPH_H_
