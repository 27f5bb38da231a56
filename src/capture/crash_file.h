// Reading the crash files that libinquest_crash writes (src/capture/crash, format in
// docs/capture.md): one "key value" line each, from "inquest-crash 1" to "end".
//
//   INQ_ASSIGN_OR_RETURN(CrashFile crash, ParseCrashFile(bytes, "crash-4242-4242-17.txt"));
//   for (uint64_t pc : crash.frames) ...
//
// A file cut short (the process was killed while writing) still yields what it holds, with
// `complete` false; unknown keys are skipped (later versions may add some); a line that breaks
// the format is an error naming the file and line.
#ifndef INQUEST_CAPTURE_CRASH_FILE_H_
#define INQUEST_CAPTURE_CRASH_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "native/symbolizer.h"

namespace inquest {

// Upper bounds on what one crash file may list; the writer keeps 256 frames and a few MiB of
// maps, so anything past these is not a crash file.
inline constexpr size_t kMaxCrashFrames = 4096;
inline constexpr size_t kMaxCrashMaps = 1 << 16;
inline constexpr size_t kMaxCrashRegisters = 256;

// One line of the process's maps, for what a fault address fell into.
struct MemoryRegion {
  uint64_t start = 0;
  uint64_t end = 0;
  bool readable = false;
  bool writable = false;
  bool executable = false;
};

struct CrashFile {
  int version = 0;
  int signal = 0;
  int code = 0;  // si_code
  uint64_t fault_addr = 0;
  bool has_fault_addr = false;
  int64_t sender_pid = -1;  // for a signal sent by a process (si_code <= 0)
  int64_t pid = 0;
  int64_t tid = 0;
  int64_t time_ns = 0;  // Unix nanoseconds, UTC
  bool has_time = false;
  std::string exe;
  std::string arch;
  std::vector<std::pair<std::string, uint64_t>> registers;  // in the file's order
  std::vector<uint64_t> frames;         // frames[0] is the pc, the rest return addresses
  std::vector<ModuleMapping> mappings;  // file-backed mappings, with build-ids filled in
  std::vector<MemoryRegion> regions;    // every maps line, anonymous ones included
  std::vector<std::string> notes;       // the writer's remarks ("maps truncated", ...)
  bool complete = false;                // the "end" line was seen
};

// Parses `data`; `name` is used in errors ("crash.txt:3: bad frame address \"zz\"").
Result<CrashFile> ParseCrashFile(std::string_view data, std::string_view name);

// What the crash file's fault address means ("read of address 0x8: a null pointer plus offset
// 8"), from native/signal_info.h with the mappings and stack pointer the file holds; empty when
// the signal carries no fault address or nothing can be said.
std::string CrashFaultMeaning(const CrashFile& crash);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_CRASH_FILE_H_
