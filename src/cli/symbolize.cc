// inquest symbolize: a crash file written by libinquest_crash turned into a symbolized report.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/input_file.h"
#include "capture/crash_file.h"
#include "capture/crash_report.h"
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunSymbolize(int argc, char** argv) {
  CLI::App app("turn a crash file written by libinquest_crash into a symbolized report",
               "symbolize");
  std::string path;
  SymbolSearch search;
  FormatFlags format;
  format.Add(app, /*with_log_format=*/false);
  app.add_option("crashfile", path, "the crash file (crash-PID-TID-SECONDS.txt)")->required();
  app.add_option("--exe", search.exe,
                 "the program's executable, when it is not where it ran (an unstripped copy)");
  app.add_option("--debug-dir", search.debug_dirs, "a folder of separate debug files (repeatable)");
  app.add_option("--sysroot", search.sysroot, "a folder holding the crashed system's files");
  app.add_flag("--debuginfod", search.debuginfod,
               "ask the servers in $DEBUGINFOD_URLS for missing debug files");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("symbolize", s);

  Result<InputFile> in = InputFile::Open(path);
  if (!in.ok()) return Fail("symbolize", in.status());
  Result<CrashFile> crash = ParseCrashFile(in->data(), path);
  if (!crash.ok()) return Fail("symbolize", crash.status());
  Result<CrashReport> report = SymbolizeCrash(std::move(*crash), search);
  if (!report.ok()) return Fail("symbolize", report.status());
  switch (format.output) {
    case OutputFormat::kText:
      Emit(RedactText(CrashReportText(*report)));
      break;
    case OutputFormat::kJson:
      Emit(CrashReportJson(*report));
      break;
    case OutputFormat::kMd:
      Emit(RedactText(CrashReportMarkdown(*report)));
      break;
  }
  if (!report->crash.complete) {
    fmt::print(stderr, "inquest symbolize: {}: the crash file is incomplete; shown what it holds\n",
               path);
  }
  return 0;
}

}  // namespace inquest::cli
