// Damage for the runtime walkers' fuzz targets: the input, from byte `from` on, read as patches
// over a valid process image (two bytes of offset, one of length modulo 9, then that many
// bytes). With `other`, a patch whose first byte has its top bit set lands there instead (a
// second image: Go's function table).
#ifndef INQUEST_FUZZ_FUZZ_PATCH_H_
#define INQUEST_FUZZ_FUZZ_PATCH_H_

#include <cstddef>
#include <cstdint>
#include <string>

inline void ApplyFuzzPatches(const uint8_t* data, size_t size, size_t from, std::string* mem,
                             std::string* other = nullptr) {
  for (size_t i = from; i + 3 <= size;) {
    std::string& target = other != nullptr && (data[i] & 0x80) ? *other : *mem;
    if (target.empty()) return;
    size_t at = (data[i] | (data[i + 1] << 8)) % target.size();
    size_t len = data[i + 2] % 9;
    i += 3;
    for (size_t k = 0; k < len && i < size && at + k < target.size(); ++k)
      target[at + k] = static_cast<char>(data[i++]);
  }
}

#endif  // INQUEST_FUZZ_FUZZ_PATCH_H_
