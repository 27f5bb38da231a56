#include "traces/trace_analysis.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace inquest {

TraceAnalysis AnalyzeTrace(const SpanSet& set, Trace* t, bool adjust_skew, int64_t max_skew_ns) {
  TraceAnalysis a;
  a.skew = AdjustClockSkew(set, t, adjust_skew, max_skew_ns);
  a.adjusted = adjust_skew;
  a.path = ComputeCriticalPath(set, *t);
  a.self = SelfTimes(*t);
  a.services = TimeByService(set, *t, a.self, a.path);
  a.async = FindAsyncWork(*t, a.path);
  return a;
}

int32_t HottestNode(const Trace& t, const TraceAnalysis& a) {
  int32_t best = -1;
  int64_t best_ns = 0;
  for (uint32_t n : t.order) {
    // The node's own share of the path: its sections (time on the path with no child running).
    int64_t ns = std::min(a.path.on_path_ns[n], a.self[n]);
    if (ns > best_ns) {
      best = static_cast<int32_t>(n);
      best_ns = ns;
    }
  }
  return best;
}

TraceSetSummary SummarizeTraces(const SpanSet& set, const std::vector<Trace>& traces, size_t top) {
  TraceSetSummary s;
  for (const Trace& t : traces) {
    s.spans += t.spans;
    s.duplicates += t.duplicates;
    s.left_out += t.left_out;
  }
  std::vector<uint32_t> idx(traces.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
    return traces[a].duration() > traces[b].duration();
  });
  s.slowest.assign(idx.begin(),
                   idx.begin() + static_cast<std::ptrdiff_t>(std::min(top, idx.size())));
  for (uint32_t i : idx)
    if (traces[i].error_spans > 0) s.failing.push_back(i);
  std::stable_sort(s.failing.begin(), s.failing.end(), [&](uint32_t a, uint32_t b) {
    return traces[a].error_spans > traces[b].error_spans;
  });
  if (s.failing.size() > top) s.failing.resize(top);
  std::map<std::string, std::vector<uint32_t>> by_root;
  for (uint32_t i = 0; i < traces.size(); ++i) by_root[TraceName(set, traces[i])].push_back(i);
  for (auto& [name, list] : by_root) {
    RootOperation r;
    r.name = name;
    r.traces = static_cast<uint32_t>(list.size());
    std::vector<int64_t> d;
    for (uint32_t i : list) {
      d.push_back(traces[i].duration());
      r.failing += traces[i].error_spans > 0;
    }
    std::sort(d.begin(), d.end());
    r.p50_ns = d[d.size() / 2];
    r.max_ns = d.back();
    s.by_root.push_back(std::move(r));
  }
  std::stable_sort(
      s.by_root.begin(), s.by_root.end(),
      [](const RootOperation& a, const RootOperation& b) { return a.traces > b.traces; });
  return s;
}

}  // namespace inquest
