// When a JVM dump was taken, and how we know: its own timestamp (a wall-clock time put on the
// UTC clock with the zone the dump wrote, or --assume-tz), else the bundle's time, else the
// file's modification time, said in DumpAnalysis::time_source.
#ifndef INQUEST_DUMPS_JAVA_DUMP_TIME_H_
#define INQUEST_DUMPS_JAVA_DUMP_TIME_H_

#include <string_view>

#include "dumps/dump.h"
#include "dumps/dump_time.h"

namespace inquest {

// Sets analysis->time and ->time_source from `own`; the verdicts already in `analysis`, dated
// on the dump's wall clock, move onto the UTC clock with it. A zone that was ambiguous or
// unknown, or a wall-clock time a DST change skipped or repeated, is also added to
// analysis->diagnostics, naming the file. When own.time is kNoTime, `no_time` says why in the
// time source ("the dump has no timestamp", "unreadable timestamp '...' on line 3").
void SetJavaDumpTime(std::string_view path, const DumpOwnTime& own, const DumpOptions& options,
                     DumpAnalysis* analysis,
                     std::string_view no_time = "the dump has no timestamp");

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_DUMP_TIME_H_
