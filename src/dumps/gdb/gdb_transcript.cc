#include "dumps/gdb/gdb_transcript.h"

#include "base/input_file.h"
#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

// Locals kept per frame, and the longest value kept (bt full prints whole arrays).
constexpr size_t kMaxLocals = 64;
constexpr size_t kMaxValueBytes = 300;

size_t Indent(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// Values of arguments and locals can run to megabytes (a buffer printed whole).
std::string Cut(std::string_view s) {
  if (s.size() <= kMaxValueBytes) return std::string(s);
  return std::string(s.substr(0, kMaxValueBytes)) + "...";
}

// A variable's value as kept: redacted before it is cut (base/output.h), hidden whole when its
// name says it is a secret.
std::string Value(std::string_view name, std::string_view value) {
  return Cut(RedactValueBeforeCut(name, value));
}

// "sig=sig@entry=6" prints the value as "sig@entry=6": keep "6".
std::string_view StripEntry(std::string_view v) {
  size_t at = v.find("@entry=");
  if (at != std::string_view::npos &&
      v.substr(0, at).find_first_of(" {\"'") == std::string_view::npos)
    return v.substr(at + 7);
  return v;
}

// The index of the ')' that closes the '(' at `open`, skipping quoted text and nesting; npos
// when the text ends first.
size_t MatchParen(std::string_view s, size_t open) {
  int depth = 0;
  char quote = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '(' || c == '{' || c == '[')
      ++depth;
    else if (c == ')' || c == '}' || c == ']') {
      if (--depth == 0) return c == ')' ? i : std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

std::vector<GdbVar> SplitArgs(std::string_view s) {
  std::vector<GdbVar> out;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  auto emit = [&](size_t end) {
    std::string_view a = TrimSpace(s.substr(start, end - start));
    if (a.empty()) return;
    size_t eq = a.find('=');
    if (eq == std::string_view::npos)
      out.push_back({std::string(a), ""});
    else
      out.push_back({std::string(TrimSpace(a.substr(0, eq))),
                     Value(TrimSpace(a.substr(0, eq)), StripEntry(TrimSpace(a.substr(eq + 1))))});
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '(' || c == '{' || c == '[' || c == '<')
      ++depth;
    else if ((c == ')' || c == '}' || c == ']' || c == '>') && depth > 0)
      --depth;
    else if (c == ',' && depth == 0) {
      emit(i);
      start = i + 1;
    }
  }
  emit(s.size());
  return out;
}

bool IsFrameStart(std::string_view s) {
  return s.size() > 2 && s[0] == '#' && s[1] >= '0' && s[1] <= '9';
}

// "Thread 1 (Thread 0xb774d880 (LWP 1073)):" / "Thread 2 (LWP 12):"
bool ParseThreadHeader(std::string_view s, GdbThread* t) {
  if (!s.starts_with("Thread ") || !s.ends_with(":")) return false;
  std::string_view rest = s.substr(7);
  size_t sp = rest.find(' ');
  std::optional<int64_t> n = ParseInt(rest.substr(0, sp));
  if (!n || *n < 0 || *n > UINT32_MAX || sp == std::string_view::npos) return false;
  t->number = static_cast<uint32_t>(*n);
  std::string_view desc = TrimSpace(rest.substr(sp, rest.size() - sp - 1));
  if (desc.size() >= 2 && desc.front() == '(' && desc.back() == ')')
    desc = desc.substr(1, desc.size() - 2);
  t->description = std::string(desc);
  return true;
}

}  // namespace

bool ParseGdbFrame(std::string_view text, GdbFrame* f) {
  if (!IsFrameStart(text)) return false;
  size_t i = 1;
  uint64_t level = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && level < UINT32_MAX)
    level = level * 10 + static_cast<uint64_t>(text[i++] - '0');
  f->level = static_cast<uint32_t>(level);
  std::string_view s = TrimSpace(text.substr(i));
  if (s.starts_with("<signal handler called>")) {
    f->signal_handler = true;
    f->func = "<signal handler called>";
    return true;
  }
  if (s.starts_with("0x")) {
    size_t in = s.find(" in ");
    if (in == std::string_view::npos) {
      // "#5  0x0000000000000000 in ?? ()" always has " in "; without it only the address.
      f->address = std::string(s.substr(0, s.find(' ')));
      return true;
    }
    f->address = std::string(s.substr(0, in));
    s = s.substr(in + 4);
  }
  // The function ends at the " (" that opens its arguments; C++ templates hold spaces only
  // inside angle brackets.
  int angle = 0;
  size_t open = std::string_view::npos;
  for (size_t k = 0; k + 1 < s.size(); ++k) {
    if (s[k] == '<')
      ++angle;
    else if (s[k] == '>' && angle > 0)
      --angle;
    else if (angle == 0 && s[k] == ' ' && s[k + 1] == '(') {
      open = k + 1;
      break;
    }
  }
  std::string_view rest;
  if (open == std::string_view::npos) {
    size_t sp = s.find(' ');
    f->func = std::string(s.substr(0, sp));
    rest = sp == std::string_view::npos ? std::string_view() : s.substr(sp);
  } else {
    f->func = std::string(s.substr(0, open - 1));
    size_t close = MatchParen(s, open);
    if (close == std::string_view::npos) {
      f->args = SplitArgs(s.substr(open + 1));
      return true;  // cut off inside the arguments: keep what there is
    }
    f->args = SplitArgs(s.substr(open + 1, close - open - 1));
    rest = s.substr(close + 1);
  }
  rest = TrimSpace(rest);
  if (rest.starts_with("at ")) {
    std::string_view loc = TrimSpace(rest.substr(3));
    size_t colon = loc.rfind(':');
    std::optional<int64_t> line =
        colon == std::string_view::npos ? std::nullopt : ParseInt(loc.substr(colon + 1));
    if (line && *line >= 0 && *line <= UINT32_MAX) {
      f->file = std::string(loc.substr(0, colon));
      f->line = static_cast<uint32_t>(*line);
    } else {
      f->file = std::string(loc);
    }
  } else if (rest.starts_with("from ")) {
    f->library = std::string(TrimSpace(rest.substr(5)));
  }
  return true;
}

