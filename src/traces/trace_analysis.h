// Everything `inquest trace` says about one trace, computed once: the skew estimate (and the
// adjustment when asked), the critical path, self times, and time per service; and the summary
// of many traces (slowest, failing, per root operation).
#ifndef INQUEST_TRACES_TRACE_ANALYSIS_H_
#define INQUEST_TRACES_TRACE_ANALYSIS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "traces/async_work.h"
#include "traces/clock_skew.h"
#include "traces/critical_path.h"
#include "traces/trace_tree.h"

namespace inquest {

struct TraceAnalysis {
  SkewReport skew;  // estimated before any adjustment
  bool adjusted = false;
  CriticalPath path;
  std::vector<int64_t> self;  // per node
  std::vector<ServiceTime> services;
  AsyncWork async;  // whether the critical path covers little of the trace, and what ran on
};

// Analyses `t` (adjusting its times first when `adjust_skew`: every later view of `t`, tables
// included, then shows the adjusted times).
TraceAnalysis AnalyzeTrace(const SpanSet& set, Trace* t, bool adjust_skew,
                           int64_t max_skew_ns = kMaxSkewAdjustmentNs);

// The node on the critical path with the most self time on it: "where the time went".
// -1 when the path is empty.
int32_t HottestNode(const Trace& t, const TraceAnalysis& a);

struct RootOperation {
  std::string name;  // "service: operation" of the root
  uint32_t traces = 0;
  uint32_t failing = 0;  // traces with at least one error span
  int64_t p50_ns = 0, max_ns = 0;
};

struct TraceSetSummary {
  // Counted as each trace counts them (Trace::spans), so that the totals, the tables and each
  // trace's own view agree.
  uint64_t spans = 0;
  uint64_t duplicates = 0;             // identical copies merged
  uint64_t left_out = 0;               // spans on parent cycles
  std::vector<uint32_t> slowest;       // trace indices, longest first (at most `top`)
  std::vector<uint32_t> failing;       // trace indices with error spans, most errors first
  std::vector<RootOperation> by_root;  // most traces first
};

TraceSetSummary SummarizeTraces(const SpanSet& set, const std::vector<Trace>& traces, size_t top);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_ANALYSIS_H_
