#include "dumps/java/dump_time.h"

#include <sys/stat.h>

#include <string>

namespace inquest {

void SetJavaDumpTime(std::string_view path, TimePoint own, bool zone_assumed,
                     const DumpOptions& options, DumpAnalysis* analysis) {
  if (own != kNoTime) {
    analysis->time = own;
    analysis->time_source = zone_assumed
                                ? "the dump's own timestamp (written without a zone, read as UTC)"
                                : "the dump's own timestamp";
    return;
  }
  if (options.bundle_time != kNoTime) {
    analysis->time = options.bundle_time;
    analysis->time_source = "the bundle's time (the dump has no timestamp)";
    return;
  }
  struct stat st;
  if (!path.empty() && ::stat(std::string(path).c_str(), &st) == 0) {
    analysis->time =
        static_cast<TimePoint>(st.st_mtim.tv_sec) * kNanosPerSecond + st.st_mtim.tv_nsec;
    analysis->time_source = "the file's modification time (the dump has no timestamp)";
    return;
  }
  analysis->time = kNoTime;
  analysis->time_source = "unknown (no timestamp in the dump, no file time)";
}

}  // namespace inquest
