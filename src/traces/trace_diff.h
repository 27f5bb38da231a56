// Comparing two traces of the same operation (a good request and a bad one): the spans only one
// of them has, matched by their path of (service, operation) from the root, and per
// (service, operation) the change in count, total duration and self time.
//
// Times are compared at the coarser time resolution of the two traces' formats: the same trace
// exported as OTLP (nanoseconds) and as Jaeger (microseconds, start and duration each truncated)
// must compare equal, not differ by the nanoseconds one of them dropped.
#ifndef INQUEST_TRACES_TRACE_DIFF_H_
#define INQUEST_TRACES_TRACE_DIFF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "traces/trace_tree.h"

namespace inquest {

struct OperationDiff {
  std::string service, name;
  uint32_t count_a = 0, count_b = 0;
  int64_t total_a = 0, total_b = 0;  // summed durations
  int64_t self_a = 0, self_b = 0;    // summed self times
  int64_t delta() const { return total_b - total_a; }
};

// Spans at one path ("checkout: POST /cart > pricing: fetchCatalog") that one trace has more
// often than the other.
struct PathDiff {
  std::string path;
  uint32_t count_a = 0, count_b = 0;
};

struct TraceDiff {
  int64_t resolution_ns = 1;  // times were truncated to this before comparing
  int64_t duration_a = 0, duration_b = 0;
  std::vector<OperationDiff> operations;  // largest |change in total duration| first
  std::vector<PathDiff> only_a;           // paths with more spans in A
  std::vector<PathDiff> only_b;           // paths with more spans in B
  // No operation changed in count, duration or self time, and no path differs.
  bool Same() const;
};

// The finest time step of a trace: the coarsest resolution among its spans' formats.
int64_t TraceResolutionNs(const SpanSet& set, const Trace& t);

TraceDiff DiffTraces(const SpanSet& set_a, const Trace& a, const SpanSet& set_b, const Trace& b);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_DIFF_H_