const GdbThread* GdbTranscript::CrashedThread() const {
  if (threads.empty()) return nullptr;
  for (const GdbThread& t : threads)
    for (const GdbFrame& f : t.frames)
      if (f.signal_handler) return &t;
  if (has_current)
    for (const GdbThread& t : threads)
      if (!t.frames.empty() && t.frames[0].address == current.address &&
          t.frames[0].func == current.func)
        return &t;
  return &threads.front();
}

GdbTranscript ReadGdbTranscript(std::string_view bytes, DumpIssues* issues) {
  GdbTranscript out;
  std::vector<std::string_view> lines;
  {
    LineIterator it(bytes);
    std::string_view l;
    while (it.Next(&l)) lines.push_back(l);
  }
  GdbThread* thread = nullptr;
  GdbFrame* frame = nullptr;
  bool in_thread_header_gap = false;  // after "Program terminated": a lone "#0" is gdb's own
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view s = TrimSpace(line);
    uint64_t no = i + 1;
    if (s.empty()) continue;
    if (s.starts_with("Program terminated with signal ") ||
        s.starts_with("Program received signal ")) {
      size_t w = s.find("signal ");
      out.signal = std::string(TrimSpace(s.substr(w + 7)));
      if (!out.signal.empty() && out.signal.back() == '.') out.signal.pop_back();
      out.signal_line = no;
      in_thread_header_gap = true;
      thread = nullptr;
      frame = nullptr;
      continue;
    }
    if (s.starts_with("Core was generated by ")) {
      out.command = std::string(s.substr(22));
      out.command_line = no;
      continue;
    }
    GdbThread header;
    if (Indent(line) == 0 && ParseThreadHeader(s, &header)) {
      header.header_line = no;
      out.threads.push_back(std::move(header));
      thread = &out.threads.back();
      frame = nullptr;
      in_thread_header_gap = false;
      continue;
    }
    if (IsFrameStart(s) && Indent(line) == 0) {
      // gdb wraps long frames: continuation lines are indented 4 and come right after.
      std::string text(s);
      while (i + 1 < lines.size() && Indent(lines[i + 1]) == 4 &&
             !IsFrameStart(TrimSpace(lines[i + 1])) &&
             TrimSpace(lines[i + 1]).find(" = ") == std::string_view::npos &&
             !TrimSpace(lines[i + 1]).starts_with("in ")) {
        text += ' ';
        text += TrimSpace(lines[++i]);
      }
      GdbFrame f;
      f.dump_line = no;
      if (!ParseGdbFrame(text, &f)) {
        issues->Add(no, "unreadable frame line: \"" + SanitizeForTerminal(s.substr(0, 80)) + "\"");
        continue;
      }
      if (in_thread_header_gap && f.level == 0 && thread == nullptr) {
        // The frame gdb prints after the signal line; the threads follow (or, in a lone `bt`,
        // this starts the only stack: kept as such if no thread header comes).
        out.current = f;
        out.has_current = true;
      }
      if (thread == nullptr || (f.level == 0 && !thread->frames.empty())) {
        GdbThread implicit;
        implicit.header_line = no;
        out.threads.push_back(std::move(implicit));
        thread = &out.threads.back();
      } else if (!thread->frames.empty() && f.level != thread->frames.back().level + 1) {
        issues->Add(no, "frame #" + std::to_string(f.level) + " follows #" +
                            std::to_string(thread->frames.back().level) + " (frames missing)");
      }
      thread->frames.push_back(std::move(f));
      frame = &thread->frames.back();
      continue;
    }
    if (frame != nullptr && Indent(line) >= 8) {
      size_t eq = s.find(" = ");
      if (eq != std::string_view::npos) {
        frame->has_locals_block = true;
        if (frame->locals.size() < kMaxLocals)
          frame->locals.push_back(
              {std::string(s.substr(0, eq)), Value(s.substr(0, eq), s.substr(eq + 3))});
      } else if (!frame->locals.empty()) {
        GdbVar& var = frame->locals.back();  // a value gdb wrapped: redacted again whole
        if (var.value.size() < kMaxValueBytes && var.value != kRedacted)
          var.value = Value(var.name, var.value + " " + std::string(s));
      }
      continue;
    }
    if (frame != nullptr && (s == "No locals." || s == "No symbol table info available.")) {
      frame->has_locals_block = true;
      continue;
    }
    // Everything else in a transcript is gdb talking ("[New LWP 1073]", source lines, "in
    // file.c", "Using host libthread_db..."): not part of a stack, not an error.
    if (thread != nullptr && s.starts_with("#")) issues->Add(no, "unreadable line in a stack");
  }
  // gdb's lone frame after the signal line, when full stacks follow, is not a thread of its own.
  if (out.has_current && out.threads.size() > 1 && out.threads.front().number == 0 &&
      out.threads.front().frames.size() == 1)
    out.threads.erase(out.threads.begin());
  return out;
}

}  // namespace inquest
