#include "traces/async_work.h"

#include <fmt/format.h>

#include <algorithm>

namespace inquest {
namespace {

// The topmost nodes (in pre-order, none inside another) for which `pick` holds.
template <typename Pick>
std::vector<uint32_t> Topmost(const Trace& t, Pick pick) {
  std::vector<uint32_t> out;
  int64_t inside = -1;  // depth of the picked node whose subtree is being walked
  for (uint32_t n : t.order) {
    int64_t depth = t.nodes[n].depth;
    if (inside >= 0 && depth > inside) continue;
    inside = -1;
    if (pick(n)) {
      out.push_back(n);
      inside = depth;
    }
  }
  return out;
}

}  // namespace

AsyncWork FindAsyncWork(const Trace& t, const CriticalPath& path) {
  AsyncWork w;
  if (t.duration() <= 0) return w;
  w.path_share = static_cast<double>(path.total_ns) / static_cast<double>(t.duration());
  w.mostly_async = w.path_share < kMostlyAsyncPathShare;
  if (!w.mostly_async) return w;
  // Latest end and span count of every subtree (children come after their parent in `order`).
  std::vector<TimePoint> last(t.nodes.size(), INT64_MIN);
  std::vector<uint32_t> count(t.nodes.size(), 0);
  for (auto it = t.order.rbegin(); it != t.order.rend(); ++it) {
    uint32_t n = *it;
    last[n] = std::max(last[n], t.nodes[n].end);
    count[n] += t.IsSynthetic(n) ? 0 : 1;
    int32_t p = t.nodes[n].parent;
    if (p >= 0) {
      last[p] = std::max(last[p], last[n]);
      count[p] += count[n];
    }
  }
  auto branch = [&](uint32_t n) {
    AsyncBranch b;
    b.node = n;
    int32_t p = t.nodes[n].parent;
    if (p >= 0 && !t.IsSynthetic(static_cast<uint32_t>(p)))
      b.past_parent_ns = std::max<int64_t>(0, last[n] - t.nodes[p].end);
    b.span_ns = last[n] - t.nodes[n].start;
    b.spans = count[n];
    return b;
  };
  // Branches that outlived their parent (a synthetic root ended nothing: it is no span).
  for (uint32_t n : Topmost(t, [&](uint32_t n) {
         int32_t p = t.nodes[n].parent;
         return p >= 0 && !t.IsSynthetic(static_cast<uint32_t>(p)) && last[n] > t.nodes[p].end;
       }))
    w.branches.push_back(branch(n));
  if (w.branches.empty()) {
    for (uint32_t n :
         Topmost(t, [&](uint32_t n) { return !t.IsSynthetic(n) && path.on_path_ns[n] == 0; }))
      w.branches.push_back(branch(n));
  }
  std::stable_sort(w.branches.begin(), w.branches.end(),
                   [](const AsyncBranch& a, const AsyncBranch& b) {
                     if (a.past_parent_ns != b.past_parent_ns)
                       return a.past_parent_ns > b.past_parent_ns;
                     return a.span_ns > b.span_ns;
                   });
  if (w.branches.size() > kAsyncBranchesNamed) w.branches.resize(kAsyncBranchesNamed);
  return w;
}

std::string SharePercent(double share) {
  double pct = share * 100;
  if (pct >= 10) return fmt::format("{:.0f}%", pct);
  if (pct < 0.0001) return "<0.0001%";
  return fmt::format("{:.2g}%", pct);
}

}  // namespace inquest
