// Times as people write them in post-mortems: "14:11", "14:11:30 UTC", "2026-05-29 14:11",
// "July 11, 2025, 12:42 PM", "2022-06-02 HH:mm" (a date with the clock left as a placeholder).
// Used for timeline rows and the stated times of the header (postmortem/document.h).
#ifndef INQUEST_POSTMORTEM_PM_TIME_H_
#define INQUEST_POSTMORTEM_PM_TIME_H_

#include <string>
#include <string_view>

#include "base/time.h"

namespace inquest {

// What ReadPmTime found at the start of a text.
struct PmTimeText {
  bool has_date = false;
  bool has_clock = false;
  int year = 0, month = 0, day = 0;      // valid when has_date; year 0: not written
  int hour = 0, minute = 0, second = 0;  // valid when has_clock
  std::string zone;                      // as written ("UTC", "BST", "+02:00"), empty if none
  bool zone_known = true;                // false: a zone inquest has no offset for
  int offset_seconds = 0;                // the zone's offset from UTC
  size_t consumed = 0;                   // bytes of the text that formed the time
  bool found() const { return has_date || has_clock; }
  bool zone_is_utc() const { return !zone.empty() && zone_known && offset_seconds == 0; }
};

// Reads a date and/or clock time at the start of `text` (leading spaces, '*' and '~' skipped).
// Nothing found: found() is false.
PmTimeText ReadPmTime(std::string_view text);

// The offset of a zone written in a document ("UTC", "GMT", "Z", "BST", "CEST", "PDT", "+02:00",
// "-0700"); false when unknown.
bool PmZoneOffset(std::string_view zone, int* offset_seconds);

// The UTC time of `t` on `date_from` (a found date used when `t` has none) and in `zone_from`
// (used when `t` names no zone; an empty zone means UTC). kNoTime when no date is known.
TimePoint PmTimeToUtc(const PmTimeText& t, const PmTimeText& date_from, std::string_view zone_from);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_PM_TIME_H_
