#include "logs/text_scan.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace inquest {

size_t FindEither(std::string_view s, size_t from, char a, char b) {
  size_t i = from;
#if defined(__AVX2__)
  const __m256i va = _mm256_set1_epi8(a);
  const __m256i vb = _mm256_set1_epi8(b);
  for (; i + 32 <= s.size(); i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
    uint32_t m = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, va), _mm256_cmpeq_epi8(v, vb))));
    if (m != 0) return i + static_cast<size_t>(__builtin_ctz(m));
  }
#endif
  while (i < s.size() && s[i] != a && s[i] != b) ++i;
  return i;
}

}  // namespace inquest
