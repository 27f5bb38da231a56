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
constexpr size_t kProbeLines = 64;
// Frame lines that make a field value a stack trace: one could be a path in a message.
constexpr int kProbeMinFrames = 2;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t IndentOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  return i;
}

int ParseLineNo(std::string_view s) {
  int n = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]) && n < 100000000; ++i) n = n * 10 + (s[i] - '0');
  return i ? n : 0;
}

// "com.acme.Foo$Bar", "ValueError", "requests.exceptions.ConnectTimeout".
bool IsQualifiedName(std::string_view s) {
  if (s.empty() || s.size() > kMaxTypeChars) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  char prev = 0;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return s.back() != '.';
}

// Names that end like a throwable's: the hint used when a type sits inside a longer line.
constexpr std::string_view kThrowableSuffixes[] = {"Exception", "Error",   "Throwable", "Fault",
                                                   "Failure",   "Timeout", "Interrupt"};

bool EndsLikeThrowable(std::string_view name) {
  for (std::string_view s : kThrowableSuffixes)
    if (name.ends_with(s)) return true;
  return false;
}

std::string_view FirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  s = nl == std::string_view::npos ? s : s.substr(0, nl);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return TrimSpace(s);
}

// The type and message of an exception header: "java.lang.IllegalStateException: boom",
// "Caused by: x.Y", "Exception in thread \"main\" x.Y: z", or a log line that names the type
// somewhere ("... request failed: java.sql.SQLException: timeout").
bool ParseHeader(std::string_view t, std::string* type, std::string* message) {
  for (std::string_view p : {"Caused by:", "Suppressed:"})
    if (t.starts_with(p)) t = TrimSpace(t.substr(p.size()));
  if (t.starts_with("Exception in thread \"")) {
    size_t q = t.find('"', 21);
    if (q != std::string_view::npos) t = TrimSpace(t.substr(q + 1));
  }
  size_t colon = t.find(": ");
  std::string_view head = colon == std::string_view::npos ? t : t.substr(0, colon);
  if (!head.empty() && head.back() == ':') head.remove_suffix(1);
  if (IsQualifiedName(head) &&
      (head.find('.') != std::string_view::npos || EndsLikeThrowable(head))) {
    *type = std::string(head);
    *message = colon == std::string_view::npos ? "" : std::string(TrimSpace(t.substr(colon + 2)));
    return true;
  }
  // A type inside a longer line: the first qualified name that ends like a throwable.
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && IsSpace(t[i])) ++i;
    size_t j = i;
    while (j < t.size() && !IsSpace(t[j])) ++j;
    std::string_view tok = t.substr(i, j - i);
    while (!tok.empty() && (tok.back() == ':' || tok.back() == ',')) tok.remove_suffix(1);
    if (IsQualifiedName(tok) && EndsLikeThrowable(tok)) {
      *type = std::string(tok);
      std::string_view rest = t.substr(std::min(t.size(), i + tok.size()));
      if (rest.starts_with(':')) rest.remove_prefix(1);
      *message = std::string(TrimSpace(rest));
      return true;
    }
    i = j;
  }
  return false;
}

