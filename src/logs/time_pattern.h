// Timestamps of layouts nobody registered: the shape of a written time (runs of digits, month
// and weekday names, separators, a fraction, a zone) or an epoch number is discovered in
// example lines, the order of its date parts is settled from the values across lines, and the
// resulting TimePattern reads further lines without allocating.
//
//   std::vector<TimeShape> shapes;                 // one per example line
//   for (auto line : lines) if (auto s = ScanTimeShape(line)) shapes.push_back(*s);
//   Result<TimePattern> p = ResolveTimePattern(shapes, ctx);
//   ParsedTime pt;
//   if (p->Parse(line, ctx, &pt)) Use(pt.time, pt.consumed);
#ifndef INQUEST_LOGS_TIME_PATTERN_H_
#define INQUEST_LOGS_TIME_PATTERN_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace inquest {

enum class TimePart : uint8_t {
  kLiteral,  // separator text; a literal space matches any run of spaces and tabs
  kDateNum,  // a date number whose role (year, month, day) is not settled yet
  kYear4,
  kYear2,
  kMonth,
  kMonthName,  // "Jun" or "June", any case
  kDay,
  kWeekday,  // "Sun" or "Sunday": read and ignored
  kHour,
  kMinute,
  kSecond,
  kFraction,  // 1-9 digits after '.' or ','; further digits are read and dropped
  kAmPm,      // optional, with any spaces before it
  kZone,      // optional, with any spaces before it: Z, +hh[:mm], UTC/GMT, a zone name
  kEpoch,     // a whole epoch number; `width` digits give the unit (10 s ... 19 ns)
};

struct TimeElement {
  TimePart part = TimePart::kLiteral;
  std::string literal;    // kLiteral only
  uint8_t min_width = 1;  // digits, for numeric parts
  uint8_t max_width = 2;
};

// What one line's timestamp looks like before the roles of its date numbers are known.
struct TimeShape {
  std::vector<TimeElement> elements;
  std::vector<int> date_values;    // the values of the kDateNum elements, in order
  std::vector<std::string> zones;  // zone words seen ("CET"), to resolve once
  size_t consumed = 0;
  // Elements with numbers as 'N' and separators as written: shapes with equal signatures are
  // the same layout.
  std::string signature;
};

// The written or epoch timestamp at the start of `s`, or nullopt. A written time needs a clock
// (H:MM[:SS] or compact HHMMSS after a compact date) and at least a day and month; an epoch is
// a 10/13/16/19-digit number (seconds may carry a fraction) between the years 2000 and 2100.
std::optional<TimeShape> ScanTimeShape(std::string_view s);

class TimePattern {
 public:
  // Reads the timestamp at the start of s. False (out untouched) when s does not fit.
  bool Parse(std::string_view s, const TimeContext& ctx, ParsedTime* out) const;

  const std::vector<TimeElement>& elements() const { return elements_; }
  bool is_epoch() const;
  bool has_year() const;
  // strftime-style text for people: "%Y-%m-%d %H:%M:%S.%f", "epoch-ms", "%b %e %H:%M:%S".
  std::string Describe() const;
  // An RE2 expression that matches exactly what Parse reads, and the time-format for a user
  // format (logs/user_format.h). Empty time-format when the user-format syntax cannot say it
  // (an AM/PM marker, a zone name other than UTC/GMT).
  std::string Regex() const;
  std::string UserTimeFormat() const;
  // Why the date order is a guess ("day and month both fit: read as M/D/Y"), or empty.
  const std::string& ambiguity() const { return ambiguity_; }
  // Zones only seen as written names, with the offset each resolved to.
  struct NamedZone {
    std::string name;
    TimeZone zone = TimeZone::Utc();
  };

 private:
  friend Result<TimePattern> ResolveTimePattern(std::span<const TimeShape>, const TimeContext&);
  // Reads an optional zone at s[*i] (after any spaces): a fixed *offset or a *named zone.
  bool ZoneAt(std::string_view s, size_t* i, const NamedZone** named, int64_t* offset) const;
  std::vector<TimeElement> elements_;
  std::vector<NamedZone> named_zones_;
  bool zone_always_ = false;    // every example carried a zone
  bool zone_utc_word_ = false;  // the zone was written "UTC" or "GMT"
  bool zone_named_ = false;     // a zone name other than UTC/GMT/Z was seen
  std::string ambiguity_;
};

// Settles the roles of the date numbers from the values of all `shapes` (which must share one
// signature): a number of 4 digits or above 31 is a year, one above 12 a day, and when several
// orders stay possible the one whose year and month change least across lines, then one with the
// year within a year of ctx.default_year, then Y-M-D, M-D-Y, D-M-Y, is taken and ambiguity() says
// so. InvalidArgument when no order fits.
Result<TimePattern> ResolveTimePattern(std::span<const TimeShape> shapes, const TimeContext& ctx);

// Month 1-12 from "Jan".."Dec" or "January".."December" (any case); 0 if neither.
int MonthFromName(std::string_view s);
// Whether s is a weekday name, abbreviated or full (any case).
bool IsWeekdayName(std::string_view s);

}  // namespace inquest

#endif  // INQUEST_LOGS_TIME_PATTERN_H_
