#include "heap/dominators.h"

#include <algorithm>

namespace inquest::heap {
namespace {

constexpr uint32_t kNone = kNoIndex;

// Semidominator and NCA computation over vertices numbered in DFS preorder (0 = virtual root).
class SemiNca {
 public:
  SemiNca(const std::vector<uint32_t>& parent, const std::vector<uint32_t>& pred_start,
          const std::vector<uint32_t>& preds)
      : parent_(parent), pred_start_(pred_start), preds_(preds) {}

  std::vector<uint32_t> Run() {
    uint32_t n = static_cast<uint32_t>(parent_.size());
    std::vector<uint32_t> semi(n);
    label_.resize(n);
    anc_.assign(n, kNone);
    for (uint32_t v = 0; v < n; ++v) semi[v] = label_[v] = v;
    for (uint32_t w = n; w-- > 1;) {
      uint32_t s = semi[w];
      for (uint32_t p = pred_start_[w]; p < pred_start_[w + 1]; ++p) {
        uint32_t v = preds_[p];
        uint32_t candidate = v;
        if (anc_[v] != kNone) {
          Compress(v);
          candidate = label_[v];
        }
        s = std::min(s, candidate);
      }
      semi[w] = s;
      label_[w] = s;
      anc_[w] = parent_[w];
    }
    std::vector<uint32_t>().swap(anc_);
    std::vector<uint32_t>().swap(label_);
    std::vector<uint32_t> idom(n, 0);
    for (uint32_t w = 1; w < n; ++w) {
      uint32_t x = parent_[w];
      while (x > semi[w]) x = idom[x];
      idom[w] = x;
    }
    return idom;
  }

 private:
  // Path compression without recursion: the path to the forest's root, then labels carried
  // down from the top.
  void Compress(uint32_t v) {
    path_.clear();
    while (anc_[anc_[v]] != kNone) {
      path_.push_back(v);
      v = anc_[v];
    }
    for (size_t k = path_.size(); k-- > 0;) {
      uint32_t x = path_[k];
      uint32_t a = anc_[x];
      if (label_[a] < label_[x]) label_[x] = label_[a];
      anc_[x] = anc_[a];
    }
  }

