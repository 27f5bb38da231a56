#include "dumps/java/hs_err.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "dumps/java/header_time.h"

namespace inquest {
namespace {

// Frames kept per list: the crashing end of a stack is what matters, and a runaway recursion
// must not make the report as long as the log.
constexpr size_t kMaxFrames = 200;
// Lines kept from the heap section.
constexpr size_t kMaxHeapLines = 20;
// Mappings kept from "Dynamic libraries:": a JVM maps a few thousand ranges; past this the log
// is not one a JVM wrote and the rest is not needed to place a pc.
constexpr size_t kMaxMappings = 50000;
// Section titles kept for a fragment's summary.
constexpr size_t kMaxSections = 20;
// Longest line taken for a section title ("Internal exceptions (10 events):").
constexpr size_t kMaxSectionTitle = 60;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view After(std::string_view s, std::string_view p) {
  return TrimSpace(s.substr(std::min(p.size(), s.size())));
}

// "key=value" inside "..., pid=23171, tid=23172".
std::string Field(std::string_view s, std::string_view key) {
  size_t k = s.find(key);
  if (k == std::string_view::npos) return {};
  std::string_view v = s.substr(k + key.size());
  return std::string(v.substr(0, v.find_first_of(", ")));
}

bool IsFrameKind(char c) {
  return c == 'C' || c == 'J' || c == 'j' || c == 'V' || c == 'v' || c == 'A';
}

// Parses a frame line; false when it is not one.
bool ParseFrame(std::string_view t, uint64_t line, HsErrFrame* f) {
  if (t.size() < 3 || !IsFrameKind(t[0]) || t[1] != ' ') return false;
  f->kind = t[0];
  f->text = std::string(t);
  f->line = line;
  std::string_view rest = TrimSpace(t.substr(1));
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view lib = rest.substr(1, close - 1);
    size_t plus = lib.rfind('+');
    f->library = std::string(lib.substr(0, plus));
    if (plus != std::string_view::npos) f->offset = std::string(lib.substr(plus + 1));
    f->symbol = std::string(TrimSpace(rest.substr(close + 1)));
    return true;
  }
  // Java frames: the method is the first word with a '(' (its signature).
  for (std::string_view w : Split(rest, ' ')) {
    size_t paren = w.find('(');
    if (paren != std::string_view::npos && paren > 0) {
      size_t plus = w.rfind('+');
      if (plus != std::string_view::npos && plus > w.rfind(')')) w = w.substr(0, plus);
      f->symbol = std::string(w);
      return true;
    }
  }
  f->symbol = std::string(rest);  // "~StubRoutines::call_stub", "0x00007f..."
  return true;
}

// "Thu May  7 17:24:12 2020" (ctime), possibly with a zone after it, which can be several words
// ("W. Australia Standard Time"): returned as written in *zone, not applied here. A time in
// another spelling is read as a thread dump's header time is (header_time.h).
bool ParseHsErrTime(std::string_view s, TimePoint* out, std::string* zone) {
  std::vector<std::string_view> w;
  for (std::string_view part : Split(s, ' ')) {
    if (!part.empty()) w.push_back(part);
  }
  std::string norm = w.size() < 5 ? std::string()
                                  : fmt::format("{} {} {:0>2} {} {}", w[0], w[1], w[2], w[3], w[4]);
  ParsedTime pt;
  if (norm.empty() || !ParseCtime(norm, TimeContext{}, &pt)) {
    HeaderTime h;
    if (!ReadLocalHeaderTime(s, &h)) return false;
    *out = h.time;
    *zone = h.zone;
    return true;
  }
  *out = pt.time;
  if (w.size() > 5) {
    std::string z(w[5]);
    for (size_t i = 6; i < w.size(); ++i) z += " " + std::string(w[i]);
    *zone = std::move(z);
  }
  return true;
}

// The lines of the error banner that are not the VM's message about the error: the detail
// line after "Internal Error (...)" is none of these.
bool IsBannerLine(std::string_view h) {
  static constexpr std::string_view kBanner[] = {
      "JRE version:",          "Java VM:",           "Problematic frame:",
      "An error report",       "If you would",       "Core dump",
      "No core dump",          "Can not save",       "Failed to write",
      "CreateCoredump",        "This output file",   "There is insufficient",
      "Possible reasons",      "Possible solutions", "The crash happened",
      "See problematic frame", "Please check",       "Unsupported internal testing"};
  for (std::string_view b : kBanner)
    if (StartsWith(h, b)) return true;
  return false;
}

// A line that says what an internal error was, wherever the banner puts it (old JVMs print it
// after the version lines).
bool IsErrorDetail(std::string_view h) {
  return StartsWith(h, "Error:") || StartsWith(h, "Error ID") || StartsWith(h, "fatal error") ||
         StartsWith(h, "DEBUG MESSAGE") || StartsWith(h, "guarantee(") ||
         StartsWith(h, "assert(") || StartsWith(h, "ShouldNotReachHere") ||
         StartsWith(h, "Unimplemented") || h.find(") failed:") != std::string_view::npos;
}

// A line that says why native memory ran out, wherever it stands.
bool IsOomCause(std::string_view h) {
  return StartsWith(h, "java.lang.OutOfMemoryError") || StartsWith(h, "Native memory allocation") ||
         StartsWith(h, "Cannot create") ||
         h.find("unable to create native thread") != std::string_view::npos ||
         h.find("unable to create new native thread") != std::string_view::npos;
}

void AddOomCause(std::string_view h, uint64_t line, HsErrLog* log) {
  if (std::find(log->oom_causes.begin(), log->oom_causes.end(), h) != log->oom_causes.end()) return;
  log->oom_causes.emplace_back(h);
  if (log->oom.empty()) {
    log->oom = std::string(h);
    log->oom_line = line;
  }
}

// One line of "Dynamic libraries:": "7f00-7f80 r-xp 00000000 fd:00 8230 /lib/x.so" (Linux
// maps) or "0x00007ff7598b0000 - 0x00007ff759912000 \tC:\\x\\java.exe" (Windows).
bool ParseMapping(std::string_view t, HsErrLog::Mapping* m) {
  std::vector<std::string_view> w;
  for (std::string_view part : Split(t, ' '))
    if (!part.empty()) w.push_back(part);
  if (w.empty()) return false;
  if (size_t dash = w[0].find('-'); dash != std::string_view::npos) {
    if (!ParseHsErrAddress(w[0].substr(0, dash), &m->start) ||
        !ParseHsErrAddress(w[0].substr(dash + 1), &m->end))
      return false;
    m->path = w.size() > 5 ? std::string(w[5]) : std::string();
    return true;
  }
  if (w.size() >= 3 && w[1] == "-" && ParseHsErrAddress(w[0], &m->start) &&
      ParseHsErrAddress(w[2], &m->end)) {
    size_t at = t.find(w[2]) + w[2].size();
    m->path = std::string(TrimSpace(t.substr(at)));
    return true;
  }
  return false;
}

// "Register to memory mapping:", "VM Operations (20 events):": a section's title line.
bool IsSectionTitle(std::string_view raw, std::string_view t) {
  if (raw.empty() || raw[0] == ' ' || raw[0] == '\t' || t.size() > kMaxSectionTitle) return false;
  if (!(t[0] >= 'A' && t[0] <= 'Z') || t.find('=') != std::string_view::npos) return false;
  return t.back() == ':';
}

void ParseCurrentThread(std::string_view t, HsErrLog* log) {
  // "Current thread (0x...):  JavaThread "main" daemon [_thread_in_native, id=..., stack(...)]"
  size_t colon = t.find("):");
  std::string_view rest =
      colon == std::string_view::npos ? After(t, "Current thread") : TrimSpace(t.substr(colon + 2));
  log->current_thread = std::string(rest);
  log->thread_type = std::string(rest.substr(0, rest.find_first_of(" [")));
  size_t q1 = rest.find('"');
  if (q1 != std::string_view::npos) {
    size_t q2 = rest.find('"', q1 + 1);
    if (q2 != std::string_view::npos)
      log->thread_name = std::string(rest.substr(q1 + 1, q2 - q1 - 1));
  }
  size_t st = rest.find("[_thread_");
  if (st != std::string_view::npos) {
    std::string_view s = rest.substr(st + 1);
    log->thread_state = std::string(s.substr(0, s.find_first_of(",]")));
  }
}

}  // namespace

