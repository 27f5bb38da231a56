#include "dumps/go/goroutine_parser.h"

#include <cstring>
#include <string>

namespace inquest {
namespace {

// Goroutine ids below this are tracked to report duplicates (one bit each: 8 MiB at most);
// larger ids are not checked. Real processes rarely pass a few million goroutines.
constexpr uint64_t kMaxTrackedId = uint64_t{1} << 26;
// Text of a bad line quoted in a diagnostic, at most.
constexpr size_t kQuoteBytes = 80;

constexpr std::string_view kElided = "...additional frames elided...";
constexpr std::string_view kCreatedBy = "created by ";
constexpr std::string_view kOriginating = "[originating from goroutine ";
constexpr std::string_view kUnavailable = "goroutine running on other thread; stack unavailable";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  return s.substr(i);
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Digits at the start of s as a number (saturating); *used gets how many were read.
uint64_t LeadingNumber(std::string_view s, size_t* used) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (UINT64_MAX - 9) / 10) v = UINT64_MAX / 10;  // saturate instead of wrapping
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  *used = i;
  return v;
}

std::string Quote(std::string_view s) {
  std::string q = "\"";
  for (char c : s.substr(0, kQuoteBytes)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || u >= 0x80)
      q += '?';  // keep diagnostics printable whatever the bytes were
    else
      q += c;
  }
  if (s.size() > kQuoteBytes) q += "...";
  return q + "\"";
}

// A register line of a SIGQUIT / crash dump ("rax    0x0", "r8     0xc000"), or "PC=0x... m=0".
bool IsRegisterLine(std::string_view s) {
  if (s.starts_with("PC=")) return true;
  size_t i = 0;
  while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) ++i;
  if (i == 0 || i > 6) return false;
  std::string_view rest = TrimLeft(s.substr(i));
  return rest.size() != s.size() - i && rest.starts_with("0x");
}

}  // namespace

bool ParseGoroutineHeader(std::string_view line, Goroutine* g) {
  constexpr std::string_view kPrefix = "goroutine ";
  if (!line.starts_with(kPrefix)) return false;
  std::string_view rest = line.substr(kPrefix.size());
  size_t used = 0;
  uint64_t id = LeadingNumber(rest, &used);
  if (used == 0) return false;
  rest = rest.substr(used);
  // Go 1.22+ may put "gp=0x... m=N mp=0x..." between the id and the state.
  size_t open = rest.find('[');
  if (open == std::string_view::npos || !rest.ends_with("]:")) return false;
  if (rest.empty() || rest[0] != ' ') return false;
  std::string_view inside = rest.substr(open + 1, rest.size() - open - 3);
  g->id = id;
  size_t comma = inside.find(", ");
  g->state = inside.substr(0, comma);
  while (comma != std::string_view::npos) {
    inside = inside.substr(comma + 2);
    comma = inside.find(", ");
    std::string_view part = inside.substr(0, comma);
    if (part == "locked to thread") {
      g->locked_to_thread = true;
    } else if (part.ends_with(" minutes")) {
      size_t n = 0;
      uint64_t minutes = LeadingNumber(part, &n);
      if (n > 0) g->wait_minutes = static_cast<uint32_t>(std::min<uint64_t>(minutes, UINT32_MAX));
    }
  }
  return true;
}

bool ParseGoCall(std::string_view line, std::string_view* func, std::string_view* args) {
  if (line.size() < 3 || line.back() != ')') return false;
  // Arguments never hold parentheses (Go prints values as hex words, "{...}", "?" and "..."),
  // while function names do ("(*T).Run"): the last '(' opens the argument list.
  size_t open = line.rfind('(');
  if (open == std::string_view::npos || open == 0) return false;
  std::string_view f = line.substr(0, open);
  if (f.find(' ') != std::string_view::npos || f.find('\t') != std::string_view::npos) return false;
  *func = f;
  *args = line.substr(open + 1, line.size() - open - 2);
  return true;
}

bool ParseGoFileLine(std::string_view line, std::string_view* file, uint32_t* line_no) {
  std::string_view s = TrimLeft(line);
  // Drop " +0x1d" and GOTRACEBACK=system's " fp=0x... sp=0x... pc=0x...".
  if (size_t plus = s.find(" +0x"); plus != std::string_view::npos) s = s.substr(0, plus);
  if (size_t fp = s.find(" fp="); fp != std::string_view::npos) s = s.substr(0, fp);
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view digits = s.substr(colon + 1);
  if (!AllDigits(digits) || digits.size() > 9) return false;
  size_t used = 0;
  *line_no = static_cast<uint32_t>(LeadingNumber(digits, &used));
  *file = s.substr(0, colon);
  return true;
}

GoroutineParser::GoroutineParser(std::string_view bytes, DumpIssues* issues)
    : bytes_(bytes), issues_(issues) {}

