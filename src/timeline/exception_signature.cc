// A one-pass, line-by-line reader of Java, Python and Go traces in any text, and the
// signature of the root cause.
#include "timeline/exception_signature.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace inquest {
namespace {

// Lines of a field value looked at to decide whether it is a stack trace.
constexpr size_t kSignatureProbeLines = 64;
// Frame lines that make a field value a stack trace: one could be a path in a message.
constexpr int kProbeMinFrames = 2;

struct Reader {
  StackRuntime runtime = StackRuntime::kUnknown;
  std::vector<TracedException> parts;
  std::vector<StackRuntime> part_runtime;
  bool java_open = false;       // the last part takes Java frames
  bool python_open = false;     // inside a traceback's frames
  size_t python_indent = 0;     // the "Traceback" line's indentation
  size_t python_first = 0;      // index of the current traceback's first frame
  bool go_closed = false;       // the last Go part's goroutine has ended
  long suppressed_indent = -1;  // inside a "Suppressed:" block deeper than this
  std::string_view prev;        // the previous non-empty line, trimmed
  std::string_view go_function;

  TracedException* Open(StackRuntime r) {
    if (parts.size() >= kMaxChainLength) return nullptr;
    if (runtime == StackRuntime::kUnknown) runtime = r;
    parts.emplace_back();
    part_runtime.push_back(r);
    return &parts.back();
  }
  void AddFrame(StackFrame f) {
    if (parts.empty() || parts.back().frames.size() >= kMaxFramesPerException) return;
    parts.back().frames.push_back(std::move(f));
  }
  void ClosePython() {
    if (!python_open || parts.empty()) return;
    // Tracebacks list the innermost frame last.
    auto& fr = parts.back().frames;
    std::reverse(fr.begin() + static_cast<long>(std::min(python_first, fr.size())), fr.end());
    python_open = false;
  }

  void Line(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = TrimSpace(line);
    if (t.empty()) {
      go_function = {};
      return;
    }
    size_t indent = TraceLineIndent(line);
    if (suppressed_indent >= 0) {
      // A suppressed exception's frames are deeper, and its causes at its own indentation.
      long in = static_cast<long>(indent);
      if (in > suppressed_indent || (in == suppressed_indent && t.starts_with("Caused by:")))
        return;
      suppressed_indent = -1;
    }
    Step(line, t, indent);
    prev = t;
  }

  void Step(std::string_view line, std::string_view t, size_t indent) {
    StackFrame f;
    if (t.starts_with("Suppressed:")) {
      suppressed_indent = static_cast<long>(indent);
      java_open = false;
      return;
    }
    if (t.starts_with("Caused by:")) {
      if (TracedException* p = Open(StackRuntime::kJava))
        ParseExceptionHeader(t, &p->type, &p->message);
      java_open = !parts.empty() && part_runtime.back() == StackRuntime::kJava;
      return;
    }
    if (t.starts_with("...") && t.ends_with("more")) return;
    if (ParseJavaFrameLine(t, &f)) {
      if (!java_open) {
        TracedException* p = Open(StackRuntime::kJava);
        java_open = p != nullptr;
        if (p && !prev.empty()) ParseExceptionHeader(prev, &p->type, &p->message);
      }
      if (java_open) AddFrame(std::move(f));
      return;
    }
    java_open = false;
    if (t.starts_with("Traceback (most recent call last)")) {
      ClosePython();
      if (Open(StackRuntime::kPython)) {
        python_open = true;
        python_indent = indent;
        python_first = 0;
      }
      return;
    }
    if (IsTraceChainSeparator(t)) return;
    if (python_open) {
      if (ParsePythonFrameLine(t, &f)) {
        AddFrame(std::move(f));
      } else if (indent <= python_indent) {
        // The exception line ends the traceback: "KeyError: 'sku-1'" or "StopIteration".
        std::string_view head = t.substr(0, t.find(": "));
        if (IsQualifiedTypeName(head)) {
          parts.back().type = std::string(head);
          if (head.size() < t.size())
            parts.back().message = std::string(TrimSpace(t.substr(head.size() + 1)));
        }
        ClosePython();
      }
      return;  // source lines and "^^^^" markers
    }
    for (std::string_view p : {"panic: ", "fatal error: "}) {
      if (!t.starts_with(p)) continue;
      std::string_view value = t.substr(p.size());
      if (value.ends_with(" [recovered]")) value.remove_suffix(12);
      if (TracedException* e = Open(StackRuntime::kGo)) {
        e->type = std::string(p) + MessageShape(value);
        e->message = std::string(value);
        go_closed = false;
      }
      return;
    }
    if (t.starts_with("goroutine ") && t.ends_with(":")) {
      if (!parts.empty() && part_runtime.back() == StackRuntime::kGo &&
          !parts.back().frames.empty())
        go_closed = true;
      go_function = {};
      return;
    }
    if (t.starts_with("created by ")) {
      go_closed = true;
      go_function = {};
      return;
    }
    std::string file;
    int ln = 0;
    if (indent > 0 && !go_function.empty() && ParseGoFrameFileLine(t, &file, &ln)) {
      if (parts.empty() || part_runtime.back() != StackRuntime::kGo) {
        if (!Open(StackRuntime::kGo)) return;
        go_closed = false;
      }
      if (!go_closed) AddFrame({std::string(go_function), std::move(file), ln, false});
      go_function = {};
      return;
    }
    (void)line;
    go_function = GoFrameFunction(t);
  }
};

}  // namespace

