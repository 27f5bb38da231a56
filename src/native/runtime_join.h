// Joins a runtime's frames to the native stacks of the same threads: each run of a thread's
// runtime frames (up to and including an `entry` frame) was executed by one native frame of the
// interpreter loop, innermost run by innermost loop frame. The mixed stack a reader sees then
// has the Python frames where the C stack says `_PyEval_EvalFrameDefault`.
#ifndef INQUEST_NATIVE_RUNTIME_JOIN_H_
#define INQUEST_NATIVE_RUNTIME_JOIN_H_

#include <string_view>

#include "native/core_report.h"

namespace inquest {

// CPython's interpreter loop, the native frame runs of Python frames are joined to.
inline constexpr std::string_view kPythonEvalFunction = "_PyEval_EvalFrameDefault";

// Sets the LWP of a runtime thread that has none from its pthread id (the native thread whose
// thread pointer, fs base on x86-64, it is: glibc and musl), each runtime thread's activity
// from its native thread ("idle" in a blocking call, else
// "active"), and RuntimeFrame::native_frame for the threads of a CPython report.runtime whose
// LWP is a native thread of the report. Runs left over (more runs than loop
// frames: a native stack cut short, or a loop frame without symbols) stay -1 and are said in
// report.runtime.problems.
void JoinRuntimeFrames(CoreReport* report, std::string_view eval_function = kPythonEvalFunction);

}  // namespace inquest

#endif  // INQUEST_NATIVE_RUNTIME_JOIN_H_
