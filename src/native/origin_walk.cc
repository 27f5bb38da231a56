#include "native/origin_walk.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "base/strings.h"
#include "native/signal_info.h"

namespace inquest {
namespace {

// Source files larger than this are not read for the walk (generated code, amalgamations).
constexpr size_t kMaxSourceLines = 200000;
// Frames looked at for the victim: a null passed into libc (strlen(NULL)) faults a few frames
// below the code that passed it.
constexpr size_t kMaxVictimDepth = 8;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Positions where `name` occurs as a whole identifier in `line`.
std::vector<size_t> FindIdentifier(const std::string& line, const std::string& name) {
  std::vector<size_t> out;
  if (name.empty()) return out;
  for (size_t pos = line.find(name); pos != std::string::npos; pos = line.find(name, pos + 1)) {
    bool left = pos == 0 || !IsIdentChar(line[pos - 1]);
    bool right = pos + name.size() >= line.size() || !IsIdentChar(line[pos + name.size()]);
    if (left && right) out.push_back(pos);
  }
  return out;
}

// Splits "a, f(b, c), d" at top-level commas.
std::vector<std::string> SplitArgs(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '[' || s[i] == '{') ++depth;
    if (s[i] == ')' || s[i] == ']' || s[i] == '}') --depth;
    if (s[i] == ',' && depth == 0) {
      out.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::string last = Trim(s.substr(start));
  if (!last.empty() || !out.empty()) out.push_back(last);
  return out;
}

// For text starting at a call `callee(args...)`: the callee and its arguments.
bool ParseCall(std::string_view text, std::string* callee, std::vector<std::string>* args) {
  std::string t = Trim(text);
  // A leading cast: "(Account *)lookup(...)".
  if (!t.empty() && t[0] == '(') {
    size_t close = t.find(')');
    if (close == std::string::npos) return false;
    t = Trim(std::string_view(t).substr(close + 1));
  }
  size_t i = 0;
  while (i < t.size() && (IsIdentChar(t[i]) || t[i] == ':' || t[i] == '.' ||
                          (t[i] == '-' && i + 1 < t.size() && t[i + 1] == '>') ||
                          (t[i] == '>' && i > 0 && t[i - 1] == '-'))) {
    ++i;
  }
  if (i == 0 || i >= t.size() || t[i] != '(') return false;
  *callee = t.substr(0, i);
  int depth = 0;
  for (size_t j = i; j < t.size(); ++j) {
    if (t[j] == '(') ++depth;
    if (t[j] == ')' && --depth == 0) {
      *args = SplitArgs(std::string_view(t).substr(i + 1, j - i - 1));
      return true;
    }
  }
  *args = SplitArgs(std::string_view(t).substr(i + 1));
  return true;
}

// "ns::Account::lookup(int)" -> "lookup".
std::string ShortName(const std::string& function) {
  std::string s = function.substr(0, function.find('('));
  size_t colons = s.rfind("::");
  return colons == std::string::npos ? s : s.substr(colons + 2);
}

std::string Where(const CoreFrame& f, int line = 0) {
  return fmt::format("{} ({}:{})", f.function.empty() ? "??" : ShortName(f.function),
                     Basename(f.file), line != 0 ? line : f.line);
}

std::vector<std::string> ReadSource(const std::string& file,
                                    const std::vector<std::string>& source_dirs) {
  std::vector<std::string> candidates = {file};
  for (const std::string& dir : source_dirs) {
    candidates.push_back(dir + "/" + Basename(file));
    candidates.push_back(dir + "/" + file);
  }
  for (const std::string& path : candidates) {
    std::ifstream in(path);
    if (!in) continue;
    std::vector<std::string> lines;
    std::string line;
    while (lines.size() < kMaxSourceLines && std::getline(in, line)) lines.push_back(line);
    return lines;
  }
  return {};
}

const CoreVariable* FindVar(const CoreFrame& f, const std::string& name) {
  for (const CoreVariable& v : f.variables) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

bool IsNullish(const CoreVariable& v, uint64_t fault) {
  return v.available && v.is_pointer && v.raw <= fault && fault - v.raw < kNullPageLimit;
}

// An argument expression's value from the frame's variables: "id" -> "99812",
// "e->account_id" -> "99812"; the expression itself when it cannot be evaluated.
std::string EvaluateArg(const CoreFrame& f, const std::string& arg) {
  std::string base = arg, member;
  size_t arrow = arg.find("->");
  size_t dot = arg.find('.');
  if (arrow != std::string::npos) {
    base = Trim(arg.substr(0, arrow));
    member = Trim(arg.substr(arrow + 2));
  } else if (dot != std::string::npos && !arg.empty() && !std::isdigit(arg[0])) {
    base = Trim(arg.substr(0, dot));
    member = Trim(arg.substr(dot + 1));
  }
  const CoreVariable* v = FindVar(f, base);
  if (v == nullptr || !v->available) return arg;
  if (member.empty()) return v->value;
  for (const auto& [name, value] : v->members) {
    if (name == member) return value;
  }
  return arg;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

}  // namespace

SourceAssignment FindAssignment(const std::vector<std::string>& lines, const std::string& name,
                                int from, int to) {
  SourceAssignment found;
  from = std::max(from, 1);
  to = std::min<int>(to, static_cast<int>(lines.size()));
  for (int ln = from; ln <= to; ++ln) {
    const std::string& line = lines[ln - 1];
    for (size_t pos : FindIdentifier(line, name)) {
      // Not a member (`x.acct = `, `x->acct = `).
      size_t before = line.find_last_not_of(" \t", pos == 0 ? 0 : pos - 1);
      if (pos > 0 && before != std::string::npos &&
          (line[before] == '.' || (line[before] == '>' && before > 0 && line[before - 1] == '-'))) {
        continue;
      }
      // Not a dereference (`*p = 10`): a `*` before the name belongs to a declaration only when
      // a type name stands before it (`int *p = 0`).
      if (pos > 0 && before != std::string::npos && line[before] == '*') {
        size_t type_end =
            before == 0 ? std::string::npos : line.find_last_not_of(" \t*", before - 1);
        if (type_end == std::string::npos || !IsIdentChar(line[type_end])) continue;
      }
      size_t eq = line.find_first_not_of(" \t", pos + name.size());
      if (eq == std::string::npos || line[eq] != '=' ||
          (eq + 1 < line.size() && line[eq + 1] == '=')) {
        continue;
      }
      std::string rhs = line.substr(eq + 1);
      // A statement over several lines: join until the semicolon.
      for (int next = ln; rhs.find(';') == std::string::npos && next < to && next < ln + 4;
           ++next) {
        rhs += " " + lines[next];
      }
      rhs = Trim(rhs.substr(0, rhs.find(';')));
      found = {};
      found.line = ln;
      found.expr = rhs;
      ParseCall(rhs, &found.callee, &found.args);
    }
  }
  return found;
}

int FindNullCheck(const std::vector<std::string>& lines, const std::string& name, int from,
                  int to) {
  from = std::max(from, 1);
  to = std::min<int>(to, static_cast<int>(lines.size()));
  for (int ln = from; ln <= to; ++ln) {
    std::string s;
    for (char c : lines[ln - 1]) {
      if (c != ' ' && c != '\t') s += c;
    }
    for (const std::string& pattern :
         {"!" + name, name + "==NULL", name + "!=NULL", "NULL==" + name, "NULL!=" + name,
          name + "==nullptr", name + "!=nullptr", name + "==0", name + "!=0", "if(" + name + ")",
          "if(" + name + "&&", "assert(" + name, "&&" + name + ")", "||" + name + ")"}) {
      size_t at = s.find(pattern);
      if (at == std::string::npos) continue;
      size_t end = at + pattern.size();
      bool ends_ident = IsIdentChar(pattern.back());
      if (ends_ident && end < s.size() && IsIdentChar(s[end])) continue;
      bool starts_ident = IsIdentChar(pattern.front());
      if (starts_ident && at > 0 && IsIdentChar(s[at - 1])) continue;
      return ln;
    }
  }
  return 0;
}

CoreWalk WalkToOrigin(const CoreReport& report, const std::vector<std::string>& source_dirs) {
  CoreWalk walk;
  // Older kernels wrote no NT_SIGINFO: the fault address is then unknown, and the walk runs
  // only when a crashing frame holds a null pointer.
  const bool address_known = report.has_fault_address;
  if (report.threads.empty() || !report.threads[0].crashing ||
      (address_known && report.fault_address >= kNullPageLimit) ||
      (report.signo != SIGSEGV && report.signo != SIGBUS)) {
    return walk;
  }
  walk.attempted = address_known;
  const uint64_t fault = address_known ? report.fault_address : kNullPageLimit - 1;
  const std::vector<CoreFrame>& frames = report.threads[0].frames;

  // The victim: the first frame with source and a null-ish pointer variable, preferring one
  // that the faulting line names.
  size_t victim = frames.size();
  const CoreVariable* bad = nullptr;
  for (size_t i = 0; i < frames.size() && i < kMaxVictimDepth && bad == nullptr; ++i) {
    const CoreFrame& f = frames[i];
    if (f.file.empty()) continue;
    std::vector<std::string> src = ReadSource(f.file, source_dirs);
    std::string line =
        f.line > 0 && f.line <= static_cast<int>(src.size()) ? src[f.line - 1] : std::string();
    for (const CoreVariable& v : f.variables) {
      if (!IsNullish(v, fault)) continue;
      if (bad == nullptr || (!line.empty() && !FindIdentifier(line, v.name).empty() &&
                             FindIdentifier(line, bad->name).empty())) {
        bad = &v;
        victim = i;
      }
    }
  }
  if (bad == nullptr && !address_known) return walk;
  walk.attempted = true;
  if (bad == nullptr) {
    walk.summary = fmt::format(
        "the fault at {:#x} is a null pointer{}, but no pointer variable of the crashing frames "
        "holds it: the value was in a register the debug information does not describe (an "
        "optimized build, or no debug information)",
        fault, fault != 0 ? fmt::format(" plus offset {}", fault) : "");
    return walk;
  }
  const std::string victim_text =
      fmt::format("{}={} in {}", bad->name, bad->value, Where(frames[victim]));
  walk.steps.push_back(fmt::format(
      "{} was used at {}:{}: {}", bad->name, Basename(frames[victim].file), frames[victim].line,
      address_known ? report.fault_meaning
                    : "the core records no fault address (no NT_SIGINFO); " + bad->name +
                          " is the null pointer of the crashing frame"));
  size_t at = victim;
  const CoreVariable* var = bad;
  while (var->parameter) {
    if (at + 1 >= frames.size() || frames[at + 1].file.empty()) {
      walk.summary = victim_text + fmt::format(
                                       " was passed in as a parameter by a caller without "
                                       "debug information; the origin cannot be shown");
      return walk;
    }
    const CoreFrame& callee = frames[at];
    const CoreFrame& caller = frames[at + 1];
    int index = 0;
    for (const CoreVariable& v : callee.variables) {
      if (&v == var) break;
      if (v.parameter) ++index;
    }
    std::vector<std::string> src = ReadSource(caller.file, source_dirs);
    std::string arg;
    if (caller.line > 0 && caller.line <= static_cast<int>(src.size())) {
      const std::string& line = src[caller.line - 1];
      std::string name = ShortName(callee.function);
      for (size_t pos : FindIdentifier(line, name)) {
        std::string fn;
        std::vector<std::string> args;
        if (ParseCall(std::string_view(line).substr(pos), &fn, &args) &&
            index < static_cast<int>(args.size())) {
          arg = args[index];
          break;
        }
      }
    }
    const CoreVariable* next = nullptr;
    if (!arg.empty()) {
      next = FindVar(caller, arg);
      std::string callee_name;
      std::vector<std::string> call_args;
      if (next == nullptr && ParseCall(arg, &callee_name, &call_args)) {
        std::vector<std::string> values;
        for (const std::string& a : call_args) values.push_back(EvaluateArg(caller, a));
        walk.concluded = true;
        walk.summary =
            fmt::format("{} came from {}({}) in {}, whose return value was passed on unchecked",
                        victim_text, callee_name, Join(values), Where(caller));
        return walk;
      }
      if (next == nullptr && (arg == "NULL" || arg == "nullptr" || arg == "0")) {
        walk.concluded = true;
        walk.summary = fmt::format("{} came from {}, which passed {} literally", victim_text,
                                   Where(caller), arg);
        return walk;
      }
    } else {
      // No source: a pointer of the caller with the same name and value.
      next = FindVar(caller, var->name);
      if (next != nullptr && (!next->available || next->raw != var->raw)) next = nullptr;
    }
    if (next == nullptr || !IsNullish(*next, fault)) {
      walk.summary = victim_text + fmt::format(
                                       " was passed by {}{}; which of its values that was "
                                       "cannot be told from the core",
                                       Where(caller), arg.empty() ? "" : " as `" + arg + "`");
      return walk;
    }
    walk.steps.push_back(fmt::format("{} is a parameter of {}: {} passed {}={}", var->name,
                                     ShortName(callee.function), Where(caller), next->name,
                                     next->value));
    var = next;
    ++at;
  }
  const CoreFrame& origin = frames[at];
  std::vector<std::string> src = ReadSource(origin.file, source_dirs);
  if (src.empty()) {
    walk.summary = victim_text + fmt::format(
                                     " is a local of {}; its source {} is not available, so "
                                     "where it was assigned cannot be shown",
                                     Where(origin), Basename(origin.file));
    return walk;
  }
  int from = var->decl_line > 0 ? var->decl_line : 1;
  // In the victim's own frame the faulting line uses the value; it did not produce it.
  int to = at == victim ? origin.line - 1 : origin.line;
  SourceAssignment assign = FindAssignment(src, var->name, from, to);
  if (assign.line == 0) {
    walk.concluded = var->decl_line > 0;
    walk.summary = fmt::format(
        "{} came from {}, where {} was declared at line {} and left "
        "unset before line {}",
        victim_text, Where(origin), var->name, var->decl_line, origin.line);
    return walk;
  }
  walk.concluded = true;
  int check = FindNullCheck(src, var->name, assign.line + 1, origin.line);
  if (!assign.callee.empty()) {
    std::vector<std::string> values;
    for (const std::string& a : assign.args) values.push_back(EvaluateArg(origin, a));
    walk.summary = fmt::format("{} came from {}({}) in {}, which returned NULL{}", victim_text,
                               assign.callee, Join(values), Where(origin, assign.line),
                               check == 0 ? " unchecked"
                                          : fmt::format("; the check at line {} did not stop "
                                                        "it reaching line {}",
                                                        check, origin.line));
  } else {
    walk.summary =
        fmt::format("{} came from `{} = {}` in {}{}", victim_text, var->name, assign.expr,
                    Where(origin, assign.line), check == 0 ? ", not checked before use" : "");
  }
  return walk;
}

}  // namespace inquest
