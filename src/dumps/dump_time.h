// When a dump was taken: its own timestamp where the format has one (set by the reader), else
// the time the bundle gives, else the file's modification time, and the analysis says which.
#ifndef INQUEST_DUMPS_DUMP_TIME_H_
#define INQUEST_DUMPS_DUMP_TIME_H_

#include "dumps/dump.h"

namespace inquest {

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
