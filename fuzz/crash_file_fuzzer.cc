// The crash-file reader (capture/crash_file.h) and the report written from what it accepts.
// Symbolization is left out: it reads files named in the input, which a fuzzer must not.
#include <string_view>

#include "capture/crash_file.h"
#include "capture/crash_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::CrashFile> crash = inquest::ParseCrashFile(bytes, "fuzz");
  if (crash.ok()) {
    inquest::CrashReport report;
    report.crash = std::move(*crash);
    report.frames.resize(report.crash.frames.size());
    for (size_t i = 0; i < report.frames.size(); ++i) {
      report.frames[i].address = report.crash.frames[i];
    }
    (void)inquest::CrashReportText(report);
    (void)inquest::CrashReportJson(report);
    (void)inquest::CrashReportMarkdown(report);
    (void)inquest::CrashFaultMeaning(report.crash);
  }
  return 0;
}
