// A CoreReport rendered for people (text, Markdown) and programs (JSON). Text follows gdb's
// `thread apply all bt full` closely enough to be read the same way, with what gdb leaves out:
// module + offset, how each frame was found, the fault's meaning, the walk, grouped threads.
#ifndef INQUEST_NATIVE_CORE_OUTPUT_H_
#define INQUEST_NATIVE_CORE_OUTPUT_H_

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

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_OUTPUT_H_
