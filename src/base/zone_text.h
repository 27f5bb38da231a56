// Reading a zone as people write it next to a time or on a command line: "UTC", a numeric
// offset in any form ("+0100", "+01:00", "+01", "UTC+1", "GMT+01:00", "UTC+05:30"), an IANA
// name ("Europe/Paris"), an abbreviation ("CEST", "IST") or a Windows zone name ("W. Australia
// Standard Time"), the last two through the zone table (base/zone_table.h).
//
//   Result<ZoneReading> z = ReadZoneText("IST", ZoneTable::Builtin(), assumed, local_s);
//   if (z.ok() && z->ambiguous) Warn(z->note);  // "IST is ambiguous (...): read as ..."
#ifndef INQUEST_BASE_ZONE_TEXT_H_
#define INQUEST_BASE_ZONE_TEXT_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"
#include "base/zone_table.h"

namespace inquest {

struct ZoneReading {
  TimeZone zone = TimeZone::Utc();
  // "EDT = UTC-04:00 (Eastern Daylight Time (North America))", "Europe/Paris", "UTC+08:00".
  std::string description;
  // The name has several meanings in the table; `note` says which was taken and why, and
  // names the others.
  bool ambiguous = false;
  std::string note;
};

// Reads `text` as a zone. For an ambiguous name, the meaning whose offset at `local_seconds`
// (a wall-clock time in seconds since the epoch, as if UTC) equals `assumed`'s is taken when
// `assumed` (the --assume-tz zone) is given and one matches; else the table's default.
// Unknown text is InvalidArgument naming it.
Result<ZoneReading> ReadZoneText(std::string_view text, const ZoneTable& table,
                                 const TimeZone* assumed, int64_t local_seconds);

}  // namespace inquest

#endif  // INQUEST_BASE_ZONE_TEXT_H_
