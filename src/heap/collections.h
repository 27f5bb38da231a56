// The biggest collections by retained size with their element counts, read from the field
// each collection class keeps its count in (a table kept as data: HashMap.size,
// Hashtable.count, Vector.elementCount...; a subclass counts through its superclass's field).
#ifndef INQUEST_HEAP_COLLECTIONS_H_
#define INQUEST_HEAP_COLLECTIONS_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "heap/dominators.h"
#include "heap/heap_graph.h"

namespace inquest::heap {

struct CollectionCountField {
  std::string_view class_name;
  std::string_view field;  // an int field of that class
};
// The collection classes whose element count inquest reads, and where.
const std::vector<CollectionCountField>& CollectionCountFields();

struct CollectionRow {
  uint32_t object = 0;
  int64_t elements = -1;  // -1 when the field could not be read
};

// The `top` biggest collections (by retained size) among reachable objects, after the
// collections among `also` (the leak suspects' holders: a map that does not dominate its
// table while it resizes retains little, yet its count matters most). Their counts are read
// by the visitor, in a pass shared with other readers (fan_out.h).
//
//   CollectionCounter c(graph, tree, 20, holders);
//   if (c.visitor()) graph.Reread(c.visitor());
//   for (const CollectionRow& row : c.rows()) ...
class CollectionCounter {
 public:
  CollectionCounter(const HeapGraph& g, const DominatorTree& t, size_t top,
                    const std::vector<uint32_t>& also = {});
  ~CollectionCounter();
  // Null when there is no collection to count.
  HprofVisitor* visitor();
  // Rows the pass could not reach keep elements -1.
  const std::vector<CollectionRow>& rows() const { return rows_; }

 private:
  struct Pass;
  std::vector<CollectionRow> rows_;
  std::unique_ptr<Pass> pass_;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_COLLECTIONS_H_