bool ParseHsErrAddress(std::string_view text, uint64_t* address) {
  std::string_view v = TrimSpace(text);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.remove_prefix(2);
  constexpr size_t kMaxHexDigits = 16;  // 64-bit addresses
  if (v.empty() || v.size() > kMaxHexDigits) return false;
  uint64_t a = 0;
  for (char c : v) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return false;
    a = a << 4 | static_cast<uint64_t>(d);
  }
  *address = a;
  return true;
}

const HsErrLog::Mapping* FindHsErrMapping(const HsErrLog& log, uint64_t address) {
  for (const HsErrLog::Mapping& m : log.mappings)
    if (address >= m.start && address < m.end) return &m;
  return nullptr;
}

std::string_view HsErrFrameKindName(char kind) {
  switch (kind) {
    case 'C':
      return "native code";
    case 'J':
      return "compiled Java code";
    case 'j':
      return "interpreted Java code";
    case 'V':
      return "VM code";
    case 'v':
      return "VM-generated stub code";
    case 'A':
      return "AOT-compiled Java code";
  }
  return "unknown";
}

HsErrLog ParseHsErr(std::string_view text, std::vector<std::string>* diagnostics) {
  HsErrLog log;
  enum class Section { kNone, kNativeFrames, kJavaFrames, kHeap, kProblematic, kMappings };
  Section section = Section::kNone;
  uint64_t line = 0;
  size_t pos = 0;
  bool frames_cut = false;
  bool expect_detail = false;  // the line after an internal error's says what failed
  bool in_oom = false;         // in the lines after "There is insufficient memory"
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    std::string_view t = TrimSpace(raw);
    if (section == Section::kProblematic) {
      section = Section::kNone;
      std::string_view f = t.starts_with("#") ? TrimSpace(t.substr(1)) : t;
      if (ParseFrame(f, line, &log.problematic)) {
        log.has_problematic = true;
        continue;
      }
      if (diagnostics) {
        diagnostics->push_back(
            fmt::format("line {}: no frame after \"# Problematic frame:\"", line));
      }
    }
    if (section == Section::kNativeFrames || section == Section::kJavaFrames) {
      HsErrFrame f;
      if (!t.empty() && ParseFrame(t, line, &f)) {
        auto& list = section == Section::kNativeFrames ? log.native_frames : log.java_frames;
        if (list.size() < kMaxFrames) {
          list.push_back(std::move(f));
        } else {
          frames_cut = true;
        }
        continue;
      }
      section = Section::kNone;
      if (t.empty()) continue;
      // "...<more frames>...", "Lock stack of current Java thread": fall through.
    }
    if (section == Section::kMappings) {
      HsErrLog::Mapping m;
      if (!t.empty() && ParseMapping(t, &m)) {
        if (log.mappings.size() < kMaxMappings) log.mappings.push_back(std::move(m));
        continue;
      }
      section = Section::kNone;
      if (t.empty()) continue;
    }
    if (section == Section::kHeap) {
      if (t.empty()) {
        section = Section::kNone;
        continue;
      }
      if (log.heap.size() < kMaxHeapLines) log.heap.emplace_back(raw.substr(0, raw.find('\r')));
      continue;
    }
    if (t.empty()) continue;
    if (t[0] == '#') {
      std::string_view h = TrimSpace(t.substr(1));
      if (expect_detail) {
        expect_detail = false;
        if (!h.empty() && !IsBannerLine(h) && log.error_detail.empty()) {
          log.error_detail = std::string(h);
          log.error_detail_line = line;
          continue;
        }
      }
      if (in_oom) {
        if (h.empty() || IsBannerLine(h) || StartsWith(h, "Out of Memory Error")) {
          in_oom = false;
        } else {
          AddOomCause(h, line, &log);
          continue;
        }
      }
      if (StartsWith(h, "A fatal error has been detected") ||
          StartsWith(h, "An unexpected error has been detected")) {
        log.has_header = true;
      } else if (StartsWith(h, "HotSpot Virtual Machine Error, Internal Error") &&
                 log.error.empty()) {  // JDK 1.4
        log.has_header = true;
        log.error = "Internal Error";
        log.error_line = line;
      } else if (size_t at = h.find(" at pc="); at != std::string_view::npos && log.error.empty()) {
        log.error = std::string(h.substr(0, at));
        log.signal = std::string(h.substr(0, h.find(' ')));
        log.pc = Field(h, "pc=");
        log.pid = Field(h, "pid=");
        log.tid = Field(h, "tid=");
        log.error_line = line;
      } else if ((StartsWith(h, "Internal Error (") || StartsWith(h, "Out of Memory Error (")) &&
                 log.error.empty()) {
        size_t close = h.find("),");
        log.error = std::string(close == std::string_view::npos ? h : h.substr(0, close + 1));
        log.pid = Field(h, "pid=");
        log.tid = Field(h, "tid=");
        log.error_line = line;
        expect_detail = StartsWith(h, "Internal Error");
      } else if (IsErrorDetail(h) && log.error_detail.empty()) {
        log.error_detail = std::string(h);
        log.error_detail_line = line;
      } else if (StartsWith(h, "There is insufficient memory")) {
        log.has_header = true;  // the banner of an out-of-memory log
        log.insufficient_memory = true;
        in_oom = true;
        if (log.error_line == 0) log.error_line = line;
      } else if (IsOomCause(h)) {
        AddOomCause(h, line, &log);
      } else if (StartsWith(h, "JRE version:")) {
        log.jre_version = std::string(After(h, "JRE version:"));
        log.jre_line = line;
      } else if (StartsWith(h, "Java VM:")) {
        log.vm_version = std::string(After(h, "Java VM:"));
        log.vm_line = line;
      } else if (StartsWith(h, "Problematic frame:")) {
        section = Section::kProblematic;
      }
      continue;
    }
    if (StartsWith(t, "Current thread")) {
      ParseCurrentThread(t, &log);
      log.current_thread_line = line;
    } else if (StartsWith(t, "siginfo:")) {
      log.siginfo = std::string(After(t, "siginfo:"));
      log.siginfo_line = line;
    } else if (StartsWith(t, "Native frames:")) {
      section = Section::kNativeFrames;
    } else if (StartsWith(t, "Java frames:")) {
      section = Section::kJavaFrames;
    } else if (t == "Heap:" || t == "Heap") {
      section = Section::kHeap;
      log.heap_line = line;
    } else if (StartsWith(t, "Command Line:") || StartsWith(t, "java_command:")) {
      if (log.command_line.empty()) {
        log.command_line = std::string(After(t, t[0] == 'C' ? "Command Line:" : "java_command:"));
        log.command_line_line = line;
      }
    } else if (StartsWith(t, "time:") || StartsWith(t, "Time:")) {
      std::string_view v = After(t, "time:");
      size_t el = v.find("elapsed time:");
      if (el != std::string_view::npos) {
        log.elapsed = std::string(After(v.substr(el), "elapsed time:"));
        v = TrimSpace(v.substr(0, el));
      }
      log.time_text = std::string(v);
      log.time_line = line;
      std::string zone;
      if (!ParseHsErrTime(v, &log.time, &zone) && diagnostics) {
        diagnostics->push_back(fmt::format("line {}: time \"{}\" not understood", line, v));
      }
      if (!zone.empty()) {
        log.time_zone = std::move(zone);
        log.time_zone_line = line;
      }
    } else if (StartsWith(t, "timezone:")) {
      // JDK 8 writes the zone on the line after "time:".
      std::string_view z = After(t, "timezone:");
      if (!z.empty()) {
        log.time_zone = std::string(z);
        log.time_zone_line = line;
      }
    } else if (StartsWith(t, "elapsed time:")) {
      log.elapsed = std::string(After(t, "elapsed time:"));
    } else if (StartsWith(t, "vm_info:")) {
      log.vm_info = std::string(After(t, "vm_info:"));
    } else if ((StartsWith(t, "OS:") || StartsWith(t, "uname:")) && log.os.empty()) {
      log.os = std::string(After(t, t[0] == 'O' ? "OS:" : "uname:"));
    } else if (StartsWith(t, "Host:")) {
      log.host = std::string(After(t, "Host:"));
    } else if (StartsWith(t, "Dynamic libraries:")) {
      section = Section::kMappings;
    } else if (t == "END.") {
      log.complete = true;
    }
    if (IsSectionTitle(raw, t) && log.sections.size() < kMaxSections) {
      log.sections.emplace_back(t.substr(0, t.size() - 1));
    }
  }
  if (frames_cut && diagnostics) {
    diagnostics->push_back(
        fmt::format("more than {} frames in a list: the rest not shown", kMaxFrames));
  }
  if (section == Section::kProblematic && diagnostics) {
    diagnostics->push_back(
        fmt::format("line {}: the log ends after \"# Problematic frame:\"", line));
  }
  return log;
}

