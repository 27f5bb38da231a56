#include "base/find.h"

#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace inquest {

const char* FindSubstring(std::string_view haystack, std::string_view needle) {
  const size_t n = needle.size(), size = haystack.size();
  const char* h = haystack.data();
  if (n == 0) return h;
  if (n > size) return nullptr;
  if (n == 1) return static_cast<const char*>(memchr(h, needle[0], size));
  size_t i = 0;
#if defined(__AVX2__)
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i last = _mm256_set1_epi8(needle[n - 1]);
  // Each step reads bytes [i, i + 32) and [i + n - 1, i + n + 31): both inside the haystack.
  for (; i + n - 1 + 32 <= size; i += 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i + n - 1));
    uint32_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
    while (mask != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (memcmp(h + i + bit + 1, needle.data() + 1, n - 2) == 0) return h + i + bit;
      mask &= mask - 1;
    }
  }
#endif
  return static_cast<const char*>(memmem(h + i, size - i, needle.data(), n));
}

}  // namespace inquest
