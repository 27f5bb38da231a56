// Recognisers for the single lines of Java, Python and Go traces.
#include "timeline/exception_lines.h"

#include <cctype>

#include "base/strings.h"

namespace inquest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int ParseLineNo(std::string_view s) {
  int n = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]) && n < 100000000; ++i) n = n * 10 + (s[i] - '0');
  return i ? n : 0;
}

// Names that end like a throwable's: the hint used when a type sits inside a longer line.
constexpr std::string_view kThrowableSuffixes[] = {"Exception", "Error",   "Throwable", "Fault",
                                                   "Failure",   "Timeout", "Interrupt"};

bool EndsLikeThrowable(std::string_view name) {
  for (std::string_view s : kThrowableSuffixes)
    if (name.ends_with(s)) return true;
  return false;
}

}  // namespace

size_t TraceLineIndent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  return i;
}

// "com.acme.Foo$Bar", "ValueError", "requests.exceptions.ConnectTimeout".
bool IsQualifiedTypeName(std::string_view s) {
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

std::string_view TraceFirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  s = nl == std::string_view::npos ? s : s.substr(0, nl);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return TrimSpace(s);
}

// The type and message of an exception header: "java.lang.IllegalStateException: boom",
// "Caused by: x.Y", "Exception in thread \"main\" x.Y: z", or a log line that names the type
// somewhere ("... request failed: java.sql.SQLException: timeout").
bool ParseExceptionHeader(std::string_view t, std::string* type, std::string* message) {
  for (std::string_view p : {"Caused by:", "Suppressed:"})
    if (t.starts_with(p)) t = TrimSpace(t.substr(p.size()));
  if (t.starts_with("Exception in thread \"")) {
    size_t q = t.find('"', 21);
    if (q != std::string_view::npos) t = TrimSpace(t.substr(q + 1));
  }
  size_t colon = t.find(": ");
  std::string_view head = colon == std::string_view::npos ? t : t.substr(0, colon);
  if (!head.empty() && head.back() == ':') head.remove_suffix(1);
  if (IsQualifiedTypeName(head) &&
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
    if (IsQualifiedTypeName(tok) && EndsLikeThrowable(tok)) {
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
bool ParseJavaFrameLine(std::string_view t, StackFrame* f) {
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
bool ParsePythonFrameLine(std::string_view t, StackFrame* f) {
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
bool ParseGoFrameFileLine(std::string_view t, std::string* file, int* line) {
  std::string_view tok = t.substr(0, t.find(' '));
  size_t go = tok.rfind(".go:");
  if (go == std::string_view::npos || go + 4 >= tok.size() || !IsDigit(tok[go + 4])) return false;
  *file = std::string(tok.substr(0, go + 3));
  *line = ParseLineNo(tok.substr(go + 4));
  return true;
}

// "main.(*Mapper).Map(0x0, {0xc0, 0x3})" -> "main.(*Mapper).Map"; empty when the line is not
// a Go function.
std::string_view GoFrameFunction(std::string_view t) {
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

bool IsTraceChainSeparator(std::string_view t) {
  return t.starts_with("During handling of the above exception") ||
         t.starts_with("The above exception was the direct cause");
}

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

}  // namespace inquest
