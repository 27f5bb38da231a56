#include "base/time.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <limits>

namespace inquest {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned>(c - '0') < 10; }

// Reads exactly n digits at s[pos..]; false if any is not a digit.
inline bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

inline bool ValidClock(int h, int mi, int sec) { return h < 24 && mi < 60 && sec <= 60; }
inline bool ValidDate(int mo, int d) { return mo >= 1 && mo <= 12 && d >= 1 && d <= 31; }
// A TimePoint (int64 nanoseconds since 1970) spans 1677-09-21 to 2262-04-11; whole years inside
// that, with a day of margin for zone offsets, are the times we can represent.
inline bool ValidYear(int64_t y) { return y >= kMinYear && y <= kMaxYear; }

// Seconds since the epoch of a civil time taken as UTC.
inline int64_t CivilSeconds(int64_t y, int mo, int d, int h, int mi, int sec) {
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

// Applies the context's zone to a zone-less local time; says in *pt whether the zone skipped or
// repeated it.
inline TimePoint LocalToUtc(int64_t local_s, int64_t frac_ns, const TimeContext& ctx,
                            ParsedTime* pt) {
  if (ctx.zone == nullptr || ctx.zone->is_fixed()) {
    int64_t off = ctx.zone ? ctx.zone->OffsetForLocal(local_s) : 0;
    return (local_s - off) * kNanosPerSecond + frac_ns;
  }
  LocalResolution r = ctx.zone->ResolveLocal(local_s);
  pt->local_kind = r.kind;
  return (local_s - r.offset_s) * kNanosPerSecond + frac_ns;
}

// Parses ".ddddddddd" or ",ddd" at s[pos]; returns the number of bytes used (0 if none).
inline size_t Fraction(std::string_view s, size_t pos, int64_t* ns) {
  *ns = 0;
  if (pos >= s.size() || (s[pos] != '.' && s[pos] != ',')) return 0;
  size_t i = pos + 1;
  int64_t v = 0;
  int n = 0;
  while (i < s.size() && IsDigit(s[i])) {
    if (n < 9) {
      v = v * 10 + (s[i] - '0');
      ++n;
    }
    ++i;
  }
  if (i == pos + 1) return 0;  // a lone '.' is not a fraction
  static constexpr int64_t kScale[10] = {1000000000, 100000000, 10000000, 1000000, 100000,
                                         10000,      1000,      100,      10,      1};
  *ns = v * kScale[n];
  return i - pos;
}

// Parses a signed offset at s[p]: "+hh:mm", "+hhmm", "+hh", and when `one_digit_hour` (after
// "UTC"/"GMT") also "+h", "+h:mm". Returns bytes used, 0 when there is none.
size_t SignedOffset(std::string_view s, size_t p, bool one_digit_hour, int64_t* offset_s) {
  if (p >= s.size() || (s[p] != '+' && s[p] != '-')) return 0;
  int hh, mm = 0;
  size_t q = p + 1;
  if (Digits(s, q, 2, &hh)) {
    q += 2;
  } else if (one_digit_hour && Digits(s, q, 1, &hh)) {
    q += 1;
  } else {
    return 0;
  }
  if (hh > 23) return 0;
  if (q < s.size() && s[q] == ':') {
    if (!Digits(s, q + 1, 2, &mm)) return 0;
    q += 3;
  } else if (q == p + 3 && Digits(s, q, 2, &mm)) {
    q += 2;
  }
  if (mm > 59) return 0;
  if (q < s.size() && IsDigit(s[q])) return 0;  // "+123456" is not a zone
  int64_t off = hh * 3600 + mm * 60;
  *offset_s = s[p] == '-' ? -off : off;
  return q - p;
}

// Parses a zone designator at s[pos]: "Z", "+hh:mm", "+hhmm", "+hh", "UTC", "GMT", "UTC+1",
// "GMT+01:00", each optionally after one space. Returns bytes used, or 0 when there is none
// (then *offset_s is untouched).
size_t ZoneSuffix(std::string_view s, size_t pos, int64_t* offset_s) {
  if (pos >= s.size()) return 0;
  char c = s[pos];
  if (c == 'Z' || c == 'z') {
    *offset_s = 0;
    return 1;
  }
  size_t p = c == ' ' ? pos + 1 : pos;
  if (p >= s.size()) return 0;
  std::string_view rest = s.substr(p);
  if (rest.starts_with("UTC") || rest.starts_with("GMT")) {
    size_t q = p + 3;
    int64_t off = 0;
    if (size_t n = SignedOffset(s, q, /*one_digit_hour=*/true, &off); n > 0) {
      *offset_s = off;
      return q + n - pos;
    }
    // Only when the word ends there ("UTC" not "UTCfoo").
    if (q < s.size() && isalpha(static_cast<unsigned char>(s[q]))) return 0;
    *offset_s = 0;
    return q - pos;
  }
  int64_t off = 0;
  size_t n = SignedOffset(s, p, /*one_digit_hour=*/false, &off);
  if (n == 0) return 0;
  *offset_s = off;
  return p + n - pos;
}

// Sets pt->time from local wall-clock seconds and a fraction: with the zone suffix at s[pos]
// when there is one, else with ctx's zone (pt->zone_assumed set). Returns the suffix's length.
size_t ApplyZone(std::string_view s, size_t pos, int64_t local_s, int64_t frac_ns,
                 const TimeContext& ctx, ParsedTime* pt) {
  int64_t offset = 0;
  size_t zlen = ZoneSuffix(s, pos, &offset);
  if (zlen > 0) {
    pt->time = (local_s - offset) * kNanosPerSecond + frac_ns;
  } else {
    pt->time = LocalToUtc(local_s, frac_ns, ctx, pt);
    pt->zone_assumed = true;
  }
  return zlen;
}

// Ends a timestamp: the next byte must not continue a word or number.
inline bool AtBoundary(std::string_view s, size_t pos) {
  if (pos >= s.size()) return true;
  unsigned char c = s[pos];
  return !isalnum(c);
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int MonthFromAbbrev(std::string_view s) {
  if (s.size() < 3) return 0;
  // Packs three lower-cased letters into an int for a branch-light compare.
  auto lower = [](char c) { return static_cast<unsigned>(c | 0x20); };
  unsigned key = lower(s[0]) << 16 | lower(s[1]) << 8 | lower(s[2]);
  static constexpr struct {
    unsigned key;
    int month;
  } kMonths[] = {{'j' << 16 | 'a' << 8 | 'n', 1},  {'f' << 16 | 'e' << 8 | 'b', 2},
                 {'m' << 16 | 'a' << 8 | 'r', 3},  {'a' << 16 | 'p' << 8 | 'r', 4},
                 {'m' << 16 | 'a' << 8 | 'y', 5},  {'j' << 16 | 'u' << 8 | 'n', 6},
                 {'j' << 16 | 'u' << 8 | 'l', 7},  {'a' << 16 | 'u' << 8 | 'g', 8},
                 {'s' << 16 | 'e' << 8 | 'p', 9},  {'o' << 16 | 'c' << 8 | 't', 10},
                 {'n' << 16 | 'o' << 8 | 'v', 11}, {'d' << 16 | 'e' << 8 | 'c', 12}};
  for (const auto& m : kMonths)
    if (m.key == key) return m.month;
  return 0;
}

int YearOf(TimePoint t) {
  time_t secs = static_cast<time_t>(t / kNanosPerSecond);
  struct tm tm;
  gmtime_r(&secs, &tm);
  return tm.tm_year + 1900;
}

bool ParseIso8601(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  // yyyy-MM-dd[T ]HH:mm[:ss][.fff][zone]
  int y, mo, d, h, mi, sec = 0;
  if (s.size() < 16 || s[4] != '-' || s[7] != '-') return false;
  if (!Digits(s, 0, 4, &y) || !Digits(s, 5, 2, &mo) || !Digits(s, 8, 2, &d)) return false;
  if (s[10] != 'T' && s[10] != ' ' && s[10] != 't') return false;
  if (!Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi)) return false;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &sec)) return false;
    pos += 3;
  }
  if (!ValidYear(y) || !ValidDate(mo, d) || !ValidClock(h, mi, sec)) return false;
  int64_t frac = 0;
  pos += Fraction(s, pos, &frac);
  ParsedTime pt;
  pos += ApplyZone(s, pos, CivilSeconds(y, mo, d, h, mi, sec), frac, ctx, &pt);
  if (!AtBoundary(s, pos)) return false;
  pt.consumed = static_cast<uint32_t>(pos);
  *out = pt;
  return true;
}

