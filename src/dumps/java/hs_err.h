// The JVM's fatal error log, hs_err_pid<N>.log: what killed the VM (a signal at a pc, an
// internal error, running out of native memory or threads), the problematic frame and its
// kind, versions, the current thread, its native and Java frames, siginfo, heap, command line
// and time. Logs cut off mid-section and fragments (a section pasted alone) are read for what
// they hold.
//
//   std::vector<std::string> diagnostics;
//   HsErrLog log = ParseHsErr(text, &diagnostics);
//   Finding verdict = HsErrVerdict(log, "hs_err_pid42.log");
#ifndef INQUEST_DUMPS_JAVA_HS_ERR_H_
#define INQUEST_DUMPS_JAVA_HS_ERR_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace inquest {

// One frame line: "C  [libfoo.so+0x1a2f]  Java_com_acme_Codec_decode+0x1f",
// "J 2045 c2 com.acme.Parser.next()I (120 bytes) @ 0x... [0x...+0x...]", "j  com.acme.X.y()V+4".
struct HsErrFrame {
  char kind = '?';      // C native, J compiled Java, j interpreted, V VM, v VM stub, A AOT
  std::string library;  // "libfoo.so" (C and V frames)
  std::string offset;   // "0x1a2f"
  std::string symbol;   // function or Java method, "" when unknown
  std::string text;     // the line as printed (after "# " for the problematic frame)
  uint64_t line = 0;
};

// What a frame kind letter means: "native code", "compiled Java code", ...
std::string_view HsErrFrameKindName(char kind);

struct HsErrLog {
  // The banner: "# A fatal error has been detected by the Java Runtime Environment", "There
  // is insufficient memory for the Java Runtime Environment", or an older JVM's wording.
  bool has_header = false;
  std::string error;   // "SIGSEGV (0xb)", "Internal Error (...)", "Out of Memory Error (...)"
  std::string signal;  // "SIGSEGV", "EXCEPTION_ACCESS_VIOLATION"; empty for errors
  std::string pc, pid, tid;
  uint64_t error_line = 0;
  // What the VM said went wrong, the line after an internal error's: "fatal error: ...",
  // "assert(...) failed: ...", "guarantee(...) failed: ...", "Error: ...", "DEBUG MESSAGE: ...".
  std::string error_detail;
  uint64_t error_detail_line = 0;
  bool insufficient_memory = false;  // "There is insufficient memory for the JRE to continue"
  // Every line that says why memory ran out, in order: the line(s) after "There is
  // insufficient memory" ("Native memory allocation (mmap) failed to map ...", "Cannot create
  // GC thread. Out of system resources.", JDK 6's "pthread_getattr_np") and, on old JVMs,
  // "java.lang.OutOfMemoryError: requested 32756 bytes for ChunkPool::allocate. Out of swap
  // space?" before an internal error. `oom` is the first of them.
  std::vector<std::string> oom_causes;
  std::string oom;
  uint64_t oom_line = 0;
  std::string jre_version, vm_version;
  uint64_t jre_line = 0, vm_line = 0;
  bool has_problematic = false;
  HsErrFrame problematic;
  std::string current_thread;  // the line after "Current thread (0x...):"
  std::string thread_type;     // "JavaThread", "VMThread", "GCTaskThread", ...
  std::string thread_name;     // "main"
  std::string thread_state;    // "_thread_in_native"
  uint64_t current_thread_line = 0;
  std::string siginfo;
  uint64_t siginfo_line = 0;
  std::vector<HsErrFrame> native_frames;
  std::vector<HsErrFrame> java_frames;
  std::vector<std::string> heap;  // the "Heap:" section's lines
  uint64_t heap_line = 0;
  std::string command_line;  // "Command Line:" or "java_command:"
  uint64_t command_line_line = 0;
  std::string time_text;     // "Thu May  7 17:24:12 2020"
  TimePoint time = kNoTime;  // the wall-clock time read as UTC (the zone is not applied)
  uint64_t time_line = 0;
  // The zone the log wrote for that time, as written: after the time on a "Time:" line (JDK 9+:
  // "EST", "W. Australia Standard Time") or on a "timezone:" line (JDK 8: "CET", "+08").
  // Empty when none; applied by the report (dumps/java/dump_time.h).
  std::string time_zone;
  uint64_t time_zone_line = 0;
  std::string elapsed;    // "113419 seconds (1d 7h 30m 19s)"
  std::string vm_info;    // "vm_info:" line (versions when the header is missing)
  std::string os;         // "OS:" / "uname:" first line
  std::string host;       // "Host:"
  bool complete = false;  // the final "END." was seen
  // The "Dynamic libraries:" section: every mapped range (/proc/self/maps on Linux, the module
  // list on Windows), to tell a jump into a library from one outside every mapping.
  struct Mapping {
    uint64_t start = 0, end = 0;  // [start, end)
    std::string path;             // "" for anonymous memory
  };
  std::vector<Mapping> mappings;
  // Titles of the sections seen, in order ("Register to memory mapping", "VM Operations (20
  // events)"): what a fragment holds when it has no error header.
  std::vector<std::string> sections;
};

// The address a hex text names ("0x00007f3a1c2d5119", "7f3a1c2d5119"); false when it is not hex.
bool ParseHsErrAddress(std::string_view text, uint64_t* address);

// The mapping holding `address`, or null (also when the log lists no mappings).
const HsErrLog::Mapping* FindHsErrMapping(const HsErrLog& log, uint64_t address);

// Never fails: an empty or foreign text yields an empty log (has_header false, no fields).
// Problems (a section header with nothing after it, a frame line that does not parse) go to
// `diagnostics` with their line.
HsErrLog ParseHsErr(std::string_view text, std::vector<std::string>* diagnostics);

// 0..1: how sure we are that `head` is (part of) an hs_err log.
double ProbeHsErr(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_HS_ERR_H_