namespace {

// Whether a line of `text` starts with `prefix` followed by a non-space character.
bool HasLineStarting(std::string_view text, std::string_view prefix) {
  for (size_t at = 0; at < text.size();) {
    if (text.substr(at, prefix.size()) == prefix && at + prefix.size() < text.size() &&
        text[at + prefix.size()] != ' ')
      return true;
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  return false;
}

}  // namespace

double ProbeHsErr(std::string_view head) {
  if (head.find("A fatal error has been detected by the Java Runtime Environment") !=
      std::string_view::npos) {
    return 0.99;
  }
  if (head.find("There is insufficient memory for the Java Runtime Environment") !=
      std::string_view::npos) {
    return 0.95;
  }
  int marks = 0;
  static constexpr std::string_view kMarks[] = {"# JRE version:",
                                                "# Java VM:",
                                                "# Problematic frame:",
                                                "---------------  S U M M A R Y",
                                                "---------------  T H R E A D",
                                                "---------------  P R O C E S S",
                                                "vm_info:",
                                                "Native frames: (J=compiled Java code",
                                                "Register to memory mapping:",
                                                "Executing VM operation:"};
  for (std::string_view m : kMarks) marks += head.find(m) != std::string_view::npos;
  // The OS section's lines, written with no space after the colon: a fragment can be just
  // these ("uname:SunOS 5.11 ...").
  static constexpr std::string_view kLineMarks[] = {"uname:", "libc:glibc"};
  for (std::string_view m : kLineMarks) marks += HasLineStarting(head, m);
  return marks >= 2 ? 0.9 : marks == 1 ? 0.6 : 0.0;
}

}  // namespace inquest
