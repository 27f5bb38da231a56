#include "dumps/python/python_dump.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "base/input_file.h"
#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

// Locals kept per frame: py-spy --locals can print hundreds; the first ones name the state.
constexpr size_t kMaxLocals = 32;
// Longest value kept for one local (reprs of big containers run to megabytes).
constexpr size_t kMaxLocalValue = 200;

// Values of locals can run long (reprs of big containers).
std::string Cut(std::string_view s) {
  if (s.size() <= kMaxLocalValue) return std::string(s);
  return std::string(s.substr(0, kMaxLocalValue)) + "...";
}

// A variable's value as kept: redacted before it is cut (base/output.h), hidden whole when its
// name says it is a secret.
std::string Value(std::string_view name, std::string_view value) {
  return Cut(RedactValueBeforeCut(name, value));
}

uint32_t ToLine(std::string_view digits) {
  std::optional<int64_t> n = ParseInt(digits);
  return n && *n >= 0 && *n <= UINT32_MAX ? static_cast<uint32_t>(*n) : 0;
}

size_t Indent(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// faulthandler: `Current thread 0x00007f... (most recent call first):`, `Thread 0x... [name]
// (most recent call first):` or `Stack (most recent call first):`.
bool ParseFaultHeader(std::string_view s, PyThread* t) {
  constexpr std::string_view kTail = "(most recent call first):";
  if (!s.ends_with(kTail)) return false;
  std::string_view head = TrimSpace(s.substr(0, s.size() - kTail.size()));
  if (head == "Stack") {
    t->current = true;
    return true;
  }
  if (head.starts_with("Current thread ")) {
    t->current = true;
    head = head.substr(15);
  } else if (head.starts_with("Thread ")) {
    head = head.substr(7);
  } else {
    return false;
  }
  size_t sp = head.find(' ');
  t->id = std::string(head.substr(0, sp));
  if (sp != std::string_view::npos) {
    std::string_view name = TrimSpace(head.substr(sp));
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']')
      name = name.substr(1, name.size() - 2);
    t->name = std::string(name);
  }
  return !t->id.empty();
}

// `  File "/app/x.py", line 12 in handler`
bool ParseFaultFrame(std::string_view s, PyFrame* f) {
  s = TrimSpace(s);
  if (!s.starts_with("File \"")) return false;
  size_t q = s.find("\", line ", 6);
  if (q == std::string_view::npos) return false;
  f->file = std::string(s.substr(6, q - 6));
  std::string_view rest = s.substr(q + 8);
  size_t in = rest.find(" in ");
  f->line = ToLine(rest.substr(0, in));
  if (in != std::string_view::npos) f->func = std::string(rest.substr(in + 4));
  return true;
}

