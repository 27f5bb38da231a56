// `inquest core` as a library: an ELF core (and the executable, found or given) turned into a
// CoreReport. AnalyzeCoreInProcess does the work in the calling process; AnalyzeCore runs it
// in a child process (fork) with a time limit, so a hostile core that trips libdwfl cannot
// take inquest down, and carries the report back as records (core_record.h).
//
//   CoreOptions options;
//   options.search.exe = "./billing";
//   INQ_ASSIGN_OR_RETURN(CoreReport r, AnalyzeCore("core.1234", options));
//   // r.signal_name == "SIGSEGV", r.threads[0].frames[0].function == "apply_refund"
#ifndef INQUEST_NATIVE_CORE_ANALYSIS_H_
#define INQUEST_NATIVE_CORE_ANALYSIS_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "native/core_report.h"
#include "native/symbolizer.h"

namespace inquest {

enum class LocalsScope : uint8_t { kNone, kCrashingThread, kAllThreads };

struct CoreOptions {
  SymbolSearch search;
  // Threads unwound (the crashing one always among them); a core of 10,000 threads is read in
  // bounded time and the report says how many were left out.
  size_t max_threads = 1024;
  // Frames per thread: deep enough for any real stack that is not runaway recursion.
  size_t max_frames = 256;
  // Wall-clock limit for the whole analysis; past it the threads done so far are reported.
  int time_limit_seconds = 60;
  LocalsScope locals = LocalsScope::kCrashingThread;
  // Folders searched for source files the debug information names but that are not at their
  // recorded path (the walk reads the source to find where a value was assigned).
  std::vector<std::string> source_dirs;
};

// In this process. Errors: the core cannot be opened (IoError), is not an x86-64 ELF core
// (BadInput / Unsupported). Damage inside the core is a warning in the report.
Result<CoreReport> AnalyzeCoreInProcess(const std::string& path, const CoreOptions& options);

// In a child process with `time_limit_seconds` (plus a grace period to write the report). A
// child that dies or overruns: Internal naming the signal, or the limit.
Result<CoreReport> AnalyzeCore(const std::string& path, const CoreOptions& options);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_ANALYSIS_H_
