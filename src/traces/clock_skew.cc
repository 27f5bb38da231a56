#include "traces/clock_skew.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace inquest {

std::string_view HostKey(const Span& s) { return s.host.empty() ? s.service : s.host; }

namespace {

int64_t Delta(TimePoint cs, TimePoint ce, TimePoint ps, TimePoint pe) {
  int64_t child = ce - cs, parent = pe - ps;
  if (child > parent) return cs < ps ? ps - cs : 0;
  if (cs >= ps && ce <= pe) return 0;
  int64_t latency = (parent - child) / 2;
  return ps + latency - cs;
}

}  // namespace

SkewReport AdjustClockSkew(const SpanSet& set, Trace* t, bool apply, int64_t max_delta_ns) {
  SkewReport r;
  size_t n = t->nodes.size();
  // Times as adjusted so far (children are compared with their parent's adjusted times).
  std::vector<TimePoint> s(n), e(n);
  std::vector<int64_t> carried(n, 0);
  std::vector<std::string_view> host(n);
  std::map<std::pair<std::string_view, std::string_view>, std::vector<int64_t>> pairs;
  for (uint32_t node : t->order) {
    const TraceNode& tn = t->nodes[node];
    const Span* span = t->SpanOf(set, node);
    host[node] = span ? HostKey(*span) : std::string_view();
    int64_t delta = 0;
    std::string_view from_host;
    bool estimated = false;
    if (tn.parent >= 0 && span && !tn.orphan) {
      uint32_t p = static_cast<uint32_t>(tn.parent);
      if (host[node] == host[p] && !host[node].empty()) {
        delta = carried[p];
      } else if (span->parent_ref == RefType::kChildOf) {
        if (tn.start < s[p] || tn.end > e[p]) r.violations++;
        delta = Delta(tn.start, tn.end, s[p], e[p]);
        from_host = host[p];
        estimated = true;
        if (delta != 0) pairs[{host[p], host[node]}].push_back(delta);
      }
    }
    bool over = std::llabs(delta) > max_delta_ns;
    // A delta over the cap is not applied, and the span's subtree carries none.
    carried[node] = over ? 0 : delta;
    int64_t used = over ? 0 : delta;
    s[node] = tn.start + used;
    e[node] = tn.end + used;
    if (delta != 0) {
      SkewShift sh;
      sh.node = node;
      sh.delta_ns = delta;
      sh.over_cap = over;
      sh.applied = apply && !over;
      if (estimated) {
        sh.host = std::string(host[node]);
        sh.parent_host = std::string(from_host);
      }
      r.shifts.push_back(std::move(sh));
    }
  }
  for (auto& [key, deltas] : pairs) {
    std::sort(deltas.begin(), deltas.end());
    HostPairSkew hp;
    hp.parent_host = std::string(key.first);
    hp.child_host = std::string(key.second);
    hp.estimate_ns = deltas[deltas.size() / 2];
    hp.min_ns = deltas.front();
    hp.max_ns = deltas.back();
    hp.spans = static_cast<uint32_t>(deltas.size());
    r.pairs.push_back(std::move(hp));
  }
  if (apply) {
    for (uint32_t node : t->order) {
      t->nodes[node].start = s[node];
      t->nodes[node].end = e[node];
    }
    // A synthetic root spans its (possibly moved) orphans.
    for (const MissingParent& m : t->missing) {
      TraceNode& synth = t->nodes[m.node];
      synth.start = INT64_MAX;
      synth.end = INT64_MIN;
      for (uint32_t c : t->ChildrenOf(m.node)) {
        synth.start = std::min(synth.start, t->nodes[c].start);
        synth.end = std::max(synth.end, t->nodes[c].end);
      }
    }
    // Siblings stay ordered by (adjusted) start time.
    for (uint32_t node = 0; node < n; ++node) {
      auto begin = t->children.begin() + t->nodes[node].child_begin;
      std::stable_sort(begin, begin + t->nodes[node].child_count, [&](uint32_t a, uint32_t b) {
        return t->nodes[a].start < t->nodes[b].start;
      });
    }
    RefreshTrace(set, t);
  }
  return r;
}

}  // namespace inquest
