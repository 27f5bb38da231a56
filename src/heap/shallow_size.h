// Shallow sizes of Java objects as the JVM accounts them (`jmap -histo`) and Eclipse MAT
// computes them from a dump: header = pointer size (mark word) + reference size (class
// pointer); each class level's fields added to its superclass's size and rounded up to the
// reference size; the whole rounded up to the object alignment. Arrays: header, a 4-byte
// length, the elements. Sizes of fields: an object reference takes `ref_size` (4 with
// compressed oops), primitives their Java size.
#ifndef INQUEST_HEAP_SHALLOW_SIZE_H_
#define INQUEST_HEAP_SHALLOW_SIZE_H_

#include <cstdint>
#include <vector>

namespace inquest::heap {

struct ShallowSizing {
  int pointer_size = 8;  // the dump's id size
  int ref_size = 8;      // 4 when the heap used compressed references
  int alignment = 8;
};

// `chain` holds the field types of the class and then of each superclass up to the root
// (java.lang.Object, whose own size is the header).
uint64_t InstanceSize(const ShallowSizing& s, const std::vector<std::vector<uint8_t>>& chain);
uint64_t ObjectArraySize(const ShallowSizing& s, uint64_t length);
uint64_t PrimitiveArraySize(const ShallowSizing& s, uint8_t element_type, uint64_t length);
// A class object: its static fields, aligned.
uint64_t StaticsSize(const ShallowSizing& s, const std::vector<uint8_t>& types);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_SHALLOW_SIZE_H_