bool ParseEpoch(std::string_view s, ParsedTime* out) {
  size_t n = 0;
  uint64_t v = 0;  // 19 digits fit in uint64 (max 9999999999999999999 < 2^64)
  while (n < s.size() && n < 19 && IsDigit(s[n])) v = v * 10 + (s[n++] - '0');
  if (n < s.size() && IsDigit(s[n])) return false;  // more than 19 digits
  // Every unit must land inside int64 nanoseconds (up to the year 2262).
  static constexpr uint64_t kMaxNanos = static_cast<uint64_t>(INT64_MAX);
  uint64_t t;
  size_t pos = n;
  switch (n) {
    case 10: {
      int64_t frac = 0;
      pos += Fraction(s, pos, &frac);
      if (pos > n && s[n] == ',') return false;  // "1716991868,5" is not an epoch
      if (v > (kMaxNanos - frac) / kNanosPerSecond) return false;
      t = v * kNanosPerSecond + frac;
      break;
    }
    case 13:
      if (v > kMaxNanos / kNanosPerMilli) return false;
      t = v * kNanosPerMilli;
      break;
    case 16:
      if (v > kMaxNanos / 1000) return false;
      t = v * 1000;
      break;
    case 19:
      if (v > kMaxNanos) return false;
      t = v;
      break;
    default:
      return false;
  }
  if (!AtBoundary(s, pos) || (pos < s.size() && s[pos] == '.')) return false;
  out->time = static_cast<TimePoint>(t);
  out->consumed = static_cast<uint32_t>(pos);
  out->zone_assumed = false;
  out->year_assumed = false;
  return true;
}

