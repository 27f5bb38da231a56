// HPROF heap dumps: the reader, the two passes into the object graph, the dominator tree, the
// suspects with their named paths and the three renderings, on any bytes.
#include <string>
#include <string_view>

#include "heap/dominators.h"
#include "heap/heap_analysis.h"
#include "heap/heap_graph.h"
#include "heap/heap_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::heap::HeapGraph> g =
      inquest::heap::BuildHeapGraphFromBytes(bytes, "fuzz.hprof");
  if (!g.ok()) return 0;
  for (bool weak : {true, false}) {
    inquest::heap::DominatorTree t = inquest::heap::ComputeDominators(*g, weak);
    // Every reachable object retains at least itself, and no more than the reachable heap.
    for (uint32_t v = 0; v < g->objects(); ++v)
      if (t.idom[v] != inquest::heap::kNoIndex &&
          (t.retained[v] < g->Shallow(v) || t.retained[v] > t.reachable_bytes))
        __builtin_trap();
    inquest::heap::HeapOptions o;
    o.suspect_share = 0.05;
    o.path_through_weak = !weak;
    inquest::heap::HeapReport r = inquest::heap::AnalyzeHeap(*g, t, o);
    (void)inquest::heap::HeapReportText(r);
    (void)inquest::heap::HeapReportMarkdown(r);
    (void)inquest::heap::HeapReportJson(r);
  }
  return 0;
}
