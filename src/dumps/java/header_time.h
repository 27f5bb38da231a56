// The time line a thread dump carries before its "Full thread dump" header: jstack and jcmd
// write "2025-12-21 11:28:04"; scripts that run `date; jstack PID` write date(1)'s line in the
// host's locale ("lun. 29 nov. 2021 06:26:33 CET", "2021年 11月 29日 星期一 06:26:33 CST");
// Windows batch files write "%date% %time%" ("29.11.2021  6:26:33,12"). The date arithmetic
// and validation are base/time.h's (ParseIso8601, ParseCtime); this file only finds the parts.
//
//   HeaderTime t;
//   if (ReadHeaderTime(line, &t)) ...                 // fast: tried on every short line
//   else if (ReadLocalHeaderTime(line, &t)) ...       // the line before a dump header
//   else if (LooksLikeTimeLine(line)) Report("unreadable timestamp");
#ifndef INQUEST_DUMPS_JAVA_HEADER_TIME_H_
#define INQUEST_DUMPS_JAVA_HEADER_TIME_H_

#include <string>
#include <string_view>

#include "base/time.h"

namespace inquest {

struct HeaderTime {
  TimePoint time = kNoTime;   // a wall-clock time read as UTC when zone_assumed
  bool zone_assumed = false;  // no offset was written: `zone` (or --assume-tz) applies later
  std::string zone;           // a zone name written with the time ("CET"), as written
};

// Longest line ReadHeaderTime looks at: a time plus a zone name such as "W. Europe Standard
// Time".
inline constexpr size_t kMaxTimeLine = 64;
// Longest line ReadLocalHeaderTime looks at: month and weekday names in UTF-8 take two or
// three bytes a letter.
inline constexpr size_t kMaxLocalTimeLine = 100;

// The whole line as jstack or date(1) in the C locale writes it: ISO 8601 ("2025-12-21
// 11:28:04", optionally followed by a zone "CET"), ctime, or "Thu Oct 21 14:29:11 CEST 2010".
// A zone written as a name goes to out->zone; an offset is applied. False, out untouched,
// when the line is not wholly such a time.
bool ReadHeaderTime(std::string_view line, HeaderTime* out);

// Everything ReadHeaderTime reads, plus the local spellings of a date and a clock: the date
// numbers joined by '/', '.' or '-' in year-first or year-last order ("2021/11/29",
// "29.11.2021", "11/29/2021" when the day is over 12), month and weekday names in English,
// French, German, Spanish, Italian, Portuguese, Dutch and Russian, the year/month/day marks of
// Chinese, Japanese and Korean, AM/PM, a clock with a fraction, and a zone name or offset
// anywhere after the clock. Every word must be one of those (or, in a script not listed, is
// taken for a weekday name). A day and month that could be either way round ("11/10/2021") are
// not guessed: false.
bool ReadLocalHeaderTime(std::string_view line, HeaderTime* out);

// Whether a line looks like a written time: no longer than kMaxLocalTimeLine, a clock
// (H:MM) and at least one more number, and not a thread header. A dump whose header follows
// such a line it cannot read says "unreadable timestamp" rather than "no timestamp".
bool LooksLikeTimeLine(std::string_view line);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_HEADER_TIME_H_