  const std::vector<uint32_t>& parent_;
  const std::vector<uint32_t>& pred_start_;
  const std::vector<uint32_t>& preds_;
  std::vector<uint32_t> label_;
  std::vector<uint32_t> anc_;
  std::vector<uint32_t> path_;
};

// The graph's edges as seen by one computation: weak referents left out when asked.
struct EdgeView {
  const HeapGraph& g;
  bool follow_weak;
  uint32_t Target(uint32_t e) const {
    if ((e & kWeakEdge) && !follow_weak) return kNone;
    return e & ~kWeakEdge;
  }
};

// A depth-first numbering from the virtual root (vertex 0) through the GC roots, without
// recursion: each object's preorder number, each number's object and its DFS parent.
struct Numbering {
  std::vector<uint32_t> pre;     // object -> preorder (kNone: unreached)
  std::vector<uint32_t> vertex;  // preorder -> object
  std::vector<uint32_t> parent;  // preorder -> parent's preorder
};

Numbering NumberDepthFirst(const EdgeView& v) {
  const HeapGraph& g = v.g;
  Numbering d;
  d.pre.assign(g.objects(), kNone);
  d.vertex.reserve(size_t{g.objects()} + 1);
  d.parent.reserve(size_t{g.objects()} + 1);
  d.vertex.push_back(kVirtualRoot);
  d.parent.push_back(0);
  struct Frame {
    uint32_t object;
    uint32_t next;  // index into Refs
  };
  std::vector<Frame> stack;
  auto visit = [&](uint32_t object, uint32_t parent_pre) {
    d.pre[object] = static_cast<uint32_t>(d.vertex.size());
    d.vertex.push_back(object);
    d.parent.push_back(parent_pre);
    stack.push_back({object, 0});
  };
  for (const HeapRoot& r : g.roots()) {
    if (d.pre[r.object] != kNone) continue;
    visit(r.object, 0);
    while (!stack.empty()) {
      Frame& f = stack.back();
      auto refs = g.Refs(f.object);
      if (f.next == refs.size()) {
        stack.pop_back();
        continue;
      }
      uint32_t t = v.Target(refs[f.next++]);
      if (t != kNone && d.pre[t] == kNone) visit(t, d.pre[f.object]);
    }
  }
  return d;
}

// Predecessors of each reached vertex, in preorder numbers, in CSR form (`start` has one entry
// per vertex and one more).
void Predecessors(const EdgeView& v, const Numbering& d, std::vector<uint32_t>* start,
                  std::vector<uint32_t>* preds) {
  const uint32_t m = static_cast<uint32_t>(d.vertex.size());
  start->assign(m + 1, 0);
  for (const HeapRoot& r : v.g.roots()) ++(*start)[d.pre[r.object] + 1];
  for (uint32_t k = 1; k < m; ++k)
    for (uint32_t e : v.g.Refs(d.vertex[k]))
      if (uint32_t t = v.Target(e); t != kNone) ++(*start)[d.pre[t] + 1];
  for (uint32_t k = 0; k < m; ++k) (*start)[k + 1] += (*start)[k];
  preds->assign((*start)[m], 0);
  std::vector<uint32_t> fill(start->begin(), start->end() - 1);
  for (const HeapRoot& r : v.g.roots()) (*preds)[fill[d.pre[r.object]]++] = 0;
  for (uint32_t k = 1; k < m; ++k)
    for (uint32_t e : v.g.Refs(d.vertex[k]))
      if (uint32_t t = v.Target(e); t != kNone) (*preds)[fill[d.pre[t]]++] = k;
}

// The tree's children lists (each in preorder) and its top level.
void BuildChildren(uint32_t n, const std::vector<uint32_t>& vertex, DominatorTree* t) {
  const uint32_t m = static_cast<uint32_t>(vertex.size());
  t->child_start.assign(n + 1, 0);
  for (uint32_t k = 1; k < m; ++k)
    if (t->idom[vertex[k]] != kVirtualRoot) ++t->child_start[t->idom[vertex[k]] + 1];
  for (uint32_t i = 0; i < n; ++i) t->child_start[i + 1] += t->child_start[i];
  t->children.resize(t->child_start[n]);
  std::vector<uint32_t> fill(t->child_start.begin(), t->child_start.end() - 1);
  for (uint32_t k = 1; k < m; ++k) {
    uint32_t v = vertex[k];
    if (t->idom[v] == kVirtualRoot)
      t->top.push_back(v);
    else
      t->children[fill[t->idom[v]]++] = v;
  }
}

}  // namespace

DominatorTree ComputeDominators(const HeapGraph& g, bool follow_weak) {
  const uint32_t n = g.objects();
  EdgeView edges{g, follow_weak};
  Numbering d = NumberDepthFirst(edges);
  const uint32_t m = static_cast<uint32_t>(d.vertex.size());
  std::vector<uint32_t> pred_start, preds;
  Predecessors(edges, d, &pred_start, &preds);
  std::vector<uint32_t>().swap(d.pre);  // no longer needed: free it before the big step
  std::vector<uint32_t> idom_pre = SemiNca(d.parent, pred_start, preds).Run();
  std::vector<uint32_t>().swap(preds);
  std::vector<uint32_t>().swap(pred_start);
  std::vector<uint32_t>().swap(d.parent);

  DominatorTree t;
  t.idom.assign(n, kNone);
  t.retained.assign(n, 0);
  for (uint32_t k = 1; k < m; ++k)
    t.idom[d.vertex[k]] = idom_pre[k] == 0 ? kVirtualRoot : d.vertex[idom_pre[k]];
  // Retained sizes: every vertex's idom comes before it in preorder.
  for (uint32_t k = m; k-- > 1;) {
    uint32_t v = d.vertex[k];
    uint64_t shallow = g.Shallow(v);
    t.reachable_bytes += shallow;
    t.retained[v] += shallow;
    if (idom_pre[k] != 0) t.retained[d.vertex[idom_pre[k]]] += t.retained[v];
  }
  std::vector<uint32_t>().swap(idom_pre);
  t.reachable_objects = m - 1;
  BuildChildren(n, d.vertex, &t);
  return t;
}

}  // namespace inquest::heap