bool ParseClf(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  // dd/Mmm/yyyy:HH:mm:ss[.fff] [+-]hhmm
  int d, y, h, mi, sec;
  if (s.size() < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':') return false;
  if (!Digits(s, 0, 2, &d)) return false;
  int mo = MonthFromAbbrev(s.substr(3, 3));
  if (mo == 0 || !Digits(s, 7, 4, &y) || !Digits(s, 12, 2, &h) || s[14] != ':' ||
      !Digits(s, 15, 2, &mi) || s[17] != ':' || !Digits(s, 18, 2, &sec))
    return false;
  if (!ValidYear(y) || !ValidDate(mo, d) || !ValidClock(h, mi, sec)) return false;
  size_t pos = 20;
  int64_t frac = 0;
  pos += Fraction(s, pos, &frac);
  ParsedTime pt;
  pos += ApplyZone(s, pos, CivilSeconds(y, mo, d, h, mi, sec), frac, ctx, &pt);
  pt.consumed = static_cast<uint32_t>(pos);
  *out = pt;
  return true;
}

bool ParseSyslogTime(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  // Mmm dd HH:MM:SS, day space-padded or zero-padded.
  if (s.size() < 15 || s[3] != ' ') return false;
  int mo = MonthFromAbbrev(s);
  if (mo == 0) return false;
  int d;
  if (s[4] == ' ') {
    if (!Digits(s, 5, 1, &d)) return false;
  } else if (!Digits(s, 4, 2, &d)) {
    return false;
  }
  int h, mi, sec;
  if (s[6] != ' ' || !Digits(s, 7, 2, &h) || s[9] != ':' || !Digits(s, 10, 2, &mi) ||
      s[12] != ':' || !Digits(s, 13, 2, &sec))
    return false;
  if (!ValidDate(mo, d) || !ValidClock(h, mi, sec)) return false;
  size_t pos = 15;
  int64_t frac = 0;
  pos += Fraction(s, pos, &frac);
  if (!AtBoundary(s, pos)) return false;
  int year = ctx.default_year > 0 && ValidYear(ctx.default_year) ? ctx.default_year : 1970;
  ParsedTime pt;
  pt.time = LocalToUtc(CivilSeconds(year, mo, d, h, mi, sec), frac, ctx, &pt);
  pt.zone_assumed = true;
  pt.year_assumed = true;
  pt.consumed = static_cast<uint32_t>(pos);
  *out = pt;
  return true;
}

bool ParseCtime(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  // Www Mmm dd HH:MM:SS[.ffffff] yyyy
  if (s.size() < 24 || s[3] != ' ' || s[7] != ' ') return false;
  int mo = MonthFromAbbrev(s.substr(4, 3));
  if (mo == 0) return false;
  int d, h, mi, sec, y;
  if (s[8] == ' ') {
    if (!Digits(s, 9, 1, &d)) return false;
  } else if (!Digits(s, 8, 2, &d)) {
    return false;
  }
  if (s[10] != ' ' || !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) ||
      s[16] != ':' || !Digits(s, 17, 2, &sec))
    return false;
  size_t pos = 19;
  int64_t frac = 0;
  pos += Fraction(s, pos, &frac);
  if (pos + 5 > s.size() || s[pos] != ' ' || !Digits(s, pos + 1, 4, &y)) return false;
  pos += 5;
  if (!ValidYear(y) || !ValidDate(mo, d) || !ValidClock(h, mi, sec) || !AtBoundary(s, pos))
    return false;
  ParsedTime pt;
  pt.time = LocalToUtc(CivilSeconds(y, mo, d, h, mi, sec), frac, ctx, &pt);
  pt.zone_assumed = true;
  pt.consumed = static_cast<uint32_t>(pos);
  *out = pt;
  return true;
}