bool GoroutineParser::NextLine(std::string_view* line) {
  if (pushed_back_) {
    pushed_back_ = false;
    *line = line_;
    return true;
  }
  if (pos_ >= bytes_.size()) return false;
  const char* start = bytes_.data() + pos_;
  const void* nl = memchr(start, '\n', bytes_.size() - pos_);
  size_t len =
      nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : bytes_.size() - pos_;
  pos_ += len + (nl ? 1 : 0);
  ++line_no_;
  std::string_view l(start, len);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  line_ = l;
  *line = l;
  return true;
}

void GoroutineParser::NoteId(uint64_t id) {
  if (id >= kMaxTrackedId) return;
  if (seen_ids_.size() <= id) seen_ids_.resize(std::max<size_t>(id + 1, seen_ids_.size() * 2));
  if (seen_ids_[id])
    ++duplicate_ids_;
  else
    seen_ids_[id] = true;
}

bool GoroutineParser::ReadPreambleLine(std::string_view line) {
  auto note_start = [&] { ++preamble_.dumps; };
  if (line.starts_with("panic: ")) {
    if (preamble_.panic.empty()) {
      preamble_.panic = TrimRight(line.substr(7));
      preamble_.panic_line = line_no_;
    }
    note_start();
    return true;
  }
  if (line.starts_with("fatal error: ")) {
    if (preamble_.fatal_error.empty()) {
      preamble_.fatal_error = TrimRight(line.substr(13));
      preamble_.fatal_line = line_no_;
    }
    // A panic is followed by "fatal error: ..." only for runtime errors: one dump, not two.
    if (preamble_.panic.empty()) note_start();
    return true;
  }
  if (line.starts_with("[signal ") || line.starts_with("SIGQUIT: ") ||
      line.starts_with("SIGABRT: ") || line.starts_with("SIGSEGV: ") ||
      line.starts_with("SIGBUS: ") || line.starts_with("SIGTRAP: ")) {
    if (preamble_.signal.empty()) {
      preamble_.signal = TrimRight(line);
      preamble_.signal_line = line_no_;
    }
    if (line[0] != '[') note_start();
    return true;
  }
  if (line.starts_with("goroutine profile: total ")) {
    size_t used = 0;
    preamble_.profile_total += LeadingNumber(line.substr(25), &used);
    preamble_.counted = true;
    note_start();
    return true;
  }
  return false;
}

void GoroutineParser::SkipToBlank() {
  std::string_view line;
  while (NextLine(&line)) {
    if (TrimRight(line).empty()) return;
    if (line.starts_with("goroutine ")) {
      PushBack();
      return;
    }
  }
}

void GoroutineParser::CutOff(uint64_t line, std::string_view text, std::string message) {
  issues_->Add(line, std::move(message));
  cut_off_ = true;
  cut_line_ = std::min(line, line_no_);  // the last line there is
  cut_text_ = text;
}

bool GoroutineParser::Next(Goroutine* g) {
  g->Clear();
  std::string_view line;
  while (NextLine(&line)) {
    std::string_view t = TrimRight(line);
    if (t.empty()) continue;
    if (t.starts_with("goroutine ") && t.back() == ':') {
      if (!ParseGoroutineHeader(t, g)) {
        issues_->Add(line_no_, "malformed goroutine header " + Quote(t));
        SkipToBlank();
        continue;
      }
      g->header_line = line_no_;
      if (!seen_goroutine_ && preamble_.dumps == 0) preamble_.dumps = 1;
      seen_goroutine_ = true;
      NoteId(g->id);
      ReadStack(g);
      return true;
    }
    // debug=1: "1000 @ 0x43a8f6 0x4069ef ...".
    if (t[0] >= '0' && t[0] <= '9') {
      size_t used = 0;
      uint64_t n = LeadingNumber(t, &used);
      if (t.substr(used).starts_with(" @ ")) {
        g->count = n;
        g->header_line = line_no_;
        if (preamble_.dumps == 0) preamble_.dumps = 1;
        seen_goroutine_ = true;
        preamble_.counted = true;
        ReadCounted(g);
        return true;
      }
    }
    if (ReadPreambleLine(t)) continue;
    // Before the first goroutine anything goes (log lines ahead of a panic); after it, only
    // the register dump and the exit line of a crash belong to the dump.
    if (!seen_goroutine_) continue;
    if (IsRegisterLine(t) || t.starts_with("exit status ") || t[0] == '\t' || t[0] == ' ') continue;
    if (pos_ >= bytes_.size() && bytes_.back() != '\n')
      CutOff(line_no_, t, "the dump ends mid-line " + Quote(t) + " (cut off)");
    else
      issues_->Add(line_no_, "not part of a goroutine dump, skipped: " + Quote(t));
  }
  return false;
}

