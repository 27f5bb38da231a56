// `inquest core` as a library: an ELF core (and the executable, found or given) turned into a
// CoreReport. AnalyzeCoreInProcess does the work in the calling process; AnalyzeCore runs it
// in a worker process, inquest itself started afresh with posix_spawn (`inquest core --worker`,
// core_worker.h; never a fork of a process that runs threads), under limits of wall-clock
// time, CPU time, address space and output size, so a hostile core that trips libdwfl cannot
// take inquest down; the report comes back as a record (core_record.h).
//
//   CoreOptions options;
//   options.search.exe = "./billing";
//   INQ_ASSIGN_OR_RETURN(CoreReport r, AnalyzeCore("core.1234", options));
//   // r.signal_name == "SIGSEGV", r.threads[0].frames[0].function == "apply_refund"
#ifndef INQUEST_NATIVE_CORE_ANALYSIS_H_
#define INQUEST_NATIVE_CORE_ANALYSIS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "native/core_report.h"
#include "native/symbolizer.h"

namespace inquest {

enum class LocalsScope : uint8_t { kNone, kCrashingThread, kAllThreads };

// What a worker does instead of reading the core, for the tests of its limits: burn CPU,
// allocate, write without end, crash.
enum class CoreWorkerDrill : uint8_t { kNone, kSpin, kAllocate, kFlood, kCrash };

// Address space a worker gets beyond the core's own size (the core is mapped whole): the
// executable, libraries and their debug files mapped, and what libdw builds from them. A
// service's debug files run to hundreds of MiB; 4 GiB holds the largest while stopping a core
// crafted to make libdw allocate without end.
inline constexpr uint64_t kCoreWorkerMemoryHeadroom = uint64_t{4} << 30;
// Record bytes the parent accepts from a worker. A report of 1024 threads of 256 frames with
// their variables stays well below; past it the worker is stopped (and AnalyzeCore tries again
// without variables).
inline constexpr uint64_t kCoreWorkerOutputBytes = uint64_t{256} << 20;

struct CoreWorkerLimits {
  // CPU seconds; 0: the analysis's time limit plus the worker's grace period.
  int cpu_seconds = 0;
  // Address space in bytes (RLIMIT_AS); 0: the core's size plus kCoreWorkerMemoryHeadroom. Not
  // applied in a sanitizer build, whose shadow memory needs terabytes of address space.
  uint64_t memory_bytes = 0;
  uint64_t output_bytes = kCoreWorkerOutputBytes;
  CoreWorkerDrill drill = CoreWorkerDrill::kNone;  // tests only
};

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
  // A Go core: the goroutine whose frames get their parameters and locals (--goroutine N);
  // -1 for none.
  int64_t goroutine = -1;
  // Read the core with search.exe even when its build-id is not the one the process ran (its
  // frames may then be wrong). Without it such an --exe is BadInput.
  bool force_exe = false;
  // Folders searched for source files the debug information names but that are not at their
  // recorded path (the walk reads the source to find where a value was assigned).
  std::vector<std::string> source_dirs;
  // AnalyzeCore only.
  CoreWorkerLimits worker;
};

// In this process. Errors: the core cannot be opened (IoError), is not an x86-64 ELF core
// (BadInput / Unsupported), search.exe is of another build than the process ran (BadInput,
// naming both build-ids, unless force_exe). Damage inside the core is a warning in the report.
Result<CoreReport> AnalyzeCoreInProcess(const std::string& path, const CoreOptions& options);

// In a worker process with `time_limit_seconds` (plus a grace period to write the report) and
// `options.worker`'s limits. A worker that dies or overruns: Internal naming the signal, or
// the limit it met (wall-clock time, CPU time, memory, output).
Result<CoreReport> AnalyzeCore(const std::string& path, const CoreOptions& options);

// The program AnalyzeCore starts as `PROGRAM core --worker`. The inquest binary sets itself
// ("/proc/self/exe") at start; left unset (a test program linking this library), the
// `inquest` beside the running program is used.
void SetCoreWorkerProgram(std::string path);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_ANALYSIS_H_
