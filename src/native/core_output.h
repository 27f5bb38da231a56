// A CoreReport rendered for people (text, Markdown) and programs (JSON). Text follows gdb's
// `thread apply all bt full` closely enough to be read the same way, with what gdb leaves out:
// module + offset, how each frame was found, the fault's meaning, the walk, grouped threads.
#ifndef INQUEST_NATIVE_CORE_OUTPUT_H_
#define INQUEST_NATIVE_CORE_OUTPUT_H_

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "base/output.h"
#include "native/core_report.h"

namespace inquest {

enum class CoreFormat : uint8_t { kText, kJson, kMd };

struct CoreRenderOptions {
  bool registers = true;  // frame-0 registers of the crashing thread
  bool modules = true;    // the module table
  bool color = false;     // ANSI colour (text only)
};

// Threads with the same frames (function, file, line, module offset; not variables), the
// crashing thread always alone. Indices into report.threads, first-seen order.
std::vector<std::vector<size_t>> GroupThreads(const CoreReport& report);

// The report passes the output boundary (base/output.h) as it is rendered: the text redacted as
// text, the JSON by the JSON writer (a variable's value also by its name).
Redacted RenderCore(const CoreReport& report, CoreFormat format, const CoreRenderOptions& options);

// Takes each piece of a document written in pieces.
using CorePartSink = std::function<void(const Redacted&)>;
// JSON is written to `out` in pieces of about this many bytes.
inline constexpr size_t kCoreJsonPiece = 1 << 20;

// RenderCore written to `out`; JSON in pieces as it is rendered (the same bytes), so the
// document is never held whole.
void EmitCore(const CoreReport& report, CoreFormat format, const CoreRenderOptions& options,
              std::FILE* out = stdout);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_OUTPUT_H_