void GoroutineParser::ReadStack(Goroutine* g) {
  std::string_view line;
  bool in_ancestor = false;
  bool any_line = false;
  while (NextLine(&line)) {
    std::string_view t = TrimRight(line);
    if (t.empty()) break;
    std::string_view s = TrimLeft(t);
    if (s.starts_with("goroutine ") && s.back() == ':') {  // no blank line before the next one
      PushBack();
      break;
    }
    any_line = true;
    if (s == kElided) {
      g->frames_elided = true;
      continue;
    }
    if (s.starts_with(kOriginating)) {
      size_t used = 0;
      uint64_t id = LeadingNumber(s.substr(kOriginating.size()), &used);
      if (used > 0) g->ancestors.push_back(id);
      in_ancestor = true;
      continue;
    }
    if (s == kUnavailable) continue;
    if (in_ancestor) continue;  // the ancestors' frames are not this goroutine's stack
    GoFrame frame;
    frame.dump_line = line_no_;
    bool created_by = s.starts_with(kCreatedBy);
    if (created_by) {
      std::string_view what = s.substr(kCreatedBy.size());
      if (size_t in = what.find(" in goroutine "); in != std::string_view::npos) {
        size_t used = 0;
        g->created_in = LeadingNumber(what.substr(in + 14), &used);
        what = what.substr(0, in);
      }
      frame.func = what;
    } else if (!ParseGoCall(s, &frame.func, &frame.args)) {
      bool cut = pos_ >= bytes_.size() && !bytes_.empty() && bytes_.back() != '\n';
      if (cut)
        CutOff(line_no_, s, "the dump ends mid-line " + Quote(s) + " (cut off)");
      else
        issues_->Add(line_no_, "invalid function call " + Quote(s) + " in goroutine " +
                                   std::to_string(g->id));
      g->incomplete = true;
      SkipToBlank();
      return;
    }
    // The file:line line that belongs to the call.
    std::string_view file_line;
    bool have = NextLine(&file_line);
    std::string_view ft = have ? TrimRight(file_line) : std::string_view();
    if (!have || !ParseGoFileLine(ft, &frame.file, &frame.line)) {
      bool cut = have && pos_ >= bytes_.size() && !bytes_.empty() && bytes_.back() != '\n';
      if (!have)
        CutOff(line_no_ + 1, s,
               "the dump ends after " + Quote(s) + " without its file:line (cut off)");
      else if (cut)
        CutOff(line_no_, ft, "the dump ends mid-line " + Quote(ft) + " (cut off)");
      else
        issues_->Add(line_no_, "invalid file:line reference " + Quote(ft) + " after " + Quote(s));
      g->incomplete = true;
      if (created_by) {
        g->has_created_by = true;
        g->created_by = frame;
      } else {
        g->frames.push_back(frame);
      }
      if (have && !ft.empty()) {
        if (TrimLeft(ft).starts_with("goroutine "))
          PushBack();
        else
          SkipToBlank();
      }
      return;
    }
    if (created_by) {
      g->has_created_by = true;
      g->created_by = frame;
    } else {
      g->frames.push_back(frame);
    }
  }
  if (!any_line) {
    // Reported where the stack should have started.
    issues_->Add(g->header_line + 1, "goroutine " + std::to_string(g->id) + " has no stack");
    g->incomplete = true;
  }
}

void GoroutineParser::ReadCounted(Goroutine* g) {
  // "#\t0x4a10f4\tmain.leak+0x34\t/tmp/x/main.go:12" (any whitespace between the fields).
  std::string_view line;
  while (NextLine(&line)) {
    std::string_view t = TrimRight(line);
    if (t.empty()) return;
    std::string_view s = TrimLeft(t);
    if (s.starts_with("goroutine ") || (s[0] >= '0' && s[0] <= '9')) {
      PushBack();
      return;
    }
    if (s[0] != '#') {
      issues_->Add(line_no_, "not a frame of a counted stack: " + Quote(s));
      continue;
    }
    s = TrimLeft(s.substr(1));
    if (s.starts_with("labels:")) continue;
    // Fields: pc, func+offset, file:line.
    size_t a = s.find_first_of(" \t");
    if (a == std::string_view::npos) {
      issues_->Add(line_no_, "truncated frame of a counted stack: " + Quote(s));
      g->incomplete = true;
      continue;
    }
    std::string_view rest = TrimLeft(s.substr(a));
    size_t b = rest.find_first_of(" \t");
    GoFrame frame;
    frame.dump_line = line_no_;
    std::string_view func = rest.substr(0, b);
    if (size_t plus = func.rfind("+0x"); plus != std::string_view::npos)
      func = func.substr(0, plus);
    frame.func = func;
    if (b == std::string_view::npos ||
        !ParseGoFileLine(TrimLeft(rest.substr(b)), &frame.file, &frame.line)) {
      issues_->Add(line_no_, "frame of a counted stack without file:line: " + Quote(s));
      g->incomplete = true;
    }
    g->frames.push_back(frame);
  }
}

}  // namespace inquest