bool ParseCompactYyMmDd(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 13 || s[6] != ' ') return false;
  if (!Digits(s, 0, 2, &y) || !Digits(s, 2, 2, &mo) || !Digits(s, 4, 2, &d) ||
      !Digits(s, 7, 2, &h) || !Digits(s, 9, 2, &mi) || !Digits(s, 11, 2, &sec))
    return false;
  if (!ValidDate(mo, d) || !ValidClock(h, mi, sec) || !AtBoundary(s, 13)) return false;
  ParsedTime pt;
  pt.time = LocalToUtc(CivilSeconds(2000 + y, mo, d, h, mi, sec), 0, ctx, &pt);
  pt.zone_assumed = true;
  pt.consumed = 13;
  *out = pt;
  return true;
}

bool ParseSlashYyMmDd(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 17 || s[2] != '/' || s[5] != '/' || s[8] != ' ' || s[11] != ':' || s[14] != ':')
    return false;
  if (!Digits(s, 0, 2, &y) || !Digits(s, 3, 2, &mo) || !Digits(s, 6, 2, &d) ||
      !Digits(s, 9, 2, &h) || !Digits(s, 12, 2, &mi) || !Digits(s, 15, 2, &sec))
    return false;
  if (!ValidDate(mo, d) || !ValidClock(h, mi, sec)) return false;
  size_t pos = 17;
  int64_t frac = 0;
  pos += Fraction(s, pos, &frac);
  if (!AtBoundary(s, pos)) return false;
  ParsedTime pt;
  pt.time = LocalToUtc(CivilSeconds(2000 + y, mo, d, h, mi, sec), frac, ctx, &pt);
  pt.zone_assumed = true;
  pt.consumed = static_cast<uint32_t>(pos);
  *out = pt;
  return true;
}

bool ParseTimePrefix(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  if (s.empty()) return false;
  char c = s[0];
  if (IsDigit(c)) {
    return ParseIso8601(s, ctx, out) || ParseSlashYyMmDd(s, ctx, out) ||
           ParseCompactYyMmDd(s, ctx, out) || ParseClf(s, ctx, out) || ParseEpoch(s, out);
  }
  if (c == '[' && s.size() > 1) {
    // "[10/Oct/2000:13:55:36 -0700]", "[Sun Dec 04 04:47:44 2005]", "[2026-05-29 ...]"
    std::string_view inner = s.substr(1);
    ParsedTime pt;
    if (ParseClf(inner, ctx, &pt) || ParseCtime(inner, ctx, &pt) || ParseIso8601(inner, ctx, &pt)) {
      size_t end = 1 + pt.consumed;
      if (end < s.size() && s[end] == ']') {
        pt.consumed = static_cast<uint32_t>(end + 1);
        *out = pt;
        return true;
      }
    }
    return false;
  }
  return ParseCtime(s, ctx, out) || ParseSyslogTime(s, ctx, out);
}

bool ParseTimeValue(std::string_view s, const TimeContext& ctx, ParsedTime* out) {
  ParsedTime pt;
  if (!ParseTimePrefix(s, ctx, &pt)) return false;
  if (pt.consumed != s.size()) return false;
  *out = pt;
  return true;
}

