// UTC time points and the timestamp parsers every log reader uses (a measured hot path:
// bench/time_parse_benchmark.cc compares them with strptime + timegm).
//
// All parsers look at the *start* of the given text and report how many bytes the timestamp
// took, so a log parser can go on reading after it. None allocates.
//
//   TimeContext ctx;                 // zone-less times are UTC, syslog years unknown
//   ParsedTime pt;
//   if (ParseTimePrefix("2026-05-29T14:11:08.114Z INFO ...", ctx, &pt)) Use(pt.time);
#ifndef INQUEST_BASE_TIME_H_
#define INQUEST_BASE_TIME_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "base/status.h"

namespace inquest {

// Nanoseconds since the Unix epoch, UTC.
using TimePoint = int64_t;
inline constexpr TimePoint kNoTime = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerMilli = 1'000'000;
// The years a TimePoint can hold whole; parsers reject dates outside them.
inline constexpr int kMinYear = 1678;
inline constexpr int kMaxYear = 2261;

// Converts local wall-clock seconds of a named zone (or a fixed offset) to UTC. Built once
// from the --assume-tz flag; thread-safe after construction.
class TimeZone {
 public:
  // "UTC", "Z", "+02:00", "-0700", or an IANA name such as "Europe/Copenhagen" (read from the
  // system's zoneinfo through the C library).
  static Result<TimeZone> Parse(std::string_view spec);
  static TimeZone Utc() { return TimeZone(); }

  bool is_utc() const { return fixed_ && offset_s_ == 0; }
  const std::string& name() const { return name_; }
  // Seconds to subtract from a local wall-clock time (in seconds since the epoch, as if it were
  // UTC) to get the UTC time.
  int64_t OffsetForLocal(int64_t local_seconds) const;

 private:
  TimeZone() = default;
  std::string name_ = "UTC";
  bool fixed_ = true;
  int64_t offset_s_ = 0;
};

// What a parser may assume about times that do not say everything.
struct TimeContext {
  // Year for formats without one (syslog "Jun 14 15:16:01"); 0 means unknown, in which case the
  // parser uses 1970 and sets year_assumed so the caller can fix it up and say so.
  int default_year = 0;
  // Zone for times without an offset. Not owned; null means UTC.
  const TimeZone* zone = nullptr;
};

struct ParsedTime {
  TimePoint time = kNoTime;
  uint32_t consumed = 0;      // bytes of the input that formed the timestamp
  bool zone_assumed = false;  // the text had no zone: TimeContext::zone (or UTC) was applied
  bool year_assumed = false;  // the text had no year: TimeContext::default_year was applied
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// Each returns false, leaving *out untouched, when the text does not start with its format.
// RFC 3339 / ISO 8601: "2026-05-29T14:11:08.114Z", "2026-05-29 14:11:08,114 +02:00", 0-9
// fractional digits after '.' or ',', offsets "Z", "+hh:mm", "+hhmm", "+hh", " UTC".
bool ParseIso8601(std::string_view s, const TimeContext& ctx, ParsedTime* out);
// Epoch numbers: 10 digits seconds, 13 ms, 16 µs, 19 ns; optional fraction for seconds
// ("1716991868.114"). Only all-digit (plus one '.') text of those lengths is accepted.
bool ParseEpoch(std::string_view s, ParsedTime* out);
// Apache/nginx: "10/Oct/2000:13:55:36 -0700" (the brackets are the caller's business).
bool ParseClf(std::string_view s, const TimeContext& ctx, ParsedTime* out);
// BSD syslog: "Jun 14 15:16:01" or "Jun  4 15:16:01", optionally with ".123456" fraction.
bool ParseSyslogTime(std::string_view s, const TimeContext& ctx, ParsedTime* out);
// ctime / Apache error log: "Sun Dec 04 04:47:44 2005".
bool ParseCtime(std::string_view s, const TimeContext& ctx, ParsedTime* out);
// HDFS: "081109 203615" (yyMMdd HHmmss).
bool ParseCompactYyMmDd(std::string_view s, const TimeContext& ctx, ParsedTime* out);
// Spark / log4j short: "17/06/09 20:10:40" (yy/MM/dd HH:mm:ss).
bool ParseSlashYyMmDd(std::string_view s, const TimeContext& ctx, ParsedTime* out);

// Tries every format above, most specific first, at the start of s.
bool ParseTimePrefix(std::string_view s, const TimeContext& ctx, ParsedTime* out);

// Parses a whole field value (JSON "ts": "..." or 1716991868114) as any supported format.
bool ParseTimeValue(std::string_view s, const TimeContext& ctx, ParsedTime* out);

// "2026-05-29T14:11:08.114000000Z" with `frac_digits` (0-9) fractional digits.
std::string FormatTime(TimePoint t, int frac_digits = 9);
// "14:11:08.114" (for aligned terminal output).
std::string FormatClock(TimePoint t, int frac_digits = 3);

// For --since/--until: RFC 3339 with or without zone (UTC assumed), a date, or an epoch number.
Result<TimePoint> ParseUserTime(std::string_view s, const TimeContext& ctx = {});
// "250ms", "30s", "1m", "5m", "1h", "1d"; a bare number is seconds.
Result<int64_t> ParseDuration(std::string_view s);
// "4019 ms", "1.5 s", "2m3s"-free forms for messages: "4019ms" -> 4019000000. Compact form.
std::string FormatDuration(int64_t nanos);

// Month from a three-letter English abbreviation ("Jan".."Dec", any case); 0 if none.
int MonthFromAbbrev(std::string_view s);
// Civil year of a time point (used to infer syslog years from file times).
int YearOf(TimePoint t);

}  // namespace inquest

#endif  // INQUEST_BASE_TIME_H_
