// Stack traces read out of log text: Java (with "Caused by:" chains and "Suppressed:" blocks),
// Python tracebacks (with "During handling of the above exception" and "The above exception
// was the direct cause" chains) and Go panics or stack dumps ("panic: ..." and a goroutine's
// frames, or a logger's "function\n\tfile.go:line" pairs), and the signature that groups
// them: the root cause's exception type plus the program's own top frames.
//
// The message is never part of the signature: it carries ids, amounts and names that differ
// in every occurrence of the same bug. Line numbers are: the same code location throws with
// the same line.
#ifndef INQUEST_TIMELINE_EXCEPTION_SIGNATURE_H_
#define INQUEST_TIMELINE_EXCEPTION_SIGNATURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "timeline/exception_frames.h"
#include "timeline/exception_lines.h"

namespace inquest {

// Own frames that make up a signature: the frame that threw and its caller. One frame would
// merge different bugs in a shared helper; more would split one bug by the many paths that
// reach it.
inline constexpr size_t kSignatureFrames = 2;
// Frames read per exception of a trace; deeper frames cannot change the signature.
inline constexpr size_t kMaxFramesPerException = 64;
// Exceptions read per chain; a longer chain is cut (its root is then the last one read).
inline constexpr size_t kMaxChainLength = 16;

// One exception of a chain as the trace wrote it.
struct TracedException {
  std::string type;     // "java.lang.NullPointerException", "KeyError", "panic: runtime error: …"
  std::string message;  // the first line of its message, as written
  std::vector<StackFrame> frames;  // innermost first, whatever order the runtime prints
};

struct ExceptionSignature {
  StackRuntime runtime = StackRuntime::kUnknown;
  std::string type;             // the root cause's type (see ParseStackTrace)
  std::string message;          // the root cause's message, first line, as written
  std::vector<StackFrame> top;  // up to kSignatureFrames own frames, innermost first
  bool library_only = false;    // no own frame: `top` holds the innermost frames instead
  std::string outer_type;       // the outermost exception's type when it is not the root
  size_t chain = 1;             // exceptions in the chain
  std::string key;              // runtime, type and top frames: the grouping key

  // "NullPointerException at OrderMapper.map:88", "KeyError at lookup (orders.py:42)".
  std::string Label() const;
  // The type without its package or module ("NullPointerException", "ConnectTimeout").
  std::string ShortType() const;
};

// Reads the stack trace in `text` (a log record's folded lines, a JSON field's value or a
// whole traceback file). `type_hint` names the exception when the trace itself does not (a
// JSON record's `exception.type` or `error.kind` field); `message_hint` stands in for the
// message then. The root cause is the signature: Java's last "Caused by:", Python's first
// traceback of a chain (the one the others were raised while handling, or from). Go panics
// take "panic: " plus the panic value's shape (digits and quoted text replaced) as their type.
// Returns nullopt when the text holds no stack frame. Never fails otherwise; bounded by the
// constants above whatever the input.
std::optional<ExceptionSignature> ParseStackTrace(std::string_view text,
                                                  std::string_view type_hint = {},
                                                  std::string_view message_hint = {});

// Whether a field value is a stack trace: multi-line text with at least two lines that are
// Java, Python or Go frames. Cheap enough to ask of every multi-line attribute.
bool LooksLikeStackTrace(std::string_view text);

// One traceback of a plain text file and the 1-based line it starts on.
struct TextTrace {
  std::string_view text;
  uint64_t line = 0;
};
// Tracebacks read from a whole file at most (a crash loop's stderr can hold thousands).
inline constexpr size_t kMaxFileTracebacks = 100000;

// Whether the start of a file is a Python traceback written as a file of its own (a
// process's captured stderr): a line "Traceback (most recent call last):" among the first.
bool LooksLikeTracebackFile(std::string_view head);

// The tracebacks of such a file: each "Traceback (most recent call last):" starts one unless
// it continues a chain ("During handling of the above exception..."); text between them is
// kept with the traceback before it. At most `max` are returned.
std::vector<TextTrace> SplitTracebacks(std::string_view text, size_t max = kMaxFileTracebacks);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_EXCEPTION_SIGNATURE_H_