std::string FormatTime(TimePoint t, int frac_digits) {
  if (t == kNoTime) return "-";
  int64_t secs = t / kNanosPerSecond;
  int64_t ns = t % kNanosPerSecond;
  if (ns < 0) {
    ns += kNanosPerSecond;
    --secs;
  }
  time_t tt = static_cast<time_t>(secs);
  struct tm tm;
  gmtime_r(&tt, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (frac_digits > 0) {
    std::string f = fmt::format("{:09}", ns);
    out += '.';
    out.append(f, 0, std::min(frac_digits, 9));
  }
  out += 'Z';
  return out;
}

std::string FormatClock(TimePoint t, int frac_digits) {
  std::string full = FormatTime(t, frac_digits);
  if (full.size() < 12) return full;
  return full.substr(11, full.size() - 12);  // drop the date and the 'Z'
}

Result<TimePoint> ParseUserTime(std::string_view s, const TimeContext& ctx) {
  ParsedTime pt;
  if (ParseTimeValue(s, ctx, &pt)) return pt.time;
  // A bare date: midnight.
  int y, mo, d;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, &y) && Digits(s, 5, 2, &mo) &&
      Digits(s, 8, 2, &d) && ValidYear(y) && ValidDate(mo, d))
    return LocalToUtc(CivilSeconds(y, mo, d, 0, 0, 0), 0, ctx, &pt);
  return Status::InvalidArgument(
      fmt::format("cannot read '{}' as a time (try 2026-05-29T14:11:00Z)", s));
}

Result<int64_t> ParseDuration(std::string_view s) {
  if (s.empty()) return Status::InvalidArgument("empty duration");
  size_t i = 0;
  double v = 0;
  bool digits = false;
  while (i < s.size() && IsDigit(s[i])) {
    v = v * 10 + (s[i++] - '0');
    digits = true;
  }
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && IsDigit(s[i]); ++i, scale /= 10) {
      v += (s[i] - '0') * scale;
      digits = true;
    }
  }
  if (!digits) return Status::InvalidArgument(fmt::format("cannot read '{}' as a duration", s));
  std::string_view unit = s.substr(i);
  double mult;
  if (unit.empty() || unit == "s") {
    mult = 1e9;
  } else if (unit == "ms") {
    mult = 1e6;
  } else if (unit == "us" || unit == "µs") {
    mult = 1e3;
  } else if (unit == "ns") {
    mult = 1;
  } else if (unit == "m" || unit == "min") {
    mult = 60e9;
  } else if (unit == "h") {
    mult = 3600e9;
  } else if (unit == "d") {
    mult = 86400e9;
  } else {
    return Status::InvalidArgument(
        fmt::format("unknown unit in duration '{}' (use ms, s, m, h or d)", s));
  }
  int64_t ns = static_cast<int64_t>(v * mult);
  if (ns <= 0) return Status::InvalidArgument(fmt::format("duration '{}' must be positive", s));
  return ns;
}

