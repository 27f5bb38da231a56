#include "heap/shallow_size.h"

#include "heap/hprof_format.h"

namespace inquest::heap {
namespace {

uint64_t AlignUp(uint64_t n, uint64_t to) { return to == 0 ? n : (n + to - 1) / to * to; }

uint64_t FieldsSize(const ShallowSizing& s, const std::vector<uint8_t>& types) {
  uint64_t n = 0;
  for (uint8_t t : types) n += t == kTypeObject ? s.ref_size : HprofTypeSize(t, s.pointer_size);
  return n;
}

}  // namespace

uint64_t InstanceSize(const ShallowSizing& s, const std::vector<std::vector<uint8_t>>& chain) {
  uint64_t size = uint64_t(s.pointer_size) + s.ref_size;  // the root class: the header only
  for (size_t k = chain.size(); k-- > 1;)
    size = AlignUp(size + FieldsSize(s, chain[k - 1]), s.ref_size);
  return AlignUp(size, s.alignment);
}

uint64_t ObjectArraySize(const ShallowSizing& s, uint64_t length) {
  return AlignUp(uint64_t(s.pointer_size) + s.ref_size + 4 + length * s.ref_size, s.alignment);
}

uint64_t PrimitiveArraySize(const ShallowSizing& s, uint8_t element_type, uint64_t length) {
  uint64_t header = AlignUp(uint64_t(s.pointer_size) + s.ref_size + 4, s.ref_size);
  return AlignUp(header + length * HprofTypeSize(element_type, s.pointer_size), s.alignment);
}

uint64_t StaticsSize(const ShallowSizing& s, const std::vector<uint8_t>& types) {
  return AlignUp(FieldsSize(s, types), s.alignment);
}

}  // namespace inquest::heap
