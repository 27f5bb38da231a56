// What `inquest core` concludes from an ELF core: the process, the signal, every thread's
// frames (with inline frames as their own entries, variables where DWARF allows), the modules
// and their symbol status, and the victim-to-origin walk. Plain data: produced by AnalyzeCore
// (in a child process), carried back as a record stream (core_record.h), rendered by
// core_output.h.
#ifndef INQUEST_NATIVE_CORE_REPORT_H_
#define INQUEST_NATIVE_CORE_REPORT_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "native/core_file.h"
#include "native/symbolizer.h"
#include "stacks/core_variable.h"
#include "stacks/runtime_stack.h"

namespace inquest {

// One logical frame: a real call frame, or a function inlined into the next frame.
struct CoreFrame {
  int physical = 0;      // index of the call frame it belongs to
  bool inlined = false;  // inlined into the next logical frame (same pc)
  uint64_t pc = 0;
  std::string module;
  uint64_t module_offset = 0;
  std::string function;          // demangled; empty when no symbol covers pc
  uint64_t function_offset = 0;  // for real frames
  std::string file;
  int line = 0;
  int column = 0;
  // How the frame was found: "registers" (the thread's saved state), "cfi" (call frame
  // information of the callee), "frame pointer" (fallback without CFI), "signal frame" (the
  // registers the kernel saved when delivering a signal), "inline" (DWARF inline records).
  std::string found_by;
  bool signal_trampoline = false;  // the kernel's signal return frame (<signal handler called>)
  std::vector<CoreVariable> variables;
};

struct CoreThread {
  int tid = 0;
  int signal = 0;
  bool crashing = false;
  std::vector<CoreFrame> frames;
  std::array<uint64_t, kX86_64RegCount> regs{};
  std::string stopped;  // why unwinding ended early ("frame limit 256 reached", libdwfl's error)
};

// One step of the victim-to-origin walk, and its conclusion.
struct CoreWalk {
  bool attempted = false;  // the fault was on a null or near-null address
  bool concluded = false;  // the evidence names an origin
  std::string summary;     // the one sentence: "acct=0x0 in apply_refund (billing.c:118) ..."
  std::vector<std::string> steps;  // how it got there, frame by frame
};

struct CoreReport {
  std::string path;
  uint64_t size = 0;
  TimePoint time = kNoTime;  // the core's modification time: when the kernel wrote it
  int pid = 0;
  std::string command;  // from the core's process info
  std::string args;
  std::string executable;  // the main module's file used ("" when not found)
  int signo = 0;
  int si_code = 0;
  std::string signal_name;  // "SIGSEGV"
  std::string code_name;    // "SEGV_MAPERR (address not mapped)"
  bool has_fault_address = false;
  uint64_t fault_address = 0;
  std::string fault_meaning;
  int sender_pid = 0;  // for signals sent by a process
  // The core was taken from the live process (gcore, a debugger: no signal, or one the kernel
  // writes no core for, such as SIGSTOP), not written by a crash; no thread is "crashing".
  bool snapshot = false;
  std::vector<CoreThread> threads;  // the crashing one first
  int threads_total = 0;            // in the core; more than threads.size() past the limit
  std::vector<ModuleInfo> modules;
  CoreWalk walk;
  // The runtime's own threads (CPython's), when the process ran one inquest reads.
  RuntimeView runtime;
  bool truncated = false;
  std::vector<std::string> warnings;  // damage, limits hit, missing symbols
};

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_REPORT_H_
