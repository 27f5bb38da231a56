// The dominator tree of a heap graph and the retained size of every object.
//
// An object d dominates o when every path from the GC roots to o passes through d; the
// retained size of d is the shallow size of everything it dominates (what the collector would
// free if d went). A virtual root above all GC roots makes the graph single-rooted. The tree is
// computed with the semi-NCA algorithm (Georgiadis' iterative variant of Lengauer-Tarjan: the
// semidominators with path compression, then each idom as the nearest common ancestor in the
// DFS tree), all loops, no recursion, O(E log V); the DFS and the predecessor lists take
// 4 bytes per object and per reference.
//
//   DominatorTree t = ComputeDominators(graph);
//   t.idom[i]      // kNoIndex: unreachable; kVirtualRoot: dominated only by the roots
//   t.retained[i]
#ifndef INQUEST_HEAP_DOMINATORS_H_
#define INQUEST_HEAP_DOMINATORS_H_

#include <cstdint>
#include <vector>

#include "heap/heap_graph.h"

namespace inquest::heap {

inline constexpr uint32_t kVirtualRoot = 0xFFFFFFFEu;

struct DominatorTree {
  std::vector<uint32_t> idom;      // per object
  std::vector<uint64_t> retained;  // per object; 0 when unreachable
  uint64_t reachable_objects = 0;
  uint64_t reachable_bytes = 0;  // shallow size of every reachable object
  // Children of each object in the tree, in CSR form.
  std::vector<uint32_t> child_start;  // per object + 1
  std::vector<uint32_t> children;
  std::vector<uint32_t> top;  // objects whose idom is the virtual root
};

// Weak, soft and phantom referents are left out of the paths that keep objects alive (as
// VisualVM does): an object held only through them is dominated by nothing and retains
// nothing. `follow_weak` counts them as ordinary references.
DominatorTree ComputeDominators(const HeapGraph& g, bool follow_weak = false);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_DOMINATORS_H_
