// A 64-bit hash of bytes that is the same in every run and build (FNV-1a, then the splitmix64
// finaliser to spread the bits), unlike std::hash: for what is written to disk or into ids.
#ifndef INQUEST_BASE_STABLE_HASH_H_
#define INQUEST_BASE_STABLE_HASH_H_

#include <cstdint>
#include <string_view>

namespace inquest {

inline uint64_t StableHash64(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace inquest

#endif  // INQUEST_BASE_STABLE_HASH_H_
