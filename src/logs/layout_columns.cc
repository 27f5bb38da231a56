// Field tests of inferred layouts: by the shape of a value, never by a list of log families.
#include "logs/layout_columns.h"

#include <algorithm>

#include "base/strings.h"

namespace inquest {
namespace {

// Brackets deeper than this are not followed (a corrupt line of '[' must not cost more).
constexpr int kMaxBracketDepth = 8;
// Longest pid read from a column (a 64-bit pid has 20 digits).
constexpr size_t kMaxPidDigits = 20;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= kMaxPidDigits && std::all_of(s.begin(), s.end(), IsDigit);
}

}  // namespace

char BracketCloseOf(char c) {
  switch (c) {
    case '[':
      return ']';
    case '(':
      return ')';
    case '<':
      return '>';
    case '{':
      return '}';
    default:
      return 0;
  }
}

std::string_view NextField(std::string_view line, size_t* pos) {
  size_t i = *pos;
  while (i < line.size() && IsBlank(line[i])) ++i;
  size_t b = i;
  if (i < line.size() && BracketCloseOf(line[i])) {
    // A bracketed field runs to its matching bracket, spaces included, when it closes.
    char open = line[i], close = BracketCloseOf(open);
    int depth = 0;
    size_t j = i;
    for (; j < line.size(); ++j) {
      if (line[j] == open && ++depth > kMaxBracketDepth) break;
      if (line[j] == close && --depth == 0) break;
    }
    if (j < line.size() && depth == 0) {
      i = j + 1;
      while (i < line.size() && !IsBlank(line[i])) ++i;  // "[pid]:" keeps its tail
      *pos = i;
      return line.substr(b, i - b);
    }
  }
  while (i < line.size() && !IsBlank(line[i])) ++i;
  *pos = i;
  return line.substr(b, i - b);
}

bool NextDelimitedField(std::string_view line, size_t* pos, char delimiter, std::string_view* f) {
  size_t i = *pos;
  if (i > line.size() || (i == line.size() && (i == 0 || line[i - 1] != delimiter))) return false;
  size_t end = line.find(delimiter, i);
  size_t stop = end == std::string_view::npos ? line.size() : end;
  std::string_view s = line.substr(i, stop - i);
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  *f = s;
  *pos = end == std::string_view::npos ? line.size() + 1 : end + 1;
  return true;
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  for (;;) {
    std::string_view f = NextField(line, &pos);
    if (f.empty()) break;
    out.push_back(f);
  }
  return out;
}

std::string_view StripField(std::string_view f) {
  while (!f.empty() && (f.back() == ':' || f.back() == ',')) f.remove_suffix(1);
  if (f.size() >= 2 && BracketCloseOf(f.front()) && f.back() == BracketCloseOf(f.front()))
    f = f.substr(1, f.size() - 2);
  while (!f.empty() && IsBlank(f.front())) f.remove_prefix(1);
  while (!f.empty() && IsBlank(f.back())) f.remove_suffix(1);
  return f;
}

bool LevelOfField(std::string_view f, Level* level) {
  std::string_view s = StripField(f);
  if (size_t eq = s.find('='); eq != std::string_view::npos) s = s.substr(eq + 1);
  // Digits are never a level here: a column of small numbers is a pid or a thread id.
  if (s.empty() || !std::all_of(s.begin(), s.end(), IsAlpha)) return false;
  Level l = ParseLevel(s);
  if (l == Level::kUnknown) return false;
  *level = l;
  return true;
}

bool PidOfField(std::string_view f, std::string_view* pid) {
  std::string_view s = StripField(f);
  if (size_t eq = s.find_first_of("=:"); eq != std::string_view::npos) {
    std::string_view key = s.substr(0, eq);
    if (key != "pid" && key != "PID" && key != "process") return false;
    s = s.substr(eq + 1);
  }
  if (!AllDigits(s)) return false;
  *pid = s;
  return true;
}

bool ComponentOfField(std::string_view f, std::string_view* component, std::string_view* pid) {
  if (f.empty() || IsDigit(f.front())) return false;
  bool colon = f.back() == ':';
  std::string_view s = f;
  while (!s.empty() && s.back() == ':') s.remove_suffix(1);
  std::string_view found_pid;
  // "sshd[24200]:" / "kernel(12):": a name with its pid.
  if (s.size() > 2 && (s.back() == ']' || s.back() == ')')) {
    char open = s.back() == ']' ? '[' : '(';
    size_t o = s.rfind(open);
    if (o != std::string_view::npos && o > 0 && AllDigits(s.substr(o + 1, s.size() - o - 2))) {
      found_pid = s.substr(o + 1, s.size() - o - 2);
      s = s.substr(0, o);
      colon = true;
    }
  }
  bool bracketed =
      s.size() >= 2 && BracketCloseOf(s.front()) && s.back() == BracketCloseOf(s.front());
  if (bracketed) {
    s = StripField(s);
    Level l;
    if (s.empty() || LevelOfField(s, &l)) return false;
  } else if (!colon) {
    // A dotted name ("nova.compute.manager", "org.x.Y$Z"): letters first, a dot inside.
    if (!IsAlpha(s.front()) || s.find('.') == std::string_view::npos || s.back() == '.')
      return false;
    for (char c : s)
      if (!(IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '$' || c == '-')) return false;
  }
  if (s.empty() || !std::any_of(s.begin(), s.end(), IsAlpha)) return false;
  *component = s;
  *pid = found_pid;
  return true;
}

bool IsSeparatorField(std::string_view f) {
  return !f.empty() && f.size() <= 3 &&
         std::none_of(f.begin(), f.end(), [](char c) { return IsAlpha(c) || IsDigit(c); });
}

bool IsHostField(std::string_view f) {
  if (f.empty() || AllDigits(f) || f.back() == ':') return false;
  return std::all_of(f.begin(), f.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '.' || c == '-' || c == '_';
  });
}

bool IsDelimitedComponent(std::string_view f) {
  std::string_view s = StripField(f);
  return !s.empty() && std::any_of(s.begin(), s.end(), IsAlpha) &&
         std::none_of(s.begin(), s.end(), IsBlank);
}

bool FieldFits(ColumnKind kind, std::string_view literal, std::string_view f) {
  Level l;
  std::string_view a, b;
  switch (kind) {
    case ColumnKind::kSkip:
      return !f.empty();
    case ColumnKind::kSeparator:
      return f == literal;
    case ColumnKind::kLevel:
      return LevelOfField(f, &l);
    case ColumnKind::kPid:
      return PidOfField(f, &a);
    case ColumnKind::kHost:
      return IsHostField(f);
    case ColumnKind::kComponent:
      return ComponentOfField(f, &a, &b);
    case ColumnKind::kTime:
    case ColumnKind::kOtherTime:
      return false;
  }
  return false;
}

}  // namespace inquest