// py-spy: `Thread 0x7F3C8A0A8740 (active+gil): "MainThread"` or `Thread 12345 (idle)`.
bool ParseSpyHeader(std::string_view s, PyThread* t) {
  if (!s.starts_with("Thread ")) return false;
  std::string_view rest = s.substr(7);
  size_t open = rest.find(" (");
  size_t close = rest.find(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return false;
  t->id = std::string(rest.substr(0, open));
  std::string_view status = rest.substr(open + 2, close - open - 2);
  for (std::string_view part : Split(status, '+')) {
    if (part == "active") t->active = true, t->status_known = true;
    if (part == "idle") t->status_known = true;
    if (part == "gil") t->gil = true;
  }
  std::string_view after = TrimSpace(rest.substr(close + 1));
  if (after.starts_with(":")) {
    after = TrimSpace(after.substr(1));
    if (after.size() >= 2 && after.front() == '"' && after.back() == '"')
      after = after.substr(1, after.size() - 2);
    t->name = std::string(after);
  }
  return true;
}

// py-spy: `    wait (threading.py:320)` or `    handler (/app/x.py:12)`.
bool ParseSpyFrame(std::string_view s, PyFrame* f) {
  s = TrimSpace(s);
  if (!s.ends_with(")")) return false;
  size_t open = s.rfind(" (");
  if (open == std::string_view::npos) return false;
  std::string_view loc = s.substr(open + 2, s.size() - open - 3);
  size_t colon = loc.rfind(':');
  f->func = std::string(s.substr(0, open));
  if (colon == std::string_view::npos) {
    f->file = std::string(loc);
  } else {
    f->file = std::string(loc.substr(0, colon));
    f->line = ToLine(loc.substr(colon + 1));
  }
  return true;
}

void ReadText(std::string_view bytes, PyDump* dump, DumpIssues* issues) {
  LineIterator it(bytes);
  std::string_view line;
  uint64_t no = 0;
  PyThread* cur = nullptr;
  bool in_locals = false;
  while (it.Next(&line)) {
    ++no;
    std::string_view s = TrimSpace(line);
    if (s.empty()) {
      if (dump->kind == PyDumpKind::kFaulthandler) cur = nullptr;
      continue;
    }
    PyThread t;
    if (ParseFaultHeader(s, &t)) {
      dump->kind = PyDumpKind::kFaulthandler;
      t.header_line = no;
      dump->threads.push_back(std::move(t));
      cur = &dump->threads.back();
      continue;
    }
    if (Indent(line) == 0 && ParseSpyHeader(s, &t)) {
      dump->kind = PyDumpKind::kPySpy;
      t.header_line = no;
      dump->threads.push_back(std::move(t));
      cur = &dump->threads.back();
      in_locals = false;
      continue;
    }
    if (s.starts_with("Fatal Python error: ")) {
      dump->fatal_error = std::string(s.substr(20));
      dump->fatal_line = no;
      continue;
    }
    if (s.starts_with("Timeout (") && s.ends_with(")!")) {
      dump->timeout = std::string(s.substr(9, s.size() - 11));
      dump->timeout_line = no;
      continue;
    }
    if (s.starts_with("Process ") && dump->threads.empty()) {
      dump->kind = PyDumpKind::kPySpy;
      dump->process = std::string(s.substr(8));
      continue;
    }
    if (s.starts_with("Python v") && dump->threads.empty()) {
      dump->python = std::string(s.substr(7));
      continue;
    }
    if (s.starts_with("Extension modules:") || s.starts_with("Garbage-collecting") ||
        s.starts_with("Python runtime state:"))
      continue;
    if (cur == nullptr) {
      if (!dump->threads.empty())
        issues->Add(no, "not part of a thread's stack, skipped: \"" +
                            SanitizeForTerminal(s.substr(0, 80)) + "\"");
      continue;
    }
    if (s == "...") {
      cur->truncated = true;
      continue;
    }
    if (s == "<no Python frame>") {
      cur->no_python_frame = true;
      continue;
    }
    PyFrame f;
    f.dump_line = no;
    if (dump->kind == PyDumpKind::kFaulthandler ? ParseFaultFrame(s, &f) : false) {
      cur->frames.push_back(std::move(f));
      continue;
    }
    if (dump->kind == PyDumpKind::kPySpy) {
      if (s == "Arguments:" || s == "Locals:") {
        in_locals = true;
        continue;
      }
      // Frames are indented 4, their locals 12 ("Arguments:"/"Locals:" 8).
      if (in_locals && Indent(line) > 8 && !cur->frames.empty()) {
        size_t colon = s.find(": ");
        PyFrame& last = cur->frames.back();
        if (last.locals.size() < kMaxLocals)
          last.locals.emplace_back(std::string(s.substr(0, colon)),
                                   colon == std::string_view::npos
                                       ? ""
                                       : Value(s.substr(0, colon), s.substr(colon + 2)));
        continue;
      }
      if (ParseSpyFrame(s, &f)) {
        in_locals = false;
        cur->frames.push_back(std::move(f));
        continue;
      }
    }
    issues->Add(no, "unreadable frame line, skipped: \"" + SanitizeForTerminal(s.substr(0, 80)) +
                        "\"" +
                        (it.line_offset() + line.size() >= bytes.size() ? " (cut off?)" : ""));
  }
}

void ReadJson(std::string_view bytes, PyDump* dump, DumpIssues* issues) {
  dump->kind = PyDumpKind::kPySpyJson;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(bytes);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc); err) {
    issues->Add(1, fmt::format("py-spy JSON does not parse: {}", simdjson::error_message(err)));
    return;
  }
  simdjson::dom::array threads;
  if (doc.get_array().get(threads)) {
    issues->Add(1, "py-spy JSON is not an array of threads");
    return;
  }
  size_t index = 0;
  for (simdjson::dom::element te : threads) {
    ++index;
    PyThread t;
    int64_t tid = 0;
    uint64_t utid = 0;
    if (!te["thread_id"].get_uint64().get(utid))
      t.id = fmt::format("{:#x}", utid);
    else if (!te["thread_id"].get_int64().get(tid))
      t.id = std::to_string(tid);
    std::string_view name;
    if (!te["thread_name"].get_string().get(name)) t.name = std::string(name);
    bool b = false;
    if (!te["active"].get_bool().get(b)) t.active = b, t.status_known = true;
    if (!te["owns_gil"].get_bool().get(b)) t.gil = b;
    simdjson::dom::array frames;
    if (te["frames"].get_array().get(frames)) {
      issues->Add(0, fmt::format("thread {} of the JSON has no frames array", index));
      continue;
    }
    for (simdjson::dom::element fe : frames) {
      PyFrame f;
      std::string_view s;
      if (!fe["name"].get_string().get(s)) f.func = std::string(s);
      if (!fe["filename"].get_string().get(s)) f.file = std::string(s);
      int64_t line = 0;
      if (!fe["line"].get_int64().get(line) && line > 0 && line <= UINT32_MAX)
        f.line = static_cast<uint32_t>(line);
      simdjson::dom::array locals;
      if (!fe["locals"].get_array().get(locals)) {
        for (simdjson::dom::element le : locals) {
          if (f.locals.size() >= kMaxLocals) break;
          std::string_view n, r;
          if (le["name"].get_string().get(n)) continue;
          if (le["repr"].get_string().get(r)) r = "";
          f.locals.emplace_back(std::string(n), Value(n, r));
        }
      }
      t.frames.push_back(std::move(f));
    }
    dump->threads.push_back(std::move(t));
  }
}

}  // namespace

std::string PyWhere(const PyFrame& f) {
  if (f.line == 0) return f.file;
  return fmt::format("{}:{}", f.file, f.line);
}

PyDump ReadPythonDump(std::string_view bytes, DumpIssues* issues) {
  PyDump dump;
  std::string_view t = TrimSpace(bytes);
  if (!t.empty() && t.front() == '[')
    ReadJson(bytes, &dump, issues);
  else
    ReadText(bytes, &dump, issues);
  for (const PyThread& th : dump.threads)
    if (th.frames.empty() && !th.no_python_frame)
      issues->Add(th.header_line, "thread " + th.id + " has no frames");
  return dump;
}

}  // namespace inquest
