// Where the time of a trace went: the critical path (the chain of work the trace's end waited
// for) and each span's self time (its duration minus the time its children cover).
//
// The critical path is Jaeger UI's: start at a root's end, take the child that finished last
// before that point (its "last finishing child"), follow it down; when a span has no such child,
// its own time back to its start is on the path, and the walk returns to the parent, looking for
// the child that finished last before this span started. Children are first clipped to their
// parent (a child starting before the parent starts at the parent's start; a child wholly
// outside it is dropped with its subtree), and FOLLOWS_FROM children are not waited for, so they
// are never on the path.
//
//   CriticalPath cp = ComputeCriticalPath(set, trace);
//   for (const PathSection& s : cp.sections) ...   // from the end of the trace backwards
#ifndef INQUEST_TRACES_CRITICAL_PATH_H_
#define INQUEST_TRACES_CRITICAL_PATH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "traces/trace_tree.h"

namespace inquest {

struct PathSection {
  uint32_t node = 0;
  TimePoint start = kNoTime;
  TimePoint end = kNoTime;
};

struct CriticalPath {
  std::vector<PathSection> sections;  // latest first, as Jaeger UI lists them
  std::vector<int64_t> on_path_ns;    // per node: time on the critical path
  int64_t total_ns = 0;
};

// The critical path of every root of `t` (the synthetic root included).
CriticalPath ComputeCriticalPath(const SpanSet& set, const Trace& t);

// Per node: its duration minus the union of its children's intervals (clipped to it).
std::vector<int64_t> SelfTimes(const Trace& t);

struct ServiceTime {
  std::string service;
  int64_t self_ns = 0;      // sum of its spans' self time
  int64_t critical_ns = 0;  // time of its spans on the critical path
  uint32_t spans = 0;
};

// Self and critical-path time per service, most critical-path time first (ties: self time).
std::vector<ServiceTime> TimeByService(const SpanSet& set, const Trace& t,
                                       const std::vector<int64_t>& self, const CriticalPath& path);

}  // namespace inquest

#endif  // INQUEST_TRACES_CRITICAL_PATH_H_
