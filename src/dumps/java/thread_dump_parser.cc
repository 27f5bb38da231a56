#include "dumps/java/thread_dump_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "base/strings.h"
#include "base/time.h"
#include "dumps/java/header_time.h"

namespace inquest {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Utf16ToUtf8(std::string_view b, bool little_endian) {
  constexpr uint32_t kReplacement = 0xFFFD;
  std::string out;
  out.reserve(b.size() / 2);
  auto unit = [&](size_t i) -> uint32_t {
    auto lo = static_cast<uint8_t>(b[i + (little_endian ? 0 : 1)]);
    auto hi = static_cast<uint8_t>(b[i + (little_endian ? 1 : 0)]);
    return (uint32_t{hi} << 8) | lo;
  };
  size_t i = 0;
  for (; i + 1 < b.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
      uint32_t u2 = unit(i + 2);
      if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
        AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    AppendUtf8(u >= 0xD800 && u <= 0xDFFF ? kReplacement : u, &out);
  }
  if (i < b.size()) AppendUtf8(kReplacement, &out);  // an odd trailing byte
  return out;
}

// Without a BOM: UTF-16 when, over the first bytes, every other byte is NUL (ASCII text).
// kSniffBytes covers a timestamp line and most of a header line.
constexpr size_t kSniffBytes = 64;
int NulPattern(std::string_view b) {
  size_t n = std::min(b.size(), kSniffBytes) & ~size_t{1};
  if (n < 8) return 0;
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_nul += b[i] == '\0';
    odd_nul += b[i + 1] == '\0';
  }
  if (odd_nul == n / 2 && even_nul == 0) return 1;   // little endian
  if (even_nul == n / 2 && odd_nul == 0) return -1;  // big endian
  return 0;
}

// Strips a "ms"/"s" unit and parses the number; -1 when it is not one.
double ParseMeasure(std::string_view v, std::string_view unit) {
  if (v.size() > unit.size() && v.substr(v.size() - unit.size()) == unit) {
    v.remove_suffix(unit.size());
  }
  std::optional<double> d = ParseDouble(v);
  return d ? *d : -1;
}

// "<0x...> (a cls)" -> address and class. Returns false when there is no "<...>".
bool ParseLockTarget(std::string_view s, LockRef* lock) {
  s = TrimSpace(s);
  if (s.empty() || s[0] != '<') return false;
  size_t close = s.find('>');
  if (close == std::string_view::npos) return false;
  std::string_view addr = s.substr(1, close - 1);
  if (addr.find(' ') == std::string_view::npos) {
    std::string norm = NormalizeLockAddress(addr);
    if (norm.empty() || norm.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return false;
    }
    lock->address = std::move(norm);
  }  // "<no object reference available>", "<owner is scalar replaced>": no address
  size_t a = s.find("(a ", close);
  if (a != std::string_view::npos) {
    size_t end = s.find(')', a);
    lock->class_name = std::string(
        s.substr(a + 3, end == std::string_view::npos ? std::string_view::npos : end - a - 3));
  }
  return true;
}

// JRockit and JMX name a lock "java/lang/Object@0x7b483a0[fat lock]" or "cls@166fba".
bool ParseAtLock(std::string_view s, LockRef* lock) {
  s = TrimSpace(s);
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0) return false;
  std::string_view addr = s.substr(at + 1);
  size_t end = addr.find_first_of("[ ");
  if (end != std::string_view::npos) addr = addr.substr(0, end);
  std::string norm = NormalizeLockAddress(addr);
  if (norm.empty() || norm.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return false;
  }
  lock->address = std::move(norm);
  std::string cls(s.substr(0, at));
  for (char& c : cls) c = c == '/' ? '.' : c;
  lock->class_name = std::move(cls);
  return true;
}

