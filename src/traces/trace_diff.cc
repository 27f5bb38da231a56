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

}  // namespace

TraceDiff DiffTraces(const SpanSet& set_a, const Trace& a, const SpanSet& set_b, const Trace& b) {
  TraceDiff d;
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
