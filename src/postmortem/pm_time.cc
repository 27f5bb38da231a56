#include "postmortem/pm_time.h"

#include <re2/re2.h>

#include <array>
#include <cctype>

#include "base/strings.h"

namespace inquest {
namespace {

struct ZoneOffset {
  std::string_view name;
  int hours;
};

// Zone abbreviations seen in post-mortems, with their offsets. Abbreviations are ambiguous in
// general (IST); only the common unambiguous ones are read, anything else is "unknown zone".
constexpr std::array<ZoneOffset, 14> kZones{{{"UTC", 0},
                                             {"GMT", 0},
                                             {"Z", 0},
                                             {"BST", 1},
                                             {"CET", 1},
                                             {"CEST", 2},
                                             {"EET", 2},
                                             {"EEST", 3},
                                             {"EST", -5},
                                             {"EDT", -4},
                                             {"CST", -6},
                                             {"CDT", -5},
                                             {"PST", -8},
                                             {"PDT", -7}}};

int MonthFromName(re2::StringPiece piece) {
  std::string_view s(piece.data(), piece.size());
  static constexpr std::array<std::string_view, 12> kMonths{
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string lower = ToLower(s);
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (lower.size() >= 3 && kMonths[i].substr(0, lower.size()) == lower) return int(i) + 1;
  return 0;
}

int ToInt(re2::StringPiece s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

bool PmZoneOffset(std::string_view zone, int* offset_seconds) {
  for (const ZoneOffset& z : kZones) {
    if (EqualsIgnoreCase(zone, z.name)) {
      *offset_seconds = z.hours * 3600;
      return true;
    }
  }
  static const RE2 kOffset(R"((?i)(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?)");
  re2::StringPiece sign, hh, mm;
  if (RE2::FullMatch(re2::StringPiece(zone), kOffset, &sign, &hh, &mm)) {
    int s = ToInt(hh) * 3600 + (mm.empty() ? 0 : ToInt(mm) * 60);
    *offset_seconds = sign == "-" ? -s : s;
    return true;
  }
  return false;
}

PmTimeText ReadPmTime(std::string_view text) {
  PmTimeText t;
  size_t skip = 0;
  while (skip < text.size() && (text[skip] == ' ' || text[skip] == '*' || text[skip] == '~' ||
                                text[skip] == '\t' || text[skip] == '['))
    ++skip;
  std::string_view rest = text.substr(skip);
  // Dates: ISO "2026-05-29" (or 2026/05/29), or "July 11, 2025" / "11 July 2025".
  static const RE2 kIsoDate(R"(((\d{4})[-/](\d{1,2})[-/](\d{1,2}))(?:T|,?\s*|$))");
  static const RE2 kNamedDate(
      R"((([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))(?:,?\s*|$))");
  static const RE2 kDayFirstDate(R"(((\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}))(?:,?\s*|$))");
  // A capitalised month and a day, no year: "May 12", "July 22nd".
  static const RE2 kMonthDay(R"((([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?)(?:,?\s+|$))");
  re2::StringPiece all, a, b, c;
  re2::StringPiece in(rest);
  if (RE2::Consume(&in, kIsoDate, &all, &a, &b, &c)) {
    t.year = ToInt(a), t.month = ToInt(b), t.day = ToInt(c);
    t.has_date = t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.year >= kMinYear &&
                 t.year <= kMaxYear;
    if (!t.has_date) in = re2::StringPiece(rest);
  } else if (RE2::Consume(&in, kNamedDate, &all, &a, &b, &c) && MonthFromName(a) > 0) {
    t.year = ToInt(c), t.month = MonthFromName(a), t.day = ToInt(b);
    t.has_date = t.day >= 1 && t.day <= 31 && t.year >= kMinYear && t.year <= kMaxYear;
    if (!t.has_date) in = re2::StringPiece(rest);
  } else if (in = re2::StringPiece(rest);
             RE2::Consume(&in, kDayFirstDate, &all, &a, &b, &c) && MonthFromName(b) > 0) {
    t.year = ToInt(c), t.month = MonthFromName(b), t.day = ToInt(a);
    t.has_date = t.day >= 1 && t.day <= 31 && t.year >= kMinYear && t.year <= kMaxYear;
    if (!t.has_date) in = re2::StringPiece(rest);
  } else if (in = re2::StringPiece(rest);
             RE2::Consume(&in, kMonthDay, &all, &a, &b) && MonthFromName(a) > 0) {
    // "May 12" under a dated document: the year comes from the context (PmTimeToUtc).
    t.year = 0, t.month = MonthFromName(a), t.day = ToInt(b);
    t.has_date = t.day >= 1 && t.day <= 31;
    if (!t.has_date) in = re2::StringPiece(rest);
  } else {
    in = re2::StringPiece(rest);
  }
  // Clock: "14:11", "14:11:30", "14:11:30.114", "2:35 PM", then an optional zone.
  static const RE2 kClock(
      R"((\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?(?:\s*(?:\(?)(UTC|GMT|Z|[A-Z]{3,4}|[+-]\d{2}:?\d{2})\)?)?\b)");
  re2::StringPiece hh, mm, ss, ampm, zone;
  re2::StringPiece before_clock = in;
  if (RE2::Consume(&in, kClock, &hh, &mm, &ss, &ampm, &zone)) {
    int h = ToInt(hh), m = ToInt(mm), s = ss.empty() ? 0 : ToInt(ss);
    if (!ampm.empty()) {
      if (h < 1 || h > 12) h = 99;
      bool pm = ampm[0] == 'p' || ampm[0] == 'P';
      if (h != 99) h = (h % 12) + (pm ? 12 : 0);
    }
    if (h <= 23 && m <= 59 && s <= 60) {
      t.has_clock = true;
      t.hour = h, t.minute = m, t.second = s;
      if (!zone.empty()) {
        t.zone = std::string(zone.data(), zone.size());
        t.zone_known = PmZoneOffset(std::string_view(zone), &t.offset_seconds);
        // A word of capitals after a clock that is not a zone ("14:11 ALERT fires") is text.
        if (!t.zone_known && zone[0] != '+' && zone[0] != '-') {
          t.zone.clear();
          t.zone_known = true;
          in = before_clock;
          RE2::Consume(&in, R"(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)");
        }
      }
    } else {
      in = before_clock;
    }
  } else if (t.has_date) {
    // "HH:mm" left from a template: the date holds, the clock is unknown.
    RE2::Consume(&in, R"((?i)hh:mm(?::ss)?\s*)");
  }
  if (!t.found()) return PmTimeText{};
  t.consumed = skip + (rest.size() - in.size());
  return t;
}

TimePoint PmTimeToUtc(const PmTimeText& t, const PmTimeText& date_from,
                      std::string_view zone_from) {
  const PmTimeText& d = t.has_date ? t : date_from;
  if (!d.has_date) return kNoTime;
  int year = d.year != 0 ? d.year : date_from.has_date ? date_from.year : 0;
  if (year == 0) return kNoTime;
  int64_t secs = DaysFromCivil(year, d.month, d.day) * 86400;
  if (t.has_clock) secs += t.hour * 3600 + t.minute * 60 + t.second;
  int offset = 0;
  if (!t.zone.empty()) {
    offset = t.offset_seconds;
  } else if (!zone_from.empty()) {
    PmZoneOffset(zone_from, &offset);
  }
  return (secs - offset) * kNanosPerSecond;
}

}  // namespace inquest
