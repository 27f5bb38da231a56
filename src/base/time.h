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
#include <memory>
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

// |a - b| in nanoseconds for any two times (a difference of two TimePoints can pass int64's
// range: 1699 and 2026 are 327 years apart, int64 nanoseconds hold 292).
inline constexpr uint64_t TimeDistance(TimePoint a, TimePoint b) {
  return a > b ? static_cast<uint64_t>(a) - static_cast<uint64_t>(b)
               : static_cast<uint64_t>(b) - static_cast<uint64_t>(a);
}

// How a local wall-clock time maps to UTC in a zone: once, never (it falls in the gap when the
// clocks go forward), or twice (in the fold when they go back).
enum class LocalTimeKind : uint8_t { kUnique, kSkipped, kRepeated };

// What a zone says about one local wall-clock time.
struct LocalResolution {
  // Seconds to subtract from the local time to get UTC. For a skipped or repeated time this is
  // the offset in force *before* the change (the documented rule: a time in the gap is read as
  // if the clocks had not moved yet; a time in the fold is read as its first occurrence).
  int64_t offset_s = 0;
  LocalTimeKind kind = LocalTimeKind::kUnique;
  int64_t other_offset_s = 0;  // for a skipped or repeated time: the offset after the change
};

// Converts local wall-clock seconds of a named zone (or a fixed offset) to UTC. The rules of
// named zones come from the system's tz database through abseil's time zone library; copies
// share them. Thread-safe: const methods may run on any number of threads at once.
class TimeZone {
 public:
  // "UTC", "Z", a numeric offset in any written form ("+02:00", "-0700", "+05", "UTC+1",
  // "GMT-03:30"), an IANA name ("Europe/Copenhagen"), or a name from the built-in zone table
  // (base/zone_table.h: an abbreviation such as "CEST" or a Windows name such as
  // "W. Europe Standard Time"). An ambiguous abbreviation takes its documented default and
  // note() says so. Unknown names are InvalidArgument.
  static Result<TimeZone> Parse(std::string_view spec);
  // An IANA zone from the tz database; InvalidArgument when the database has no such zone.
  static Result<TimeZone> LoadNamed(std::string_view iana_name);
  static TimeZone Utc() { return TimeZone(); }
  // A fixed offset east of UTC, named `name` (empty: "UTC+hh:mm").
  static TimeZone Fixed(int64_t offset_s, std::string name = {});

  bool is_utc() const { return rules_ == nullptr && offset_s_ == 0; }
  bool is_fixed() const { return rules_ == nullptr; }
  const std::string& name() const { return name_; }
  // Set by Parse when the spec was ambiguous ("IST: India Standard Time, the default; also
  // ..."); empty otherwise.
  const std::string& note() const { return note_; }
  void set_note(std::string note) { note_ = std::move(note); }

  // Seconds to subtract from a local wall-clock time (in seconds since the epoch, as if it were
  // UTC) to get the UTC time. The hot path of zone-assumed parsing: memoised per thread over
  // the span between two transitions.
  int64_t OffsetForLocal(int64_t local_seconds) const;
  // The same with whether the local time was skipped or repeated.
  LocalResolution ResolveLocal(int64_t local_seconds) const;
  // The offset in force at a UTC instant (seconds since the epoch).
  int64_t OffsetAtUtc(int64_t utc_seconds) const;

  struct Rules;  // the tz database's rules of one named zone (time.cc)

 private:
  TimeZone() = default;
  std::string name_ = "UTC";
  std::string note_;
  int64_t offset_s_ = 0;                // fixed zones
  std::shared_ptr<const Rules> rules_;  // named zones; null for fixed ones
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
  // For a zone-assumed time: whether the zone skipped or repeated that wall-clock time.
  LocalTimeKind local_kind = LocalTimeKind::kUnique;
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

// A whole text that is a numeric UTC offset in any written form: "Z", "UTC", "GMT", "+01:00",
// "+0100", "+01", "UTC+1", "GMT+01:00", "UTC-05:30". Seconds east of UTC in *offset_s.
bool ParseUtcOffset(std::string_view s, int64_t* offset_s);
// "UTC", "UTC+05:30", "UTC-04:00".
std::string FormatUtcOffset(int64_t offset_s);

// Month from a three-letter English abbreviation ("Jan".."Dec", any case); 0 if none.
int MonthFromAbbrev(std::string_view s);
// Civil year of a time point (used to infer syslog years from file times).
int YearOf(TimePoint t);

}  // namespace inquest

#endif  // INQUEST_BASE_TIME_H_
