// Asynchronous work in a trace: when the critical path (what the trace's roots waited for)
// covers little of the trace, most of its time went to work nobody waited for (fire-and-forget
// children, messages consumed after the producer returned), and "where the time went" along the
// path describes only a sliver of it. This says so, and names the branches that ran on.
//
//   AsyncWork w = FindAsyncWork(trace, ComputeCriticalPath(set, trace));
//   if (w.mostly_async) for (const AsyncBranch& b : w.branches) Print(b.node, b.past_parent_ns);
#ifndef INQUEST_TRACES_ASYNC_WORK_H_
#define INQUEST_TRACES_ASYNC_WORK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "traces/critical_path.h"

namespace inquest {

// A critical path covering less than this share of the trace's duration makes the trace "mostly
// asynchronous": below half, more of the trace lies off the path than on it, so the path no
// longer says where most of the time went. A synchronous request's path covers its root span
// whole (100%); the real asynchronous traces seen cover 0.004% (Kafka consumers) to 39%.
inline constexpr double kMostlyAsyncPathShare = 0.5;

// Branches named for a mostly asynchronous trace: the few longest, one line each.
inline constexpr size_t kAsyncBranchesNamed = 3;

struct AsyncBranch {
  uint32_t node = 0;           // the branch's top span
  int64_t past_parent_ns = 0;  // how long the branch ran on after its parent ended (0: it did not)
  int64_t span_ns = 0;         // from the top span's start to the latest end in the branch
  uint32_t spans = 0;          // spans in the branch, its top included
};

struct AsyncWork {
  double path_share = 1;  // critical path / trace duration (1 for a trace without duration)
  bool mostly_async = false;
  // When mostly asynchronous: the topmost branches that ran on after their parent ended, most
  // time past the parent first; when none did (roots far apart), the longest branches off the
  // critical path instead (past_parent_ns 0). At most kAsyncBranchesNamed.
  std::vector<AsyncBranch> branches;
};

AsyncWork FindAsyncWork(const Trace& t, const CriticalPath& path);

// "0.004%", "39%": a share (0..1) as a percentage with two significant digits.
std::string SharePercent(double share);

}  // namespace inquest

#endif  // INQUEST_TRACES_ASYNC_WORK_H_
