// Arithmetic on profile values, defined for every int64 a profile may hold.
//
// pprof is written in Go, whose int64 arithmetic wraps around and whose float-to-int conversion
// gives the minimum int64 for a value out of range (on amd64): tables that must equal pprof's use
// the same (Wrap*, GoInt64). Sums that only need to stay meaningful (a flame graph's widths)
// saturate instead (SaturatingAdd). In C++ a signed overflow is undefined, so no profile value is
// added, negated or made absolute with the built-in operators.
#ifndef INQUEST_PROFILE_PROFILE_MATH_H_
#define INQUEST_PROFILE_PROFILE_MATH_H_

#include <cmath>
#include <cstdint>
#include <limits>

namespace inquest::profile {

inline int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int64_t WrapNeg(int64_t a) { return static_cast<int64_t>(0 - static_cast<uint64_t>(a)); }
// Go's abs64 in pprof: |a|, and the minimum int64 for itself.
inline int64_t WrapAbs(int64_t a) { return a < 0 ? WrapNeg(a) : a; }

// Go's int64(f) on amd64: the minimum int64 when f is NaN or out of range.
inline int64_t GoInt64(double f) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(f);
}

inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_MATH_H_
