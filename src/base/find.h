// Substring search for the hot path of `timeline --request`: finding a request id in a
// gigabyte of log text before parsing anything.
//
// glibc's memmem runs at about 2 GB/s per core on log text (bench/find_benchmark.cc); this is
// the SIMD "first and last byte" filter (W. Muła): 32 positions at a time are tested for the
// needle's first and last bytes, and only those candidates are compared in full. It is several
// times faster on log text and falls back to memmem where AVX2 is not compiled in.
//
//   const char* hit = FindSubstring(text, "req-38101a0b");
#ifndef INQUEST_BASE_FIND_H_
#define INQUEST_BASE_FIND_H_

#include <string_view>

namespace inquest {

// The first occurrence of `needle` in `haystack`, or nullptr. An empty needle matches at the
// start.
const char* FindSubstring(std::string_view haystack, std::string_view needle);

}  // namespace inquest

#endif  // INQUEST_BASE_FIND_H_