std::string FormatDuration(int64_t nanos) {
  bool neg = nanos < 0;
  uint64_t n = neg ? -static_cast<uint64_t>(nanos) : nanos;
  std::string out;
  if (n < 1000) {
    out = fmt::format("{}ns", n);
  } else if (n < 1000000) {
    out = fmt::format("{:.1f}µs", n / 1e3);
  } else if (n < 10'000'000'000ULL) {
    out = fmt::format("{}ms", n / 1000000);
  } else if (n < 60'000'000'000ULL) {
    out = fmt::format("{:.1f}s", n / 1e9);
  } else if (n < 36'000'000'000'000ULL) {
    out = fmt::format("{}m{:02}s", n / 60'000'000'000ULL, (n / 1'000'000'000ULL) % 60);
  } else {
    out = fmt::format("{}h{:02}m", n / 3'600'000'000'000ULL, (n / 60'000'000'000ULL) % 60);
  }
  return neg ? "-" + out : out;
}

bool ParseUtcOffset(std::string_view s, int64_t* offset_s) {
  if (s.empty() || s[0] == ' ') return false;
  int64_t off = 0;
  if (ZoneSuffix(s, 0, &off) != s.size()) return false;
  *offset_s = off;
  return true;
}

std::string FormatUtcOffset(int64_t offset_s) {
  if (offset_s == 0) return "UTC";
  int64_t a = offset_s < 0 ? -offset_s : offset_s;
  std::string out =
      fmt::format("UTC{}{:02}:{:02}", offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  if (a % 60 != 0) out += fmt::format(":{:02}", a % 60);
  return out;
}

struct TimeZone::Rules {
  absl::TimeZone zone;
  uint64_t id;  // tells the per-thread memo which zone it holds
};

namespace {

// Seconds since the epoch of a civil second taken as UTC (the "local seconds" of this file).
int64_t LocalSecondsOf(const absl::CivilSecond& cs) {
  return CivilSeconds(cs.year(), cs.month(), cs.day(), cs.hour(), cs.minute(), cs.second());
}

absl::CivilSecond CivilOf(int64_t local_seconds) {
  return absl::CivilSecond(1970, 1, 1, 0, 0, 0) + local_seconds;
}

// The last span of local times known to have one offset in one zone, per thread: log lines
// arrive in time order, so nearly every lookup hits it and takes no lock and no search.
struct LocalSpanMemo {
  uint64_t zone_id = 0;
  int64_t from = 0, to = 0;  // [from, to) in local seconds
  int64_t offset_s = 0;
};
thread_local LocalSpanMemo tls_memo;

// The longest IANA zone name is 32 bytes ("America/Argentina/ComodRivadavia"); anything much
// longer is not one.
constexpr size_t kMaxZoneNameBytes = 64;

// Whether `name` is a plausible IANA name with a file in the tz database ($TZDIR, else
// /usr/share/zoneinfo, where the library looks too).
bool IsTzDatabaseFile(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameBytes || name[0] == '/' ||
      name.find("..") != std::string_view::npos)
    return false;
  for (char c : name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+')
      return false;
  }
  const char* dir = getenv("TZDIR");
  std::string path =
      std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

TimeZone TimeZone::Fixed(int64_t offset_s, std::string name) {
  TimeZone tz;
  tz.offset_s_ = offset_s;
  tz.name_ = name.empty() ? FormatUtcOffset(offset_s) : std::move(name);
  return tz;
}

Result<TimeZone> TimeZone::LoadNamed(std::string_view iana_name) {
  static std::atomic<uint64_t> next_id{1};
  absl::TimeZone z;
  // Only names of files in the tz database reach the library: it remembers every name it is
  // asked for, so text from evidence must not grow that memory, and ".." or an absolute path
  // must not read any other file.
  if (!IsTzDatabaseFile(iana_name) || !absl::LoadTimeZone(std::string(iana_name), &z)) {
    return Status::InvalidArgument(
        fmt::format("unknown time zone '{}' (use UTC, an offset like +02:00, a name like "
                    "Europe/Paris, an abbreviation like CEST or a Windows name like "
                    "\"W. Europe Standard Time\")",
                    iana_name));
  }
  TimeZone tz;
  tz.name_ = std::string(iana_name);
  if (tz.name_ == "UTC" || tz.name_ == "Etc/UTC") return tz;
  tz.rules_ = std::make_shared<const Rules>(Rules{z, next_id.fetch_add(1)});
  return tz;
}

LocalResolution TimeZone::ResolveLocal(int64_t local_seconds) const {
  LocalResolution r;
  if (rules_ == nullptr) {
    r.offset_s = offset_s_;
    return r;
  }
  LocalSpanMemo& m = tls_memo;
  if (m.zone_id == rules_->id && local_seconds >= m.from && local_seconds < m.to) {
    r.offset_s = m.offset_s;
    return r;
  }
  const absl::TimeZone& z = rules_->zone;
  absl::TimeZone::TimeInfo info = z.At(CivilOf(local_seconds));
  int64_t pre = absl::ToUnixSeconds(info.pre);
  r.offset_s = local_seconds - pre;
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED ||
      info.kind == absl::TimeZone::TimeInfo::REPEATED) {
    r.kind = info.kind == absl::TimeZone::TimeInfo::SKIPPED ? LocalTimeKind::kSkipped
                                                            : LocalTimeKind::kRepeated;
    r.other_offset_s = local_seconds - absl::ToUnixSeconds(info.post);
    return r;
  }
  // Remember the span of local times between the transitions around this one: every local time
  // in it has this offset and no other.
  absl::TimeZone::CivilTransition tr;
  int64_t from = std::numeric_limits<int64_t>::min(), to = std::numeric_limits<int64_t>::max();
  if (z.PrevTransition(info.pre + absl::Seconds(1), &tr))
    from = std::max(LocalSecondsOf(tr.from), LocalSecondsOf(tr.to));
  if (z.NextTransition(info.pre, &tr))
    to = std::min(LocalSecondsOf(tr.from), LocalSecondsOf(tr.to));
  if (from <= local_seconds && local_seconds < to) m = {rules_->id, from, to, r.offset_s};
  return r;
}

int64_t TimeZone::OffsetForLocal(int64_t local_seconds) const {
  if (rules_ == nullptr) return offset_s_;
  return ResolveLocal(local_seconds).offset_s;
}

int64_t TimeZone::OffsetAtUtc(int64_t utc_seconds) const {
  if (rules_ == nullptr) return offset_s_;
  return rules_->zone.At(absl::FromUnixSeconds(utc_seconds)).offset;
}

}  // namespace inquest
