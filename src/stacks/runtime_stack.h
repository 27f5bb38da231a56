// A runtime's own view of a process: its threads (or goroutines) with their frames as the
// runtime names them (a Python function, file and line; a Go function; a Java method), their
// states and creators. The runtime-neutral model that cores and text dumps meet in: produced
// from a core by the runtime readers of native/ (python_core.h, go_core.h, jvm_core.h), judged
// by the dump readers of dumps/ (dumps/runtime_view.h), which never see a core. Plain data.
#ifndef INQUEST_STACKS_RUNTIME_STACK_H_
#define INQUEST_STACKS_RUNTIME_STACK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "stacks/core_variable.h"

namespace inquest {

struct RuntimeFrame {
  std::string function;  // the code's name ("handle")
  std::string qualname;  // with its class or enclosing function ("Server.handle"); may be ""
  std::string file;
  int line = 0;          // 0: unknown (no location for the instruction)
  bool inlined = false;  // a call the compiler inlined into the next frame (same native frame)
  // The outermost frame of one call of the runtime's interpreter loop (CPython's
  // _PyEval_EvalFrameDefault): the frames from one entry (exclusive) to the next (inclusive)
  // were run by one native frame of that function.
  bool entry = false;
  // The index of that native frame in the thread of the same LWP (JoinRuntimeFrames); -1 when
  // not joined.
  int native_frame = -1;
  // Parameters then locals, from the binary's DWARF (Go, for the goroutine asked for with
  // --goroutine); empty when not asked for or not described.
  std::vector<CoreVariable> variables;
};

struct RuntimeThread {
  uint64_t id = 0;      // the runtime's id (Python: the pthread id faulthandler prints; Go: goid;
                        // Java: the thread's id, "#12" in jstack)
  std::string name;     // Java: the thread's name; "" when the runtime names none
  uint64_t handle = 0;  // the runtime's own record of the thread (Java: the JavaThread*, jstack's
                        // "tid"); 0 when not kept
  int lwp = 0;          // the OS thread (joins the native thread of the same tid); 0: unknown
  bool holds_lock = false;  // holds the runtime's global lock (Python: the GIL)
  // The runtime's words for what it is doing (Go: "running", "runnable", "syscall", or the
  // wait reason: "sync.Mutex.Lock", "chan receive"); "" when the runtime keeps none.
  std::string state;
  // More on the state (Java: the VM's own state of the thread, "_thread_blocked", and where its
  // last Java frame is); "" when none.
  std::string detail;
  // What its native thread is doing, from the innermost native frames: "idle" (blocked in a
  // wait, a sleep, a read), "active", or "" (no native stack joined).
  std::string activity;
  bool daemon = false;
  // Java: the anchor of the thread's last Java frame (JavaFrameAnchor: where its Java frames
  // start on the native stack, set when it left Java code); 0 when none.
  uint64_t last_java_sp = 0, last_java_pc = 0;
  std::vector<RuntimeFrame> frames;  // innermost first
  RuntimeFrame created_by;           // Go: the go statement that started it ("" when unknown)
  std::string stopped;               // why the walk ended early ("" when it reached the end)
};

struct RuntimeView {
  std::string
      runtime;  // "CPython", "Go", "HotSpot"; "" when the core holds no runtime inquest reads
  std::string version;   // "3.11.2"
  std::string module;    // where the runtime's data was found ("/usr/bin/python3.11")
  std::string build_id;  // that module's GNU build-id (hex), "" when it has none
  std::string layout;    // the source of the offsets used
  // Why the threads could not be read at all ("" when they were): an unknown version, a
  // structure outside the core.
  std::string unreadable;
  std::vector<RuntimeThread> threads;
  std::vector<std::string> problems;  // lists cut short, frames skipped, with the reason
  // What a reader of the runtime's own thread dump concluded ("CRITICAL deadlock: ..."), added
  // after the walk (a JVM's, from jhsdb's dump); not part of the core record.
  std::vector<std::string> verdicts;
};

}  // namespace inquest

#endif  // INQUEST_STACKS_RUNTIME_STACK_H_
