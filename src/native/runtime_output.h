// A RuntimeView rendered beside the native threads of `inquest core`: text and Markdown (threads
// with the same frames grouped, the GIL holder named) and a JSON value.
#ifndef INQUEST_NATIVE_RUNTIME_OUTPUT_H_
#define INQUEST_NATIVE_RUNTIME_OUTPUT_H_

#include <functional>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "native/core_report.h"
#include "stacks/runtime_stack.h"

namespace inquest {

// "Pool.take at /srv/app.py:14": a frame as the text shows it.
std::string RuntimeFrameWhere(const RuntimeFrame& f);

// The runtime thread that ran on OS thread `lwp`, or null.
const RuntimeThread* RuntimeThreadOn(const RuntimeView& view, int lwp);

// Threads with the same frames (function, file, line), the lock holder always alone. Indices
// into view.threads, first-seen order.
std::vector<std::vector<size_t>> GroupRuntimeThreads(const RuntimeView& view);

// Appends the view's section ("python: CPython 3.11.2 ...", "go: ...", "java: HotSpot ...", its
// problems and verdicts, and its thread groups; a goroutine with variables first); nothing when
// the core holds no runtime. Every string read from the core is made safe for a terminal.
void AppendRuntimeText(const RuntimeView& view, bool md, std::string* out);

// Writes the view as one JSON object (null when the core holds no runtime): runtime, version,
// module, build_id, layout, unreadable, problems, verdicts, and every thread with its id (Go:
// goid), lwp, state, holds_gil, stopped, created_by and frames (function, qualname, file, line,
// entry, native_frame, inlined, variables); a JVM's threads also name, daemon, tid, vm_state,
// last_java_sp and last_java_pc.
// `between` (when set) is called after each thread (a streaming caller takes the text so far).
void WriteRuntimeJson(const RuntimeView& view, JsonWriter& j,
                      const std::function<void()>& between = {});

}  // namespace inquest

#endif  // INQUEST_NATIVE_RUNTIME_OUTPUT_H_
