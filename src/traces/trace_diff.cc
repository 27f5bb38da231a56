#include "traces/trace_diff.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "traces/critical_path.h"

namespace inquest {
namespace {

std::string OpName(const Span* s) {
  if (!s) return "(missing spans)";
  return std::string(s->service.empty() ? "?" : s->service) + ": " + std::string(s->name);
}

// Path of every node: its ancestors' operation names joined by " > ".
std::vector<std::string> Paths(const SpanSet& set, const Trace& t) {
  std::vector<std::string> path(t.nodes.size());
  for (uint32_t n : t.order) {
    const TraceNode& node = t.nodes[n];
    std::string own = OpName(t.SpanOf(set, n));
    path[n] = node.parent < 0 ? own : path[node.parent] + " > " + own;
  }
  return path;
}

int64_t FloorTo(int64_t v, int64_t step) {
  int64_t q = v / step;
  if (v % step != 0 && v < 0) --q;
  return q * step;
}

// `t` with its span times as a format of resolution `step` writes them: start and duration each
// truncated (Jaeger's conversion from OTLP does so).
Trace AtResolution(const SpanSet& set, const Trace& t, int64_t step) {
  Trace out = t;
  if (step <= 1) return out;
  for (uint32_t n = 0; n < out.nodes.size(); ++n) {
    TraceNode& node = out.nodes[n];
    if (out.IsSynthetic(n)) continue;
    TimePoint start = FloorTo(node.start, step);
    node.end = start + FloorTo(node.duration(), step);
    node.start = start;
  }
  for (const MissingParent& m : out.missing) {
    TraceNode& synth = out.nodes[m.node];
    synth.start = INT64_MAX;
    synth.end = INT64_MIN;
    for (uint32_t c : out.ChildrenOf(m.node)) {
      synth.start = std::min(synth.start, out.nodes[c].start);
      synth.end = std::max(synth.end, out.nodes[c].end);
    }
  }
  RefreshTrace(set, &out);
  return out;
}

}  // namespace

int64_t TraceResolutionNs(const SpanSet& set, const Trace& t) {
  int64_t step = 1;
  for (uint32_t n : t.order)
    if (const Span* s = t.SpanOf(set, n); s && s->file < set.files.size())
      step = std::max(step, TimeResolutionNs(set.files[s->file].format));
  return step;
}

bool TraceDiff::Same() const {
  for (const OperationDiff& o : operations)
    if (o.count_a != o.count_b || o.total_a != o.total_b || o.self_a != o.self_b) return false;
  return only_a.empty() && only_b.empty();
}

TraceDiff DiffTraces(const SpanSet& set_a, const Trace& trace_a, const SpanSet& set_b,
                     const Trace& trace_b) {
  TraceDiff d;
  d.resolution_ns = std::max(TraceResolutionNs(set_a, trace_a), TraceResolutionNs(set_b, trace_b));
  Trace a = AtResolution(set_a, trace_a, d.resolution_ns);
  Trace b = AtResolution(set_b, trace_b, d.resolution_ns);
  d.duration_a = a.duration();
  d.duration_b = b.duration();
  std::map<std::pair<std::string, std::string>, OperationDiff> ops;
  std::map<std::string, PathDiff> paths;
  auto add = [&](const SpanSet& set, const Trace& t, bool is_a) {
    std::vector<int64_t> self = SelfTimes(t);
    std::vector<std::string> p = Paths(set, t);
    for (uint32_t n : t.order) {
      const Span* s = t.SpanOf(set, n);
      if (!s) continue;
      OperationDiff& op = ops[{std::string(s->service), std::string(s->name)}];
      (is_a ? op.count_a : op.count_b)++;
      (is_a ? op.total_a : op.total_b) += t.nodes[n].duration();
      (is_a ? op.self_a : op.self_b) += self[n];
      PathDiff& pd = paths[p[n]];
      (is_a ? pd.count_a : pd.count_b)++;
    }
  };
  add(set_a, a, true);
  add(set_b, b, false);
  for (auto& [key, op] : ops) {
    op.service = key.first;
    op.name = key.second;
    d.operations.push_back(op);
  }
  std::stable_sort(d.operations.begin(), d.operations.end(),
                   [](const OperationDiff& x, const OperationDiff& y) {
                     return std::llabs(x.delta()) > std::llabs(y.delta());
                   });
  for (auto& [path, pd] : paths) {
    pd.path = path;
    if (pd.count_a > pd.count_b) d.only_a.push_back(pd);
    if (pd.count_b > pd.count_a) d.only_b.push_back(pd);
  }
  return d;
}

}  // namespace inquest