std::string ExceptionSignature::ShortType() const {
  if (runtime == StackRuntime::kGo || type.find(' ') != std::string::npos) return type;
  size_t dot = type.rfind('.');
  return dot == std::string::npos ? type : type.substr(dot + 1);
}

std::string ExceptionSignature::Label() const {
  if (top.empty()) return ShortType();
  return fmt::format("{} at {}", ShortType(), FrameLabel(runtime, top.front()));
}

std::optional<ExceptionSignature> ParseStackTrace(std::string_view text, std::string_view type_hint,
                                                  std::string_view message_hint) {
  Reader r;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    r.Line(text.substr(pos, end - pos));
    pos = end + 1;
  }
  r.ClosePython();
  // Parts without frames (a "Caused by:" cut off, a panic line with no goroutine) still name
  // the type; a trace with no frame at all is not one.
  size_t frames = 0;
  for (const TracedException& p : r.parts) frames += p.frames.size();
  if (frames == 0) return std::nullopt;

  ExceptionSignature s;
  s.runtime = r.runtime;
  s.chain = r.parts.size();
  // The root cause: Python prints the chain oldest first, Java and Go newest first.
  const bool oldest_first = r.runtime == StackRuntime::kPython;
  size_t root = oldest_first ? 0 : r.parts.size() - 1;
  size_t outer = oldest_first ? r.parts.size() - 1 : 0;
  const TracedException& rp = r.parts[root];
  s.type = rp.type;
  s.message = std::string(TraceFirstLine(rp.message));
  if (s.type.empty() && !type_hint.empty()) s.type = std::string(TraceFirstLine(type_hint));
  if (s.message.empty()) s.message = std::string(TraceFirstLine(message_hint));
  if (s.type.empty())
    s.type = s.message.empty() ? std::string("exception")
                               : "\"" + MessageShape(TraceFirstLine(s.message)) + "\"";
  if (s.type.size() > kMaxTypeChars) s.type.resize(kMaxTypeChars);
  s.type = SanitizeUtf8(s.type);
  if (outer != root && !r.parts[outer].type.empty()) s.outer_type = r.parts[outer].type;

  // Own frames from the root outwards: a cause whose own frames were elided ("... 12 more")
  // shares them with the exception that wrapped it.
  for (size_t step = 0; step < r.parts.size() && s.top.empty(); ++step) {
    size_t k = oldest_first ? root + step : root - step;
    StackRuntime rt = r.part_runtime[k];
    for (const StackFrame& f : r.parts[k].frames) {
      if (IsLibraryFrame(rt, f.function, f.file)) continue;
      s.top.push_back(f);
      s.top.back().own = true;
      if (s.top.size() == kSignatureFrames) break;
    }
  }
  if (s.top.empty()) {
    s.library_only = true;
    for (size_t k = 0; k < r.parts.size() && s.top.empty(); ++k) {
      const TracedException& p = r.parts[oldest_first ? root + k : root - k];
      for (size_t i = 0; i < p.frames.size() && i < kSignatureFrames; ++i)
        s.top.push_back(p.frames[i]);
    }
  }
  s.key = fmt::format("{}|{}", StackRuntimeName(s.runtime), s.type);
  for (const StackFrame& f : s.top) s.key += "|" + FrameKey(f);
  return s;
}

bool LooksLikeStackTrace(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return false;
  int frames = 0;
  size_t pos = 0;
  std::string file;
  int line;
  StackFrame f;
  for (size_t n = 0; n < kSignatureProbeLines && pos < text.size(); ++n) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view raw = text.substr(pos, end - pos);
    std::string_view t = TrimSpace(raw);
    pos = end + 1;
    if (ParseJavaFrameLine(t, &f) || ParsePythonFrameLine(t, &f) ||
        (TraceLineIndent(raw) > 0 && ParseGoFrameFileLine(t, &file, &line)))
      if (++frames >= kProbeMinFrames) return true;
  }
  return false;
}

bool LooksLikeTracebackFile(std::string_view head) {
  constexpr std::string_view kStart = "Traceback (most recent call last):";
  size_t at = head.find(kStart);
  return at != std::string_view::npos && (at == 0 || head[at - 1] == '\n');
}

std::vector<TextTrace> SplitTracebacks(std::string_view text, size_t max) {
  std::vector<TextTrace> out;
  size_t pos = 0, start = std::string_view::npos;
  uint64_t line_no = 0, start_line = 0;
  bool after_separator = false;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    std::string_view t = TrimSpace(line);
    ++line_no;
    if (t.starts_with("Traceback (most recent call last)") && !after_separator) {
      if (start != std::string_view::npos) {
        out.push_back({text.substr(start, pos - start), start_line});
        if (out.size() >= max) return out;
      }
      start = pos;
      start_line = line_no;
    }
    if (!t.empty()) after_separator = IsTraceChainSeparator(t);
    pos = end + 1;
  }
  if (start != std::string_view::npos && out.size() < max)
    out.push_back({text.substr(start), start_line});
  return out;
}

}  // namespace inquest