JavaThreadState StateFromHeader(std::string_view h) {
  if (h.find("waiting for monitor entry") != std::string_view::npos) {
    return JavaThreadState::kBlocked;
  }
  if (h.find("sleeping") != std::string_view::npos) return JavaThreadState::kTimedWaiting;
  if (h.find("Object.wait()") != std::string_view::npos ||
      h.find("waiting on condition") != std::string_view::npos ||
      h.find("waiting") != std::string_view::npos || h.find("parking") != std::string_view::npos) {
    return JavaThreadState::kWaiting;
  }
  if (h.find("blocked") != std::string_view::npos) return JavaThreadState::kBlocked;
  if (h.find("runnable") != std::string_view::npos || h.find("alive") != std::string_view::npos) {
    return JavaThreadState::kRunnable;
  }
  return JavaThreadState::kUnknown;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<std::string>* diagnostics)
      : text_(text), diagnostics_(diagnostics) {}

  std::vector<JavaThreadDump> Run() {
    size_t pos = 0;
    while (pos < text_.size()) {
      size_t nl = text_.find('\n', pos);
      size_t end = nl == std::string_view::npos ? text_.size() : nl;
      ++line_;
      Line(TrimSpace(text_.substr(pos, end - pos)));
      pos = end + 1;
    }
    FlushUnknown();
    // jhsdb has no end marker: with --locks every thread ends with its synchronizers block, so
    // a text that stops inside that block was not cut off; without it, nothing tells.
    if (!dumps_.empty() && dumps_.back().format == "jhsdb" && in_synchronizers_) {
      dumps_.back().complete = true;
    }
    for (JavaThreadDump& d : dumps_) Finish(&d);
    if (diagnostics_ && dropped_ > 0) {
      diagnostics_->push_back(fmt::format("{} more problems not listed", dropped_));
    }
    return std::move(dumps_);
  }

 private:
  enum class Section { kNone, kThreads, kSmr, kDeadlock, kDeadlockStacks, kHeap, kAfter };

  // A pending run of unrecognised lines is reported first, so diagnostics stay in line order.
  void Diagnose(std::string msg) {
    if (unknown_count_ > 0) FlushUnknown();
    if (!diagnostics_) return;
    if (diagnostics_->size() < kMaxJavaDiagnostics) {
      diagnostics_->push_back(std::move(msg));
    } else {
      ++dropped_;
    }
  }

  void FlushUnknown() {
    uint64_t n = unknown_count_;
    unknown_count_ = 0;
    if (n > 0) {
      Diagnose(fmt::format("line {}: {} line{} of unrecognised text in a thread dump skipped",
                           unknown_first_, n, n == 1 ? "" : "s"));
    }
  }

  void Unknown() {
    if (unknown_count_ == 0) unknown_first_ = line_;
    ++unknown_count_;
  }

  JavaThreadDump& NewDump(std::string_view format) {
    FlushUnknown();
    // A dump without an end marker that the next dump's header follows was not cut off: old
    // JDKs print no "JNI global references" line.
    if (!dumps_.empty()) dumps_.back().complete = true;
    dumps_.emplace_back();
    JavaThreadDump& d = dumps_.back();
    d.line = line_;
    d.format = std::string(format);
    if (last_time_line_ != 0 && last_time_line_ == prev_nonblank_) {
      SetTime(last_time_, &d);
      d.line = last_time_line_;
    }
    section_ = Section::kThreads;
    thread_ = nullptr;
    mounted_ = false;
    in_synchronizers_ = false;
    return d;
  }

  static void SetTime(HeaderTime t, JavaThreadDump* d) {
    d->time = t.time;
    d->time_zone_assumed = t.zone_assumed;
    d->time_zone = std::move(t.zone);
  }

  // The line before a "Full thread dump" header that the fast reader did not take: a time in
  // a local spelling, or one that cannot be read (said, not passed over as no timestamp).
  void LocalTimeLine(JavaThreadDump* d) {
    HeaderTime time;
    if (ReadLocalHeaderTime(prev_text_, &time)) {
      SetTime(std::move(time), d);
      d->line = prev_nonblank_;
    } else if (LooksLikeTimeLine(prev_text_)) {
      d->unreadable_time = std::string(prev_text_);
      d->unreadable_time_line = prev_nonblank_;
    }
  }

  JavaThreadDump& Dump() {
    if (dumps_.empty() || section_ == Section::kNone) NewDump("hotspot");
    return dumps_.back();
  }

  JavaThread* Target() {
    if (!thread_) return nullptr;
    return mounted_ ? &dumps_.back().threads.back() : thread_;
  }

  void Line(std::string_view t) {
    if (t.empty()) {
      if (section_ == Section::kHeap) section_ = Section::kThreads;
      return;
    }
    prev_nonblank_ = last_nonblank_;
    prev_text_ = last_text_;
    last_nonblank_ = line_;
    last_text_ = t;
    // The hot path: most lines of a dump are frames and lock lines of the current thread.
    if (thread_ && section_ == Section::kThreads) {
      if (t.size() > 3 && t[0] == 'a' && t[1] == 't' && t[2] == ' ') {
        in_synchronizers_ = false;
        Target()->frames.push_back({std::string(t.substr(3))});
        return;
      }
      if (t.size() > 2 && t[0] == '-' && t[1] == ' ') {
        if (!JhsdbFrame(t)) LockLine(TrimSpace(t.substr(1)));
        return;
      }
    }
    HeaderTime time;
    bool could_be_time = (t[0] >= '0' && t[0] <= '9') || (t[0] >= 'A' && t[0] <= 'Z');
    if (could_be_time && ReadHeaderTime(t, &time)) {
      last_time_ = time;
      last_time_line_ = line_;
      if (!dumps_.empty() && dumps_.back().format == "jrockit" && dumps_.back().threads.empty()) {
        SetTime(std::move(time), &dumps_.back());
      }
      return;
    }
    if (StartsWith(t, "Full thread dump")) {
      std::string_view jvm = TrimSpace(t.substr(16));
      if (!jvm.empty() && jvm.back() == ':') jvm.remove_suffix(1);
      JavaThreadDump& d = NewDump("hotspot");
      d.jvm = std::string(jvm);
      d.has_header = true;
      if (d.time == kNoTime && prev_nonblank_ != 0) LocalTimeLine(&d);
      return;
    }
    // jhsdb jstack: "Attaching to core CORE from executable JAVA, please wait..." or "Attaching
    // to process ID 42, please wait...", then the JVM's version and its deadlock detection.
    if (StartsWith(t, "Attaching to core ") || StartsWith(t, "Attaching to process ID ")) {
      NewDump("jhsdb").has_header = true;
      return;
    }
    if (!dumps_.empty() && dumps_.back().format == "jhsdb" && dumps_.back().threads.empty() &&
        section_ == Section::kThreads && JhsdbPreamble(t)) {
      return;
    }
    if (StartsWith(t, "===== FULL THREAD DUMP")) {
      NewDump("jrockit").has_header = true;
      return;
    }
    if (StartsWith(t, "===== END OF THREAD DUMP") || t == "<EndOfDump>") {
      FlushUnknown();
      if (!dumps_.empty()) dumps_.back().complete = true;
      section_ = Section::kAfter;
      thread_ = nullptr;
      return;
    }
    if (StartsWith(t, "Found one Java-level deadlock")) {
      FlushUnknown();
      Dump().jvm_deadlocks.emplace_back();
      section_ = Section::kDeadlock;
      thread_ = nullptr;
      deadlock_thread_.clear();
      return;
    }
    if (section_ == Section::kDeadlock || section_ == Section::kDeadlockStacks) {
      DeadlockLine(t);
      return;
    }
    if (StartsWith(t, "JNI global ref")) {
      FlushUnknown();
      if (!dumps_.empty()) dumps_.back().complete = true;
      section_ = Section::kAfter;
      thread_ = nullptr;
      return;
    }
    if (section_ == Section::kSmr) {
      size_t l = t.find("length=");
      if (l != std::string_view::npos) {
        std::string_view v = t.substr(l + 7);
        v = v.substr(0, v.find_first_not_of("0123456789"));
        if (std::optional<int64_t> n = ParseInt(v)) dumps_.back().smr_length = *n;
      }
      if (t == "}") section_ = Section::kThreads;
      return;
    }
    if (StartsWith(t, "Threads class SMR info:")) {
      Dump();
      section_ = Section::kSmr;
      return;
    }
    if (t[0] == '"' && t.find('"', 1) != std::string_view::npos) {
      FlushUnknown();
      if (section_ == Section::kAfter || section_ == Section::kNone || dumps_.empty()) {
        NewDump("hotspot");
      }
      Header(t);
      return;
    }
    if (section_ == Section::kNone || section_ == Section::kAfter) return;  // not in a dump
    if (section_ == Section::kHeap) return;
    if (t == "Heap" || StartsWith(t, "Heap:")) {
      FlushUnknown();
      section_ = Section::kHeap;
      thread_ = nullptr;
      return;
    }
    JavaThreadDump& d = dumps_.back();
    if (d.format == "jrockit" && d.jvm.empty() && d.threads.empty()) {
      d.jvm = std::string(t);
      return;
    }
    if (!thread_) {
      Unknown();
      return;
    }
    if (StartsWith(t, "java.lang.Thread.State:")) {
      std::string_view s = TrimSpace(t.substr(23));
      size_t sp = s.find(' ');
      JavaThread* target = Target();
      target->state = ParseJavaThreadState(s.substr(0, sp));
      if (sp != std::string_view::npos) target->state_detail = std::string(TrimSpace(s.substr(sp)));
      if (target->state == JavaThreadState::kUnknown) {
        Diagnose(fmt::format("line {}: unknown thread state \"{}\"", line_, s));
      }
      return;
    }
    if (StartsWith(t, "at ")) {
      in_synchronizers_ = false;
      Target()->frames.push_back({std::string(t.substr(3))});
      return;
    }
    if (StartsWith(t, "Locked ownable synchronizers:") || StartsWith(t, "Locked synchronizers:")) {
      in_synchronizers_ = true;
      return;
    }
    if (StartsWith(t, "Carrying virtual thread")) {
      thread_->carrying = std::string(TrimSpace(t.substr(23)));
      return;
    }
    if (StartsWith(t, "Mounted virtual thread")) {
      JavaThread v;
      v.id = std::string(TrimSpace(t.substr(22)));
      v.name = "virtual thread " + v.id;
      v.is_virtual = true;
      v.carrier = thread_->name;
      v.state = JavaThreadState::kRunnable;
      v.line = line_;
      if (mounted_) {
        Diagnose(fmt::format("line {}: a second mounted virtual thread on one carrier", line_));
      }
      d.threads.push_back(std::move(v));
      thread_ = &d.threads[thread_index_];  // the push may have moved the carrier
      mounted_ = true;
      return;
    }
    if (StartsWith(t, "- ") || t == "-") {
      if (!JhsdbFrame(t)) LockLine(TrimSpace(t.substr(1)));
      return;
    }
    if (StartsWith(t, "JavaThread state:")) return;  // jhsdb: the VM's state, beside Thread.State
    if (StartsWith(t, "--") || StartsWith(t, "^--")) {
      JRockitLockLine(t);
      return;
    }
    if (StartsWith(t, "No compile task") || StartsWith(t, "Compiling:")) return;  // compiler
    Unknown();
  }

  void Header(std::string_view t) {
    JavaThreadDump& d = dumps_.back();
    d.threads.emplace_back();
    thread_index_ = d.threads.size() - 1;
    thread_ = &d.threads.back();
    mounted_ = false;
    in_synchronizers_ = false;
    JavaThread& th = *thread_;
    th.line = line_;
    size_t close = t.rfind('"');
    th.name = std::string(t.substr(1, close - 1));
    std::vector<std::string_view> tokens;
    for (std::string_view tok : Split(t.substr(close + 1), ' ')) {
      if (!tok.empty()) tokens.push_back(tok);
    }
    std::string state_words;
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string_view tok = tokens[i];
      size_t eq = tok.find('=');
      if (tok == "daemon" || tok == "daemon,") {
        th.daemon = true;
        if (!state_words.empty()) state_words += ' ', state_words += tok;
      } else if (tok == "virtual") {
        th.is_virtual = true;
      } else if (tok[0] == '#' && tok.size() > 1 &&
                 tok.find_first_not_of("0123456789", 1) == std::string_view::npos) {
        th.id = std::string(tok);
      } else if (tok[0] == '[') {
        // "[5379]" (OS thread id, JDK 19+) or "[0x00007f...]" (last Java stack pointer)
      } else if (eq != std::string_view::npos && eq > 0 && state_words.empty()) {
        std::string_view key = tok.substr(0, eq), value = tok.substr(eq + 1);
        if (key == "nid") {
          th.nid = std::string(value);
        } else if (key == "id") {
          th.id = std::string(value);
        } else if (key == "cpu") {
          th.cpu_ms = ParseMeasure(value, "ms");
        } else if (key == "elapsed") {
          th.elapsed_s = ParseMeasure(value, "s");
        } else if (key == "lock") {  // JMX: "in BLOCKED on lock=java.lang.Object@1a2b"
          LockRef lock;
          lock.line = line_;
          lock.action = th.state == JavaThreadState::kBlocked ? LockAction::kWaitingToLock
                                                              : LockAction::kWaitingOn;
          if (ParseAtLock(value, &lock)) th.locks.push_back(std::move(lock));
        }
      } else if (tok == "in" && i + 1 < tokens.size() &&
                 ParseJavaThreadState(tokens[i + 1]) != JavaThreadState::kUnknown) {
        th.state = ParseJavaThreadState(tokens[++i]);  // JMX ThreadInfo form
        d.format = d.format == "hotspot" ? "jmx" : d.format;
      } else if (tok == "on" || tok == "owned" || tok == "by") {
        // JMX "on lock=..." / "owned by \"x\" id=3": the lock itself is what matters
      } else {
        if (!state_words.empty()) state_words += ' ';
        state_words += tok;
      }
    }
    if (state_words.size() > 1 && state_words.front() == '(' && state_words.back() == ')') {
      th.state_detail = state_words;  // JMX "(running in native)"
    } else {
      th.header_state = state_words;
    }
    if (d.format == "hotspot" && th.header_state.find("alive") != std::string::npos) {
      d.format = "jrockit";
    }
  }

  void LockLine(std::string_view s) {
    JavaThread* th = Target();
    LockRef lock;
    lock.line = line_;
    lock.frame = th->frames.empty() ? 0 : static_cast<int>(th->frames.size()) - 1;
    struct Prefix {
      std::string_view text;
      LockAction action;
    };
    static constexpr Prefix kPrefixes[] = {
        {"locked ", LockAction::kLocked},
        {"waiting to lock ", LockAction::kWaitingToLock},
        {"waiting on ", LockAction::kWaitingOn},
        {"parking to wait for ", LockAction::kParkedOn},
        {"waiting to re-lock in wait() ", LockAction::kWaitingToRelock},
        {"eliminated ", LockAction::kEliminated},
    };
    if (in_synchronizers_) {
      if (s == "None") return;
      lock.action = LockAction::kOwnsSynchronizer;
      lock.frame = -1;
      if (ParseLockTarget(s, &lock) || ParseAtLock(s, &lock)) {
        if (!lock.address.empty()) th->locks.push_back(std::move(lock));
        return;
      }
      Diagnose(fmt::format("line {}: malformed ownable synchronizer \"{}\"", line_,
                           SanitizeForTerminal(s.substr(0, 80))));
      return;
    }
    for (const Prefix& p : kPrefixes) {
      if (StartsWith(s, p.text)) {
        lock.action = p.action;
        std::string_view target = s.substr(p.text.size());
        if (ParseLockTarget(target, &lock) || ParseAtLock(target, &lock)) {
          th->locks.push_back(std::move(lock));
          return;
        }
        break;
      }
    }
    Diagnose(fmt::format("line {}: malformed lock line \"{}\"", line_,
                         SanitizeForTerminal(s.substr(0, 80))));
  }

  void JRockitLockLine(std::string_view t) {
    struct Prefix {
      std::string_view text;
      LockAction action;
    };
    static constexpr Prefix kPrefixes[] = {
        {"-- Waiting for notification on:", LockAction::kWaitingOn},
        {"-- Blocked trying to get lock:", LockAction::kWaitingToLock},
        {"-- Parking to wait for:", LockAction::kParkedOn},
        {"^-- Holding lock:", LockAction::kLocked},
    };
    if (t == "-- end of trace" || StartsWith(t, "^-- Lock released while waiting:")) return;
    for (const Prefix& p : kPrefixes) {
      if (StartsWith(t, p.text)) {
        LockRef lock;
        lock.action = p.action;
        lock.line = line_;
        JavaThread* th = Target();
        lock.frame = th->frames.empty() ? 0 : static_cast<int>(th->frames.size()) - 1;
        if (ParseAtLock(t.substr(p.text.size()), &lock)) {
          th->locks.push_back(std::move(lock));
          return;
        }
        break;
      }
    }
    Diagnose(fmt::format("line {}: malformed lock line \"{}\"", line_,
                         SanitizeForTerminal(t.substr(0, 80))));
  }

  // The JVM's deadlock block: `"A":` / `waiting to lock monitor 0x.. (object 0x.., a C),` /
  // `which is held by "B"`, then the stacks of the threads listed, then "Found N deadlock".
  // jhsdb's lines before the first thread: "Debugger attached successfully.", "Server compiler
  // detected.", "JVM version is 17.0.15+6", "Deadlock Detection:", "No deadlocks found.".
  bool JhsdbPreamble(std::string_view t) {
    if (StartsWith(t, "JVM version is ")) {
      dumps_.back().jvm = std::string(TrimSpace(t.substr(15)));
      return true;
    }
    return t == "Debugger attached successfully." || t == "Server compiler detected." ||
           t == "Client compiler detected." || t == "Deadlock Detection:" ||
           t == "No deadlocks found." ||
           t == "Finding concurrent locks. This might take a while...";
  }

  // jhsdb's frame line "- java.lang.Thread.join(long) @bci=72, line=1313 (Interpreted frame)",
  // kept as "java.lang.Thread.join(long) line 1313": the bytecode index and how the frame runs
  // (interpreted, compiled) differ between threads at the same line and would split groups.
  bool JhsdbFrame(std::string_view t) {
    size_t bci = t.find(" @bci=");
    if (bci == std::string_view::npos) return false;
    in_synchronizers_ = false;
    std::string text(TrimSpace(t.substr(1, bci - 1)));
    size_t line = t.find(", line=", bci);
    if (line != std::string_view::npos) {
      std::string_view n = t.substr(line + 7);
      text += " line " + std::string(n.substr(0, n.find_first_not_of("0123456789")));
    }
    if (JavaThread* target = Target()) target->frames.push_back({std::move(text)});
    return true;
  }

  void DeadlockLine(std::string_view t) {
    if (StartsWith(t, "Found ") && t.find("deadlock") != std::string_view::npos) {
      // jhsdb prints its deadlock report before the threads, jstack after them.
      section_ = dumps_.back().format == "jhsdb" ? Section::kThreads : Section::kAfter;
      return;
    }
    if (StartsWith(t, "Java stack information for the threads listed above")) {
      section_ = Section::kDeadlockStacks;
      return;
    }
    if (section_ == Section::kDeadlockStacks || t[0] == '=') return;
    auto& block = dumps_.back().jvm_deadlocks.back();
    if (t[0] == '"' && t.back() == ':') {
      deadlock_thread_ = std::string(t.substr(1, t.size() - 3));
      deadlock_lock_.clear();
      return;
    }
    size_t obj = t.find("(object ");
    if (StartsWith(t, "waiting to lock monitor") && obj != std::string_view::npos) {
      std::string_view a = t.substr(obj + 8);
      deadlock_lock_ = NormalizeLockAddress(a.substr(0, a.find(',')));
      return;
    }
    // jhsdb: "waiting to lock Monitor@0x7f.. (Object@0x69ec1a070, a Transfers$Account),"
    size_t object = t.find("(Object@");
    if (StartsWith(t, "waiting to lock Monitor@") && object != std::string_view::npos) {
      std::string_view a = t.substr(object + 8);
      deadlock_lock_ = NormalizeLockAddress(a.substr(0, a.find(',')));
      return;
    }
    if (StartsWith(t, "waiting for ownable synchronizer ")) {
      std::string_view a = t.substr(33);
      deadlock_lock_ = NormalizeLockAddress(a.substr(0, a.find(',')));
      return;
    }
    size_t held = t.find("which is held by \"");
    if (held != std::string_view::npos) {
      std::string_view h = t.substr(held + 18);
      block.push_back(
          {deadlock_thread_, deadlock_lock_, std::string(h.substr(0, h.rfind('"'))), line_});
      return;
    }
    // "waiting to lock Monitor@0x..., which is held by ..." variants and JNI notes: ignored
  }

  void Finish(JavaThreadDump* d) {
    for (JavaThread& th : d->threads) {
      if (th.state == JavaThreadState::kUnknown) th.state = StateFromHeader(th.header_state);
      // A carrier prints no state of its own while it runs a mounted virtual thread.
      if (th.state == JavaThreadState::kUnknown && !th.carrying.empty()) {
        th.state = JavaThreadState::kRunnable;
      }
    }
    if (d->jvm_deadlocks.size() == 1 && d->jvm_deadlocks[0].empty()) d->jvm_deadlocks.clear();
    if (d->format == "jhsdb") MarkPendingMonitors(d);
  }

  // jhsdb's top-frame lock lines of a BLOCKED thread cannot be trusted: the Serviceability
  // Agent prints the monitor being entered as "locked" (JDK 17) or labels the held one as
  // "waiting to lock" (JDK 25). A monitor has one owner, so the one entered is: the one its
  // deadlock report says the thread waits for; else one another thread surely holds; else the
  // only one listed. The others of that frame are held.
  static void MarkPendingMonitors(JavaThreadDump* d) {
    auto ambiguous = [](const JavaThread& t, const LockRef& l) {
      return t.state == JavaThreadState::kBlocked && l.frame == 0 &&
             (l.action == LockAction::kLocked || l.action == LockAction::kWaitingToLock);
    };
    std::map<std::string, int> firm_holders;  // lock -> threads that surely hold it
    for (const JavaThread& t : d->threads)
      for (const LockRef& l : t.locks)
        if (l.action == LockAction::kLocked && !ambiguous(t, l)) ++firm_holders[l.address];
    std::set<std::pair<std::string, std::string>> reported;  // (thread, lock) it waits for
    for (const auto& block : d->jvm_deadlocks)
      for (const JvmDeadlockEdge& e : block) reported.emplace(e.thread, e.lock);
    for (JavaThread& t : d->threads) {
      std::vector<LockRef*> top;
      for (LockRef& l : t.locks)
        if (ambiguous(t, l)) top.push_back(&l);
      if (top.empty()) continue;
      LockRef* pending = nullptr;
      for (LockRef* l : top)
        if (!pending && reported.count({t.name, l->address})) pending = l;
      for (LockRef* l : top)
        if (!pending && firm_holders.count(l->address)) pending = l;
      if (!pending && top.size() == 1) pending = top[0];
      if (!pending) continue;
      for (LockRef* l : top)
        l->action = l == pending ? LockAction::kWaitingToLock : LockAction::kLocked;
    }
  }

  std::string_view text_;
  std::vector<std::string>* diagnostics_;
  std::vector<JavaThreadDump> dumps_;
  uint64_t line_ = 0;
  uint64_t last_nonblank_ = 0;  // the line of the current non-blank line
  uint64_t prev_nonblank_ = 0;  // the non-blank line before it
  Section section_ = Section::kNone;
  JavaThread* thread_ = nullptr;
  size_t thread_index_ = 0;
  bool mounted_ = false;
  bool in_synchronizers_ = false;
  std::string_view last_text_;  // the current non-blank line, trimmed
  std::string_view prev_text_;  // the non-blank line before it
  HeaderTime last_time_;
  uint64_t last_time_line_ = 0;
  uint64_t unknown_first_ = 0;
  uint64_t unknown_count_ = 0;
  size_t dropped_ = 0;
  std::string deadlock_thread_;
  std::string deadlock_lock_;
};

}  // namespace

