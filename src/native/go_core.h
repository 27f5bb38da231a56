// Go's view of a dead process, from a core: every goroutine (runtime.allgs) with its id, state,
// wait reason and frames, unwound with the binary's own pclntab (go_pclntab.h), and where it
// was created.
//
// Everything version-dependent is read from the binary itself: the offsets of runtime.g,
// gobuf and m from its DWARF, the wait reasons from runtime.waitReasonStrings, the tables from
// .gopclntab. A goroutine starts from its saved context (sched: parked, runnable), its syscall
// context, or, running, the registers of the thread whose LWP is g.m.procid. Frames: the frame
// size at each pc from pcsp, the return address above it; lines at pc-1 for return addresses,
// as the runtime's own tracebacks take them. Inlined calls are not expanded (each frame is its
// physical function), and a running goroutine whose thread is on another stack (the system
// stack, a signal handler) is listed with its state but not unwound: both are said.
//
// Every read goes through `read`; allgs, each stack walk and each string are bounded.
#ifndef INQUEST_NATIVE_GO_CORE_H_
#define INQUEST_NATIVE_GO_CORE_H_

#include <elfutils/libdwfl.h>

#include <vector>

#include "native/core_file.h"
#include "native/python_core.h"
#include "native/runtime_stack.h"

namespace inquest {

inline constexpr size_t kMaxGoroutines = 1'000'000;
inline constexpr size_t kMaxGoFrames = 512;  // per goroutine

// The Go runtime's goroutines, or a view with runtime "" when the process is not a Go program
// (no runtime.allgs). `threads` gives the registers of running goroutines.
RuntimeView ReadGoView(Dwfl* dwfl, const std::vector<CoreThreadState>& threads,
                       const ReadMemoryFn& read);

}  // namespace inquest

#endif  // INQUEST_NATIVE_GO_CORE_H_
