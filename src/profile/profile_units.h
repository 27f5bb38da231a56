// Values of a profile in the units people read, the way `go tool pprof` prints them, so that
// inquest's tables can be set beside pprof's line by line: bytes scaled by 1024 (B, kB, MB, GB,
// TB, PB), time from ns to hrs, Google Compute Units; two decimals with ".00" dropped; shares as
// "%5.2f%%" (or two significant digits below 1%).
//
//   ScaledLabel(1572864, "bytes", "auto") == "1.50MB"
//   Percentage(1, 3) == "33.33%"
#ifndef INQUEST_PROFILE_PROFILE_UNITS_H_
#define INQUEST_PROFILE_PROFILE_UNITS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace inquest::profile {

// `value` in `from_unit` expressed in `to_unit`; "auto" and "minimum" pick the largest unit the
// value reaches. A unit inquest does not know stays as it is ("count" and friends print bare).
std::pair<double, std::string> ScaleValue(int64_t value, std::string_view from_unit,
                                          std::string_view to_unit);
std::string ScaledLabel(int64_t value, std::string_view from_unit, std::string_view to_unit);
std::string Percentage(int64_t value, int64_t total);

// The one unit a table is printed in: that of its smallest non-zero value, or a larger one when
// the total is more than a hundred times that value (pprof's "minimum" output unit); the sample
// unit itself when it is not one of the kinds above.
std::string TableUnit(int64_t min_value, int64_t total, std::string_view sample_unit);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_UNITS_H_