JavaDumpText DecodeJavaDumpText(std::string_view bytes) {
  JavaDumpText t;
  t.input = bytes;
  t.encoding = "UTF-8";
  auto b = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  if (bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    t.bom = 3;
    return t;
  }
  int endian = 0;
  size_t skip = 0;
  if (bytes.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) {
    endian = 1, skip = 2;
  } else if (bytes.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) {
    endian = -1, skip = 2;
  } else {
    endian = NulPattern(bytes);
  }
  if (endian == 0) return t;
  t.decoded = Utf16ToUtf8(bytes.substr(skip), endian > 0);
  t.converted = true;
  t.encoding = endian > 0 ? "UTF-16LE" : "UTF-16BE";
  return t;
}

std::vector<JavaThreadDump> ParseJavaThreadDumps(std::string_view text,
                                                 std::vector<std::string>* diagnostics) {
  return Parser(text, diagnostics).Run();
}

double ProbeJavaThreadDumpText(std::string_view head) {
  if (head.find("Full thread dump") != std::string_view::npos ||
      head.find("===== FULL THREAD DUMP") != std::string_view::npos) {
    return 0.95;
  }
  if (head.find("java.lang.Thread.State:") != std::string_view::npos) return 0.85;
  if (head.starts_with("Attaching to ") && head.find(" @bci=") != std::string_view::npos) {
    return 0.9;  // jhsdb jstack
  }
  // A fragment: thread headers in jstack's shape.
  size_t headers = 0;
  for (std::string_view line : Split(head, '\n')) {
    line = TrimSpace(line);
    if (line.size() > 2 && line[0] == '"' && line.find('"', 1) != std::string_view::npos &&
        (line.find(" prio=") != std::string_view::npos ||
         line.find(" nid=") != std::string_view::npos)) {
      ++headers;
    }
  }
  return headers >= 2 ? 0.7 : headers == 1 ? 0.5 : 0.0;
}

}  // namespace inquest
