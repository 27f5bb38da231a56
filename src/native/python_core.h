// CPython's view of a dead interpreter, from a core: every thread state of every interpreter,
// each with its Python frames (function, qualified name, file, line), the OS thread it ran on
// (native_thread_id, which joins the native stacks) and whether it held the GIL.
//
// The runtime is found by its symbols (`_PyRuntime`, and `Py_Version` for the exact release,
// else the module's name "python3.X" / "libpython3.X"), the structures are walked with the
// offsets of python_layouts.h, and lines come from each code object's line table (co_lnotab to
// 3.9, 3.10's co_linetable, the location table from 3.11). From 3.11, frames that are not yet
// running Python code (incomplete) and the C-stack shims of 3.12 on are skipped, as the
// interpreter's own tracebacks skip them. Before 3.11 a thread state has no native thread id:
// the LWP is left 0, and the join (runtime_join.h) finds it by the pthread id.
//
// Hostile input: every pointer is read through `read`, which fails outside the process's
// memory; every list is bounded and checked for cycles; strings and tables are capped. What a
// walk could not read is said in `problems` or the thread's `stopped`, never guessed.
//
//   RuntimeView v = ReadPythonView(dwfl, read);
//   v.threads[0].frames[0].function == "wait"; v.threads[0].lwp == 4242
#ifndef INQUEST_NATIVE_PYTHON_CORE_H_
#define INQUEST_NATIVE_PYTHON_CORE_H_

#include <elfutils/libdwfl.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "native/python_layouts.h"
#include "native/runtime_memory.h"
#include "stacks/runtime_stack.h"

namespace inquest {

inline constexpr size_t kMaxPythonInterpreters = 256;
inline constexpr size_t kMaxPythonThreads = 100'000;
inline constexpr size_t kMaxPythonFrames = 4096;       // per thread
inline constexpr size_t kMaxPythonStringBytes = 4096;  // a name or a file name
inline constexpr size_t kMaxPythonLineTable = 1 << 20;

// Where a process's CPython runtime is.
struct PythonRuntimeRef {
  uint64_t runtime = 0;                  // the address of _PyRuntime
  int major = 0, minor = 0, micro = -1;  // micro: -1 when only the module's name told
  std::string module;
};

// The CPython runtime among the modules `dwfl` reported, or nullopt when none defines
// _PyRuntime.
std::optional<PythonRuntimeRef> FindPythonRuntime(Dwfl* dwfl, const ReadMemoryFn& read);

// Walks the runtime at `runtime` with `layout`.
RuntimeView ReadPythonThreads(const PythonLayout& layout, uint64_t runtime,
                              const ReadMemoryFn& read);

// FindPythonRuntime, then ReadPythonThreads with the version's layout. `runtime` is "" when the
// process holds no CPython; `unreadable` says why a CPython's threads could not be read (a
// version with no layout).
RuntimeView ReadPythonView(Dwfl* dwfl, const ReadMemoryFn& read);

// The line of the instruction at byte offset `addr` of a code object whose location table is
// `table` (3.11+ format) and whose first line is `first_line`; 0 when the table gives none.
int PythonLineOf(std::string_view table, int first_line, int64_t addr);
// The same for 3.8 and 3.9's co_lnotab (CPython's PyCode_Addr2Line of those versions).
int PythonLineOfLnotab(std::string_view table, int first_line, int64_t addr);
// The same for 3.10's co_linetable; 0 for an instruction with no line.
int PythonLineOfLinetable310(std::string_view table, int first_line, int64_t addr);

}  // namespace inquest

#endif  // INQUEST_NATIVE_PYTHON_CORE_H_
