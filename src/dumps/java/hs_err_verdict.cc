// HsErrVerdict (declared in hs_err_report.h): what killed the VM, said from the log's error
// line, its detail and cause lines, and the crash site (hs_err_site.h).
#include <fmt/format.h>

#include "base/output.h"
#include "base/strings.h"
#include "dumps/java/dump_summary.h"
#include "dumps/java/hs_err_report.h"
#include "dumps/java/hs_err_site.h"
#include "dumps/java/stack_groups.h"

namespace inquest {
namespace {

// Longest item of a fragment's summary ("vm_info ..."): the headline stays one line.
constexpr size_t kMaxFragmentItem = 80;
// Sections named in a fragment's summary; the detail lists them all.
constexpr size_t kFragmentSectionsNamed = 3;

bool Mentions(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

// What the signal says about the fault, from siginfo.
std::string SignalMeaning(const HsErrLog& log) {
  std::string s;
  if (Mentions(log.siginfo, "si_addr: 0x0000000000000000") ||
      Mentions(log.siginfo, "si_addr: 0x0,") ||
      log.siginfo.ends_with("si_addr: 0x0000000000000000")) {
    s = "a null pointer was dereferenced (si_addr is 0)";
  } else if (Mentions(log.siginfo, "SEGV_MAPERR")) {
    s = "the address was not mapped (SEGV_MAPERR)";
  } else if (Mentions(log.siginfo, "SEGV_ACCERR")) {
    s = "the address was mapped without the needed permission (SEGV_ACCERR)";
  } else if (log.signal == "SIGBUS") {
    s = "a bus error, often a memory-mapped file truncated under the process";
  } else if (log.signal == "SIGILL") {
    s = "an illegal instruction, often code built for a newer CPU or a corrupt code cache";
  }
  return s;
}

// The application's Java frame nearest the crash (the first one outside the JDK), else the
// nearest Java frame at all.
std::string TopJavaFrame(const HsErrLog& log) {
  const auto& frames = log.java_frames.empty() ? log.native_frames : log.java_frames;
  std::string first;
  for (const HsErrFrame& f : frames) {
    if (f.kind != 'j' && f.kind != 'J' && f.kind != 'A') continue;
    if (!IsJdkFrame(f.symbol)) return f.symbol;
    if (first.empty()) first = f.symbol;
  }
  return first;
}

// The frame that made a bad jump: the problematic frame when the JVM unwound to a named one
// (with pc 0 it names the caller), else the first native frame with a name (the bad address
// itself is printed as a bare address frame).
std::string JumpedFrom(const HsErrLog& log) {
  auto named = [](const HsErrFrame& f) -> std::string {
    uint64_t a = 0;
    if (f.library.empty() && ParseHsErrAddress(f.symbol, &a)) return {};
    if (!f.symbol.empty()) return f.symbol;
    if (!f.library.empty()) return f.offset.empty() ? f.library : f.library + "+" + f.offset;
    return {};
  };
  if (log.has_problematic) {
    if (std::string n = named(log.problematic); !n.empty()) return n;
  }
  for (const HsErrFrame& f : log.native_frames) {
    if (std::string n = named(f); !n.empty()) return n;
  }
  return {};
}

void AddEvidence(std::string_view path, uint64_t line, std::string_view text, Finding* f) {
  if (line == 0) return;
  f->evidence.push_back({fmt::format("{}:{}", path, line),
                         SanitizeForTerminal(RedactBeforeCut(TrimSpace(text)).substr(0, 200))});
}

// " (JavaThread \"main\")", or "" when the log names no current thread.
std::string ThreadPart(const HsErrLog& log) {
  if (log.thread_type.empty() && log.thread_name.empty()) return {};
  if (log.thread_name.empty()) return " (" + log.thread_type + ")";
  return fmt::format(" ({}{}\"{}\")", log.thread_type, log.thread_type.empty() ? "" : " ",
                     log.thread_name);
}

// " in Java_Crash_boom+0x10", " at offset 0x1a2f", or "" for a frame with neither.
std::string WherePart(const HsErrLog& log, const CrashSite& site) {
  const HsErrFrame& p = log.problematic;
  if (!p.symbol.empty()) return " in " + p.symbol;
  if (!p.offset.empty()) return " at offset " + p.offset;
  if (!site.library.empty() && site.address_known) return fmt::format(" at 0x{:x}", site.address);
  return {};
}

std::string Shorten(std::string s) {
  if (s.size() <= kMaxFragmentItem) return s;
  size_t cut = s.rfind(' ', kMaxFragmentItem);
  s.resize(cut == std::string::npos || cut == 0 ? kMaxFragmentItem : cut);
  return s + " ...";
}

bool IsOutOfMemory(const HsErrLog& log) {
  if (log.insufficient_memory || log.error.starts_with("Out of Memory Error")) return true;
  for (const std::string& c : log.oom_causes)
    if (c.starts_with("java.lang.OutOfMemoryError")) return true;
  return false;
}

void OomVerdict(const HsErrLog& log, std::string_view path, Finding* f) {
  bool threads = false;
  for (const std::string& c : log.oom_causes) threads |= Mentions(c, "thread");
  f->kind = threads ? "jvm-thread-limit" : "jvm-native-oom";
  f->subject = log.oom;
  std::string causes =
      log.oom_causes.empty() ? log.error : fmt::format("{}", fmt::join(log.oom_causes, "; "));
  std::string what = threads ? "out of native threads" : "out of native memory";
  f->title = causes.empty() ? what : what + ": " + causes;
  f->explanation =
      threads ? "The JVM could not start a native thread: the process or user hit its thread limit "
                "(ulimit -u, the container's pids limit, kernel.threads-max) or ran out of memory "
                "for thread stacks. Not a Java heap OutOfMemoryError: a heap dump will not help."
              : "The JVM could not get native memory from the OS. Not a Java heap "
                "OutOfMemoryError: physical memory and swap, the container's memory limit, or "
                "the address space ran out (a heap, metaspace or code cache sized past what the "
                "machine has, or native memory leaking in a library).";
  if (Mentions(causes, "committing reserved memory") || Mentions(causes, "Failed to commit")) {
    f->explanation +=
        " The failed mmap was the JVM committing memory it had reserved, "
        "typically heap growth: -Xmx is larger than the memory available.";
  }
  AddEvidence(path, log.oom_line ? log.oom_line : log.error_line,
              log.oom.empty() ? log.error : log.oom, f);
}

void InternalErrorVerdict(const HsErrLog& log, std::string_view path, Finding* f) {
  f->kind = "jvm-internal-error";
  // What follows "Internal Error" ("(file.cpp:833)"); a cut line may hold nothing more.
  std::string_view where = TrimSpace(std::string_view(log.error).substr(14));
  f->title = fmt::format("JVM internal error{}{}{}", where.empty() ? "" : " ", where,
                         log.error_detail.empty() ? "" : ": " + log.error_detail);
  f->subject = log.error_detail;
  f->explanation =
      "An assert or guarantee inside the VM failed: a JVM bug (search the JDK bug "
      "tracker for the file and line and the message) or memory corruption by native code.";
  AddEvidence(path, log.error_line, log.error, f);
  AddEvidence(path, log.error_detail_line, log.error_detail, f);
}

void FragmentVerdict(const HsErrLog& log, Finding* f) {
  f->kind = "hs-err-fragment";
  f->severity = Severity::kInfo;
  f->confidence = 0.5;
  std::vector<std::string> read;
  if (!log.jre_version.empty()) {
    read.push_back("JRE " + log.jre_version);
  } else if (!log.vm_version.empty()) {
    read.push_back("VM " + log.vm_version);
  } else if (!log.vm_info.empty()) {
    read.push_back("vm_info " + log.vm_info);
  }
  if (!log.os.empty()) read.push_back("OS " + log.os);
  if (log.has_problematic) read.push_back("problematic frame " + log.problematic.text);
  if (!log.current_thread.empty())
    read.push_back("current thread" + ThreadPart(log));  // " (JavaThread \"main\")"
  if (!log.native_frames.empty())
    read.push_back(JavaCount(log.native_frames.size(), "native frame"));
  if (!log.java_frames.empty()) read.push_back(JavaCount(log.java_frames.size(), "Java frame"));
  if (!log.time_text.empty()) read.push_back("time " + log.time_text);
  if (!log.host.empty()) read.push_back("host " + log.host);
  std::vector<std::string> sections;
  for (const std::string& s : log.sections) {
    if (s == "Native frames" || s == "Java frames" || s == "OS") continue;
    if (sections.size() == kFragmentSectionsNamed) {
      sections.push_back("...");
      break;
    }
    sections.push_back(s);
  }
  if (!sections.empty()) read.push_back(fmt::format("{}", fmt::join(sections, ", ")));
  for (std::string& r : read) r = Shorten(std::move(r));
  f->title = read.empty()
                 ? "fragment: no error header, nothing else read"
                 : fmt::format("fragment: no error header; read: {}", fmt::join(read, "; "));
  f->explanation =
      "The file holds sections of an hs_err log but not its error header (the signal or error "
      "line), so what killed the VM and where is not known; what the sections hold is shown.";
}

void CrashVerdict(const HsErrLog& log, const CrashSite& site, std::string_view path, Finding* f) {
  const HsErrFrame& p = log.problematic;
  std::string java = TopJavaFrame(log);
  std::string where = WherePart(log, site);
  std::string lib = site.library;
  switch (site.kind) {
    case CrashSiteKind::kNone:
      f->kind = "jvm-crash-vm";
      f->title = fmt::format("JVM crash: {}{} (no problematic frame in the log)", log.error,
                             log.pc.empty() ? "" : " at pc=" + log.pc);
      break;
    case CrashSiteKind::kBadJump: {
      f->kind = "jvm-crash-bad-jump";
      std::string from = JumpedFrom(log);
      uint64_t pc = 1;
      bool pc_zero = ParseHsErrAddress(log.pc, &pc) && pc == 0;
      f->title = site.address == 0 ? fmt::format(
                                         "a jump to address 0{}: a call through a null function "
                                         "pointer or a corrupted return address",
                                         pc_zero ? " (pc=" + log.pc + ")" : "")
                                   : fmt::format(
                                         "a jump to {}, outside every mapped library and memory "
                                         "region: a corrupted function pointer or return address",
                                         site.name);
      if (!from.empty()) f->title += ", jumped from " + from;
      f->subject = from;
      f->explanation =
          "The CPU was sent where no code is: the frame before the jump called through a "
          "function pointer that was null or overwritten, or returned through a return address "
          "a stack buffer overrun destroyed. The fix is in the native code that made the call.";
      break;
    }
    case CrashSiteKind::kAnonymousCode:
      f->kind = "jvm-crash-native";
      f->title = fmt::format(
          "crash in code at {} that belongs to no library (code written into "
          "memory at run time)",
          site.name);
      f->explanation =
          "The VM died in code that is in no library: the JIT code cache, a stub, or code a "
          "native library generated.";
      break;
    case CrashSiteKind::kJniLibrary: {
      f->kind = "jvm-crash-jni";
      std::string entry;
      for (const HsErrFrame& n : log.native_frames) {
        if (n.kind == 'C' && n.symbol.starts_with("Java_")) {
          entry = n.symbol.substr(0, n.symbol.find('+'));
          break;
        }
      }
      f->title =
          fmt::format("crash in native library {} called through JNI{}", lib,
                      entry.empty() || p.symbol.starts_with(entry) ? "" : " (" + entry + ")");
      f->title += where.empty() ? "" : "," + where;
      break;
    }
    case CrashSiteKind::kJnaLibrary:
      // Entered from Java like a JNI library, through JNA's own JNI stub.
      f->kind = p.symbol.starts_with("Java_") || log.thread_state == "_thread_in_native"
                    ? "jvm-crash-jni"
                    : "jvm-crash-native";
      f->title = fmt::format("crash in a native library loaded through JNA ({}){}", lib, where);
      break;
    case CrashSiteKind::kSystemLibrary:
      f->kind = "jvm-crash-native";
      f->title = fmt::format("crash in system library {}{}", lib, where);
      break;
    case CrashSiteKind::kNativeLibrary:
      f->kind = "jvm-crash-native";
      f->title = lib.empty() ? fmt::format("crash in native code in {}", site.name)
                             : fmt::format("crash in native library {}{}", lib, where);
      break;
    case CrashSiteKind::kJitCode:
      f->kind = "jvm-crash-jit";
      f->title = fmt::format("crash in JIT-compiled Java code: {}", site.name);
      f->explanation =
          "The VM died in machine code the JIT generated for a Java method: a JIT "
          "compiler bug is the usual suspect. Excluding the method "
          "(-XX:CompileCommand=exclude,Class::method) confirms it.";
      break;
    case CrashSiteKind::kAotCode:
      f->kind = "jvm-crash-jit";
      f->title = fmt::format("crash in AOT-compiled Java code: {}", site.name);
      f->explanation =
          "The VM died in machine code compiled ahead of time for a Java method: a compiler "
          "bug, or an AOT library that does not match the JDK.";
      break;
    case CrashSiteKind::kInterpreted:
      f->kind = "jvm-crash-vm";
      f->title = fmt::format("crash in interpreted Java code: {}", site.name);
      f->explanation =
          "The VM died while interpreting a Java method: the method's data was "
          "corrupt (native code or sun.misc.Unsafe writing where it must not) or the "
          "VM has a bug.";
      break;
    case CrashSiteKind::kStub:
      f->kind = "jvm-crash-vm";
      f->title = fmt::format("crash in VM-generated stub code: {}", site.name);
      f->explanation =
          "The VM died in code it generated at startup (stubs for copies, calls, "
          "checks, the interpreter): usually a bad address handed to it, rarely a VM bug.";
      break;
    case CrashSiteKind::kVmCompiler:
      f->kind = "jvm-crash-jit";
      f->title = fmt::format("crash in the JIT compiler{} in {}", ThreadPart(log), site.name);
      f->explanation =
          "The VM died while compiling a method: a JIT compiler bug. Excluding the "
          "method being compiled (-XX:CompileCommand=exclude,...) or updating the "
          "JDK works around it.";
      break;
    case CrashSiteKind::kVmUnsafe:
      f->kind = "jvm-crash-unsafe";
      f->title = fmt::format("crash in sun.misc.Unsafe access ({}){}", site.name,
                             java.empty() ? "" : ", called from " + java);
      f->explanation =
          "Java code read or wrote a bad address through sun.misc.Unsafe (or a "
          "library built on it: off-heap buffers, serializers). The VM does not "
          "check those addresses.";
      break;
    case CrashSiteKind::kVmGc:
      f->kind = "jvm-crash-gc";
      f->title = fmt::format("crash in the garbage collector{} in {}", ThreadPart(log), site.name);
      f->explanation =
          "The collector found a broken object graph: heap corruption (often native "
          "code writing into the Java heap) or a GC bug.";
      break;
    case CrashSiteKind::kVm:
      f->kind = "jvm-crash-vm";
      f->title = lib.empty() || site.name.starts_with(lib)
                     ? fmt::format("crash inside the JVM in {}", site.name)
                     : fmt::format("crash inside the JVM ({}) in {}", lib, site.name);
      f->explanation = "The VM itself died: a JVM bug or memory corruption by native code.";
      break;
  }
  bool native =
      site.kind == CrashSiteKind::kJniLibrary || site.kind == CrashSiteKind::kJnaLibrary ||
      site.kind == CrashSiteKind::kSystemLibrary || site.kind == CrashSiteKind::kNativeLibrary;
  if (native) {
    f->subject = lib;
    f->explanation = "The VM died in native code outside the JVM";
    if (!java.empty()) f->explanation += fmt::format(", called from the Java method {}", java);
    f->explanation += ". ";
    if (site.kind == CrashSiteKind::kSystemLibrary) {
      f->explanation +=
          "A crash inside a system library usually means a bad pointer or buffer "
          "was passed in by native (JNI) code or the VM. ";
    }
    f->explanation += "The fix lives in the native library, not in Java exception handling.";
  }
  if (!log.signal.empty() && site.kind != CrashSiteKind::kNone) {
    f->title = log.signal + ": " + f->title;
  }
  std::string meaning = SignalMeaning(log);
  if (!meaning.empty()) {
    f->explanation += (f->explanation.empty() ? "" : " ") + ("The signal says " + meaning + ".");
  }
  AddEvidence(path, log.error_line, log.pc.empty() ? log.error : log.error + " at pc=" + log.pc, f);
  if (log.has_problematic) AddEvidence(path, p.line, p.text, f);
}

}  // namespace

Finding HsErrVerdict(const HsErrLog& log, std::string_view path) {
  Finding f;
  f.time = log.time;
  f.confidence = 0.9;
  f.severity = Severity::kCritical;
  if (IsOutOfMemory(log)) {
    OomVerdict(log, path, &f);
  } else if (log.error.starts_with("Internal Error")) {
    InternalErrorVerdict(log, path, &f);
  } else if (log.error.empty()) {
    FragmentVerdict(log, &f);
  } else {
    CrashVerdict(log, LocateCrash(log), path, &f);
  }
  AddEvidence(path, log.current_thread_line, log.current_thread, &f);
  AddEvidence(path, log.siginfo_line, log.siginfo, &f);
  return f;
}

}  // namespace inquest
