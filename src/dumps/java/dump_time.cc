#include "dumps/java/dump_time.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <string>

namespace inquest {

void SetJavaDumpTime(std::string_view path, const DumpOwnTime& own, const DumpOptions& options,
                     DumpAnalysis* analysis, std::string_view no_time) {
  if (own.time != kNoTime && !own.wall_clock) {
    analysis->time = own.time;
    analysis->time_source = "the dump's own timestamp";
    return;
  }
  if (own.time != kNoTime) {
    DumpClockReading r = ReadDumpWallTime(own, options);
    // The verdicts were dated on the same wall clock: they move with it.
    if (r.time != kNoTime)
      for (Finding& f : analysis->verdicts)
        if (f.time != kNoTime) f.time += r.time - own.time;
    analysis->time = r.time;
    analysis->time_source = std::move(r.source);
    if (!r.warning.empty()) analysis->diagnostics.push_back(fmt::format("{}: {}", path, r.warning));
    return;
  }
  if (options.bundle_time != kNoTime) {
    analysis->time = options.bundle_time;
    analysis->time_source = fmt::format("the bundle's time ({})", no_time);
    return;
  }
  struct stat st;
  if (!path.empty() && ::stat(std::string(path).c_str(), &st) == 0) {
    analysis->time =
        static_cast<TimePoint>(st.st_mtim.tv_sec) * kNanosPerSecond + st.st_mtim.tv_nsec;
    analysis->time_source = fmt::format("the file's modification time ({})", no_time);
    return;
  }
  analysis->time = kNoTime;
  analysis->time_source = fmt::format("unknown ({}, no file time)", no_time);
}

}  // namespace inquest
