// A crash file turned into a symbolized report: what `inquest symbolize` prints.
//
//   INQ_ASSIGN_OR_RETURN(CrashReport report, SymbolizeCrash(crash, search));
//   std::cout << CrashReportText(report);
#ifndef INQUEST_CAPTURE_CRASH_REPORT_H_
#define INQUEST_CAPTURE_CRASH_REPORT_H_

#include <string>
#include <vector>

#include "base/output.h"
#include "base/status.h"
#include "capture/crash_file.h"
#include "native/symbolizer.h"

namespace inquest {

struct CrashReport {
  CrashFile crash;
  std::vector<SymbolizedAddress> frames;  // one per crash.frames entry
  std::vector<ModuleInfo> modules;        // address order, with symbol status
};

// Symbolizes every frame of `crash` (frame 0 as the exact pc, the others as return addresses)
// with the files `search` finds. Fails only when `search` is unusable (a missing --debug-dir).
Result<CrashReport> SymbolizeCrash(CrashFile crash, const SymbolSearch& search);

// The report for a terminal: the signal and what it means, the frames, the modules.
std::string CrashReportText(const CrashReport& report);
// The same as one JSON object (keys in docs/capture.md).
Redacted CrashReportJson(const CrashReport& report);
// The same in Markdown.
std::string CrashReportMarkdown(const CrashReport& report);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_CRASH_REPORT_H_