// "at com.acme.Foo.bar(Foo.java:88)", "at java.base/java.lang.Thread.run(Thread.java:833)",
// "at app//com.acme.Foo.bar(Foo.java:88) ~[app.jar:?]", "at Foo.bar(Native Method)".
bool ParseJavaFrame(std::string_view t, StackFrame* f) {
  if (!t.starts_with("at ")) return false;
  std::string_view rest = TrimSpace(t.substr(3));
  size_t open = rest.find('(');
  if (open == std::string_view::npos || open == 0) return false;
  std::string_view fn = rest.substr(0, open);
  size_t slash = fn.rfind('/');
  if (slash != std::string_view::npos) fn = fn.substr(slash + 1);
  if (fn.empty() || fn.find(' ') != std::string_view::npos) return false;
  size_t close = rest.find(')', open);
  std::string_view loc = rest.substr(
      open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
  f->function = std::string(fn);
  size_t colon = loc.rfind(':');
  if (colon != std::string_view::npos) {
    f->file = std::string(loc.substr(0, colon));
    f->line = ParseLineNo(loc.substr(colon + 1));
  } else {
    f->file = std::string(loc);
    f->line = 0;
  }
  return true;
}

// `File "/app/orders/mapper.py", line 88, in map`.
bool ParsePythonFrame(std::string_view t, StackFrame* f) {
  if (!t.starts_with("File \"")) return false;
  size_t q = t.find('"', 6);
  if (q == std::string_view::npos) return false;
  f->file = std::string(t.substr(6, q - 6));
  std::string_view rest = t.substr(q + 1);
  size_t ln = rest.find("line ");
  f->line = ln == std::string_view::npos ? 0 : ParseLineNo(rest.substr(ln + 5));
  size_t in = rest.find(", in ");
  f->function = in == std::string_view::npos ? "?" : std::string(TrimSpace(rest.substr(in + 5)));
  return true;
}

// "/app/mapper.go:88 +0x1d" -> file and line.
bool ParseGoFileLine(std::string_view t, std::string* file, int* line) {
  std::string_view tok = t.substr(0, t.find(' '));
  size_t go = tok.rfind(".go:");
  if (go == std::string_view::npos || go + 4 >= tok.size() || !IsDigit(tok[go + 4])) return false;
  *file = std::string(tok.substr(0, go + 3));
  *line = ParseLineNo(tok.substr(go + 4));
  return true;
}

// "main.(*Mapper).Map(0x0, {0xc0, 0x3})" -> "main.(*Mapper).Map"; empty when the line is not
// a Go function.
std::string_view GoFunction(std::string_view t) {
  if (t.ends_with(')')) {
    int depth = 0;
    for (size_t i = t.size(); i-- > 0;) {
      if (t[i] == ')') ++depth;
      if (t[i] == '(' && --depth == 0) {
        t = t.substr(0, i);
        break;
      }
    }
  }
  if (t.empty() || t.find(' ') != std::string_view::npos || t.find('.') == std::string_view::npos)
    return {};
  return t;
}

bool IsChainSeparator(std::string_view t) {
  return t.starts_with("During handling of the above exception") ||
         t.starts_with("The above exception was the direct cause");
}

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
    size_t indent = IndentOf(line);
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
      if (TracedException* p = Open(StackRuntime::kJava)) ParseHeader(t, &p->type, &p->message);
      java_open = !parts.empty() && part_runtime.back() == StackRuntime::kJava;
      return;
    }
    if (t.starts_with("...") && t.ends_with("more")) return;
    if (ParseJavaFrame(t, &f)) {
      if (!java_open) {
        TracedException* p = Open(StackRuntime::kJava);
        java_open = p != nullptr;
        if (p && !prev.empty()) ParseHeader(prev, &p->type, &p->message);
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
    if (IsChainSeparator(t)) return;
    if (python_open) {
      if (ParsePythonFrame(t, &f)) {
        AddFrame(std::move(f));
      } else if (indent <= python_indent) {
        // The exception line ends the traceback: "KeyError: 'sku-1'" or "StopIteration".
        std::string_view head = t.substr(0, t.find(": "));
        if (IsQualifiedName(head)) {
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
    if (indent > 0 && !go_function.empty() && ParseGoFileLine(t, &file, &ln)) {
      if (parts.empty() || part_runtime.back() != StackRuntime::kGo) {
        if (!Open(StackRuntime::kGo)) return;
        go_closed = false;
      }
      if (!go_closed) AddFrame({std::string(go_function), std::move(file), ln, false});
      go_function = {};
      return;
    }
    (void)line;
    go_function = GoFunction(t);
  }
};

}  // namespace

std::string MessageShape(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < kMaxTypeChars) {
    char c = text[i];
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t close = text.find(c, i + 1);
      if (close != std::string_view::npos) {
        out += "\"…\"";
        i = close + 1;
        continue;
      }
    }
    size_t j = i;
    bool digit = false;
    while (j < text.size() && !IsSpace(text[j])) digit |= IsDigit(text[j++]);
    if (digit) {
      // Keep the brackets and punctuation around it ("[5]" -> "[#]", "id=42:" -> "#:").
      size_t a = i, z = j;
      while (a < z && (text[a] == '(' || text[a] == '[' || text[a] == '{'))
        out.push_back(text[a++]);
      while (z > a && std::string_view(")]}:,;").find(text[z - 1]) != std::string_view::npos) --z;
      out.push_back('#');
      out.append(text.substr(z, j - z));
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxTypeChars) out.resize(kMaxTypeChars);
  return SanitizeUtf8(out);
}

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
  s.message = std::string(FirstLine(rp.message));
  if (s.type.empty() && !type_hint.empty()) s.type = std::string(FirstLine(type_hint));
  if (s.message.empty()) s.message = std::string(FirstLine(message_hint));
  if (s.type.empty())
    s.type = s.message.empty() ? std::string("exception")
                               : "\"" + MessageShape(FirstLine(s.message)) + "\"";
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
  for (size_t n = 0; n < kProbeLines && pos < text.size(); ++n) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view raw = text.substr(pos, end - pos);
    std::string_view t = TrimSpace(raw);
    pos = end + 1;
    if (ParseJavaFrame(t, &f) || ParsePythonFrame(t, &f) ||
        (IndentOf(raw) > 0 && ParseGoFileLine(t, &file, &line)))
      if (++frames >= kProbeMinFrames) return true;
  }
  return false;
}

}  // namespace inquest

namespace inquest {

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
    if (!t.empty()) after_separator = IsChainSeparator(t);
    pos = end + 1;
  }
  if (start != std::string_view::npos && out.size() < max)
    out.push_back({text.substr(start), start_line});
  return out;
}

}  // namespace inquest
