// Verdicts on a runtime's own view of a process (stacks/runtime_stack.h), read from a core by
// native/: the same grouping, wait sites and verdicts as `inquest dump` gives the runtime's
// text dumps, because the view is handed to that runtime's dump reader in the reader's own
// form (a goroutine dump for Go, a py-spy dump for CPython). One code path judges goroutines
// and threads whether they came from a core or from a dump, and native/ never includes dumps/.
//
//   Result<DumpAnalysis> a = AnalyzeRuntimeView(report.runtime, "core", options, "42: app");
//   a->verdicts[0].kind == "stuck-threads"
//
// A JVM's view has no frames of its own (they come from jhsdb, whose text dump the Java reader
// reads directly: analyze/jvm_frames.h); it is not handled here.
#ifndef INQUEST_DUMPS_RUNTIME_VIEW_H_
#define INQUEST_DUMPS_RUNTIME_VIEW_H_

#include <string>
#include <string_view>

#include "dumps/dump.h"
#include "stacks/runtime_stack.h"

namespace inquest {

// The view's verdicts and detail as its runtime's dump reader gives them; `process` is the
// "PID: command line" of the process. Unsupported for a runtime with no reader here (HotSpot),
// BadInput for a view without threads.
Result<DumpAnalysis> AnalyzeRuntimeView(const RuntimeView& view, std::string_view path,
                                        const DumpOptions& options, std::string_view process);

// The CPython view as `py-spy dump` writes it (a Process line, a Python line, then
// `Thread LWP (idle|active[+gil])` and `    function (file:line)` per frame): a thread is
// `active+gil` when it holds the GIL, else its native activity, else `unknown`. Empty when the
// view holds no thread.
std::string RuntimeViewAsPySpy(const RuntimeView& view, std::string_view process);

// The Go view as the runtime's own traceback writes it (`goroutine N [state]:`, each frame as
// `function(...)` then a tab, `file:line`, `created by function` likewise). Empty when the
// view holds no goroutine.
std::string RuntimeViewAsGoTraceback(const RuntimeView& view);

}  // namespace inquest

#endif  // INQUEST_DUMPS_RUNTIME_VIEW_H_
