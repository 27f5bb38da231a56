// Go's view of a dead process, from a core: every goroutine (runtime.allgs) with its id, state,
// wait reason and frames, unwound with the binary's own pclntab (go_pclntab.h), and where it
// was created.
//
// Everything version-dependent is read from the binary itself: the offsets of runtime.g,
// gobuf and m from its DWARF, the wait reasons from runtime.waitReasonStrings, the tables from
// .gopclntab. A goroutine starts from its saved context (sched: parked, runnable), its syscall
// context, or, running, the registers of the thread whose LWP is g.m.procid. Frames: the frame
// size at each pc from pcsp, the return address above it; lines at pc-1 for return addresses,
// as the runtime's own tracebacks take them. Inlined calls are expanded from each function's
// inline tree (funcdata, under go:func.*), and a running goroutine whose thread is on another
// stack (the system stack, a signal handler) is listed with its state but not unwound: said.
//
// Every read goes through `read`; allgs, each stack walk and each string are bounded.
#ifndef INQUEST_NATIVE_GO_CORE_H_
#define INQUEST_NATIVE_GO_CORE_H_

#include <elfutils/libdwfl.h>

#include <functional>
#include <vector>

#include "native/core_file.h"
#include "native/go_pclntab.h"
#include "native/runtime_memory.h"
#include "stacks/runtime_stack.h"

namespace inquest {

struct MemorySource;  // native/variables.h

inline constexpr unsigned kDwarfRsp = 7, kDwarfRip = 16;  // x86-64 DWARF register numbers

inline constexpr size_t kMaxGoroutines = 1'000'000;
inline constexpr size_t kMaxGoFrames = 512;  // per goroutine

// Offsets in runtime.g, gobuf, stack and m, read from the binary's DWARF; -1 when absent.
struct GoOffsets {
  int64_t goid = -1, atomicstatus = -1, waitreason = -1, sched = -1, syscallsp = -1, syscallpc = -1,
          m = -1, gopc = -1, stack = -1;
  int64_t gobuf_sp = -1, gobuf_pc = -1;
  int64_t stack_lo = -1, stack_hi = -1;
  int64_t m_procid = -1;
  bool complete() const {
    return goid >= 0 && atomicstatus >= 0 && sched >= 0 && gobuf_sp >= 0 && gobuf_pc >= 0;
  }
};

// Where the runtime's state is: runtime.allgs (a slice header), runtime.waitReasonStrings (an
// array of string headers; 0 when absent) and the funcdata base go:func.* (0: no inline trees).
struct GoRuntimeSymbols {
  uint64_t allgs = 0, wait_reasons = 0, gofunc = 0;
};

// Called for each physical frame of one goroutine with its pc, its stack pointer and whether
// pc is exact (not a return address); the frame's logical frames (inlined calls innermost
// first, then the function) are frames[first..].
using GoFrameLocalsFn = std::function<void(uint64_t pc, uint64_t sp, bool exact,
                                           std::vector<RuntimeFrame>* frames, size_t first)>;
struct GoLocalsRequest {
  int64_t goid = -1;  // -1: none
  GoFrameLocalsFn read;
};

// Walks every goroutine of allgs with `tab` and `at`: the part of ReadGoView after the binary
// has been read. `locals` names one goroutine whose frames are handed to its reader.
RuntimeView ReadGoroutines(const GoPclntab& tab, const GoOffsets& at, const GoRuntimeSymbols& syms,
                           const std::vector<CoreThreadState>& threads, const ReadMemoryFn& read,
                           const GoLocalsRequest& locals = {});

// The Go runtime's goroutines, or a view with runtime "" when the process is not a Go program
// (no runtime.allgs). `threads` gives the registers of running goroutines. With
// `locals_goid` >= 0 that goroutine's frames get their parameters and locals from the binary's
// DWARF, read through `memory` (<optimized out> where a location needs a register other than
// the stack pointer; a frame's other registers are not saved in a parked goroutine).
RuntimeView ReadGoView(Dwfl* dwfl, const std::vector<CoreThreadState>& threads,
                       const ReadMemoryFn& read, int64_t locals_goid = -1,
                       const MemorySource* memory = nullptr);

}  // namespace inquest

#endif  // INQUEST_NATIVE_GO_CORE_H_
