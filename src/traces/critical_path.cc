#include "traces/critical_path.h"

#include <algorithm>
#include <map>

namespace inquest {
namespace {

bool Blocking(const SpanSet& set, const Trace& t, uint32_t node) {
  const Span* s = t.SpanOf(set, node);
  return !s || s->parent_ref == RefType::kChildOf || t.nodes[node].orphan;
}

}  // namespace

CriticalPath ComputeCriticalPath(const SpanSet& set, const Trace& t) {
  CriticalPath cp;
  size_t n = t.nodes.size();
  cp.on_path_ns.assign(n, 0);
  // Clipped times; dropped nodes (outside their parent, or under one) are skipped.
  std::vector<TimePoint> s(n), e(n);
  std::vector<uint8_t> dropped(n, 1);
  for (uint32_t node : t.order) {
    const TraceNode& tn = t.nodes[node];
    s[node] = tn.start;
    e[node] = tn.end;
    if (tn.parent < 0) {
      dropped[node] = 0;
      continue;
    }
    uint32_t p = static_cast<uint32_t>(tn.parent);
    if (dropped[p] || !Blocking(set, t, node)) continue;
    if (e[node] <= s[p] || s[node] >= e[p]) continue;  // wholly outside the parent
    if (s[node] < s[p]) s[node] = s[p];
    if (e[node] > e[p]) e[node] = e[p];
    dropped[node] = 0;
  }
  // Each node's kept children, latest end first, with a cursor: the times the walk returns to a
  // parent with only ever decrease, so the search for "the last child ending before" resumes.
  std::vector<std::vector<uint32_t>> by_end(n);
  for (uint32_t node : t.order) {
    if (dropped[node]) continue;
    for (uint32_t c : t.ChildrenOf(node))
      if (!dropped[c]) by_end[node].push_back(c);
    std::stable_sort(by_end[node].begin(), by_end[node].end(),
                     [&](uint32_t a, uint32_t b) { return e[a] > e[b]; });
  }
  std::vector<size_t> cursor(n, 0);
  auto add = [&](uint32_t node, TimePoint from, TimePoint to) {
    if (from >= to) return;
    cp.sections.push_back(PathSection{node, from, to});
    cp.on_path_ns[node] += to - from;
    cp.total_ns += to - from;
  };
  for (uint32_t root : t.roots) {
    uint32_t cur = root;
    bool returning = false;
    TimePoint ret = 0;
    for (;;) {
      int64_t lfc = -1;
      auto& kids = by_end[cur];
      size_t& c = cursor[cur];
      if (!returning) {
        if (c < kids.size()) lfc = kids[c];
      } else {
        while (c < kids.size() && e[kids[c]] >= ret) ++c;
        if (c < kids.size()) lfc = kids[c];
      }
      TimePoint until = returning ? ret : e[cur];
      if (lfc >= 0) {
        uint32_t child = static_cast<uint32_t>(lfc);
        ++c;  // a child is followed once
        add(cur, e[child], until);
        cur = child;
        returning = false;
      } else {
        add(cur, s[cur], until);
        if (cur == root) break;
        ret = s[cur];
        returning = true;
        cur = static_cast<uint32_t>(t.nodes[cur].parent);
      }
    }
  }
  return cp;
}

std::vector<int64_t> SelfTimes(const Trace& t) {
  std::vector<int64_t> self(t.nodes.size(), 0);
  std::vector<std::pair<TimePoint, TimePoint>> iv;
  for (uint32_t node : t.order) {
    const TraceNode& tn = t.nodes[node];
    iv.clear();
    for (uint32_t c : t.ChildrenOf(node)) {
      TimePoint a = std::max(t.nodes[c].start, tn.start);
      TimePoint b = std::min(t.nodes[c].end, tn.end);
      if (a < b) iv.emplace_back(a, b);
    }
    std::sort(iv.begin(), iv.end());
    int64_t covered = 0;
    TimePoint run_start = 0, run_end = 0;
    bool open = false;
    for (auto [a, b] : iv) {
      if (open && a <= run_end) {
        run_end = std::max(run_end, b);
        continue;
      }
      if (open) covered += run_end - run_start;
      run_start = a;
      run_end = b;
      open = true;
    }
    if (open) covered += run_end - run_start;
    self[node] = tn.duration() - covered;
  }
  return self;
}

std::vector<ServiceTime> TimeByService(const SpanSet& set, const Trace& t,
                                       const std::vector<int64_t>& self, const CriticalPath& path) {
  std::map<std::string_view, ServiceTime> by;
  for (uint32_t node : t.order) {
    const Span* s = t.SpanOf(set, node);
    std::string_view name = s ? s->service : std::string_view("(missing spans)");
    ServiceTime& st = by[name];
    st.self_ns += self[node];
    st.critical_ns += path.on_path_ns[node];
    st.spans += s ? 1 : 0;
  }
  std::vector<ServiceTime> out;
  for (auto& [name, st] : by) {
    st.service = name.empty() ? "?" : std::string(name);
    out.push_back(st);
  }
  std::stable_sort(out.begin(), out.end(), [](const ServiceTime& a, const ServiceTime& b) {
    if (a.critical_ns != b.critical_ns) return a.critical_ns > b.critical_ns;
    return a.self_ns > b.self_ns;
  });
  return out;
}

}  // namespace inquest
