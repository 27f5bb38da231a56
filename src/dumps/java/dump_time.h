// When a JVM dump was taken, and how we know: its own timestamp, else the bundle's time, else
// the file's modification time, said in DumpAnalysis::time_source.
#ifndef INQUEST_DUMPS_JAVA_DUMP_TIME_H_
#define INQUEST_DUMPS_JAVA_DUMP_TIME_H_

#include <string_view>

#include "dumps/dump.h"

namespace inquest {

// Sets analysis->time and ->time_source. `own` is the dump's timestamp (kNoTime when it has
// none); `zone_assumed` says it was written without a zone and read as UTC.
void SetJavaDumpTime(std::string_view path, TimePoint own, bool zone_assumed,
                     const DumpOptions& options, DumpAnalysis* analysis);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_DUMP_TIME_H_
