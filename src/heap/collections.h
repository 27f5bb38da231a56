// The biggest collections by retained size with their element counts, read from the field
// each collection class keeps its count in (a table kept as data: HashMap.size,
// Hashtable.count, Vector.elementCount...; a subclass counts through its superclass's field).
// The counts come from one more pass over the dump, decoding only the collections listed.
#ifndef INQUEST_HEAP_COLLECTIONS_H_
#define INQUEST_HEAP_COLLECTIONS_H_

#include <cstdint>
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
// table while it resizes retains little, yet its count matters most).
std::vector<CollectionRow> BiggestCollections(const HeapGraph& g, const DominatorTree& t,
                                              size_t top, const std::vector<uint32_t>& also = {});

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_COLLECTIONS_H_
