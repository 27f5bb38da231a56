// When a dump was taken: its own timestamp where the format has one (set by the reader), else
// the time the bundle gives, else the file's modification time, and the analysis says which.
// A dump's own timestamp is often a local wall-clock time with a zone written beside it
// ("Mon Nov 29 06:26:33 2021 EST", a "timezone: CET" line) or none at all: ReadDumpWallTime
// puts it on the UTC clock and says how.
#ifndef INQUEST_DUMPS_DUMP_TIME_H_
#define INQUEST_DUMPS_DUMP_TIME_H_

#include <string>
#include <string_view>

#include "dumps/dump.h"

namespace inquest {

// A dump's own time as a reader found it.
struct DumpOwnTime {
  TimePoint time = kNoTime;  // a UTC instant, or a wall-clock time read as if UTC
  bool wall_clock = false;   // `time` is a wall-clock time: `zone` (or the assumed zone) applies
  std::string zone;          // the zone written with it, as written; empty: none
  std::string zone_where;    // where the zone was written ("line 283"), for messages
};

// A wall-clock time put on the UTC clock.
struct DumpClockReading {
  TimePoint time = kNoTime;
  std::string source;   // for DumpAnalysis::time_source: the zone taken and why
  std::string warning;  // for the diagnostics, or empty: an ambiguous or unknown zone, or a
                        // wall-clock time the zone skipped or repeated (a DST change)
};

// Reads own.time (a wall-clock time) in the zone written with it (through the zone table of
// `options`), else in options.zone (--assume-tz), else as UTC. An ambiguous abbreviation takes
// the meaning matching --assume-tz when one does, else its documented default, and the
// warning says so. A time in a DST gap or fold is read with the offset before the change.
DumpClockReading ReadDumpWallTime(const DumpOwnTime& own, const DumpOptions& options);

// Fills a->time and a->time_source when the reader left them empty, and gives every verdict
// without a time the dump's time.
inline void SettleDumpTime(DumpAnalysis* a, const DumpOptions& options, int64_t file_mtime_ns) {
  if (a->time == kNoTime) {
    if (options.bundle_time != kNoTime) {
      a->time = options.bundle_time;
      a->time_source = "the bundle's time; the dump has no timestamp";
    } else if (file_mtime_ns > 0) {
      a->time = file_mtime_ns;
      a->time_source = "the file's modification time; the dump has no timestamp";
    } else {
      a->time_source = "unknown: no timestamp in the dump, no bundle time, no file time";
    }
  } else if (a->time_source.empty()) {
    a->time_source = "the dump's own timestamp";
  }
  for (Finding& f : a->verdicts)
    if (f.time == kNoTime) f.time = a->time;
}

}  // namespace inquest

#endif  // INQUEST_DUMPS_DUMP_TIME_H_
