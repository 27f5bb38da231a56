// How each reference on a path is held: "field cache", "static cache", "[12]", "local
// variable" (a thread's frame), "super class"... What the graph knows (statics, frames, class
// pointers) is named at once; fields and array slots are read from the dump by the visitor, in
// a pass shared with other readers (fan_out.h). A pair no pass could name keeps "".
//
//   ReferenceNamer namer(graph, {{from, to}, ...});
//   graph.Reread(namer.visitor());
//   namer.names()[k]
#ifndef INQUEST_HEAP_REFERENCE_NAMES_H_
#define INQUEST_HEAP_REFERENCE_NAMES_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "heap/heap_graph.h"

namespace inquest::heap {

class ReferenceNamer {
 public:
  ReferenceNamer(const HeapGraph& g, const std::vector<std::pair<uint32_t, uint32_t>>& pairs);
  ~ReferenceNamer();
  HprofVisitor* visitor();
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Pass;
  std::vector<std::string> names_;
  std::unique_ptr<Pass> pass_;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_REFERENCE_NAMES_H_
