#include "dumps/java/hs_err_report.h"

#include <fmt/format.h>

#include "base/redact.h"
#include "base/strings.h"
#include "dumps/java/dump_time.h"
#include "dumps/java/json_out.h"
#include "dumps/java/stack_groups.h"

namespace inquest {
namespace {

constexpr size_t kFramesShown = 15;  // frames in the text and Markdown detail

bool Contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

bool IsSystemLibrary(std::string_view lib) {
  static constexpr std::string_view kSystem[] = {
      "libc.so", "libc-",     "libpthread",     "libdl", "ld-linux", "libstdc++",
      "libm.so", "ntdll.dll", "KERNELBASE.dll", "msvcr", "ucrtbase"};
  for (std::string_view s : kSystem) {
    if (lib.starts_with(s)) return true;
  }
  return false;
}

bool IsJvmLibrary(std::string_view lib) {
  return lib.starts_with("libjvm") || lib.starts_with("jvm.dll") || lib.starts_with("libjvm.dylib");
}

bool LooksLikeGc(const HsErrLog& log) {
  static constexpr std::string_view kGc[] = {
      "GCTask",     "GC Thread",  "ConcurrentGC", "G1",        "Shenandoah", "ZGC",
      "PSScavenge", "PSParallel", "oops_do",      "MarkSweep", "ParNew",     "CMS"};
  for (std::string_view g : kGc) {
    if (Contains(log.thread_type, g) || Contains(log.thread_name, g) ||
        Contains(log.problematic.symbol, g)) {
      return true;
    }
  }
  return false;
}

bool LooksLikeCompiler(const HsErrLog& log) {
  return Contains(log.thread_name, "CompilerThread") || Contains(log.problematic.symbol, "Phase") ||
         Contains(log.problematic.symbol, "Node::") || Contains(log.problematic.symbol, "Compile");
}

// What the signal says about the fault, from siginfo.
std::string SignalMeaning(const HsErrLog& log) {
  std::string s;
  if (Contains(log.siginfo, "si_addr: 0x0000000000000000") ||
      Contains(log.siginfo, "si_addr: 0x0,") ||
      log.siginfo.ends_with("si_addr: 0x0000000000000000")) {
    s = "a null pointer was dereferenced (si_addr is 0)";
  } else if (Contains(log.siginfo, "SEGV_MAPERR")) {
    s = "the address was not mapped (SEGV_MAPERR)";
  } else if (Contains(log.siginfo, "SEGV_ACCERR")) {
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

void AddEvidence(std::string_view path, uint64_t line, std::string_view text, Finding* f) {
  if (line == 0) return;
  f->evidence.push_back({fmt::format("{}:{}", path, line),
                         Redact(SanitizeForTerminal(TrimSpace(text).substr(0, 200)))});
}

std::string Versions(const HsErrLog& log) {
  if (!log.jre_version.empty()) return log.jre_version;
  return log.vm_info;
}

}  // namespace

Finding HsErrVerdict(const HsErrLog& log, std::string_view path) {
  Finding f;
  f.time = log.time;
  f.confidence = 0.9;
  f.severity = Severity::kCritical;
  const HsErrFrame& p = log.problematic;
  std::string where = log.thread_name.empty()
                          ? log.thread_type
                          : fmt::format("{} \"{}\"", log.thread_type, log.thread_name);
  std::string meaning = SignalMeaning(log);
  if (log.insufficient_memory || StartsWithIgnoreCase(log.error, "Out of Memory Error")) {
    bool threads = Contains(log.oom, "thread") || Contains(log.oom, "pthread_create");
    f.kind = threads ? "jvm-thread-limit" : "jvm-native-oom";
    f.subject = log.oom;
    f.title = threads
                  ? fmt::format("out of native threads: {}", log.oom.empty() ? log.error : log.oom)
                  : fmt::format("out of native memory: {}", log.oom.empty() ? log.error : log.oom);
    f.explanation =
        threads
            ? "The JVM could not start a native thread: the process or user hit its thread limit "
              "(ulimit -u, the container's pids limit, kernel.threads-max) or ran out of memory "
              "for thread stacks. Not a Java heap OutOfMemoryError: a heap dump will not help."
            : "The JVM could not get native memory from the OS. Not a Java heap "
              "OutOfMemoryError: physical memory and swap, the container's memory limit, or "
              "the address space ran out (a heap, metaspace or code cache sized past what the "
              "machine has, or native memory leaking in a library).";
    if (Contains(log.oom, "committing reserved memory") || Contains(log.oom, "Failed to commit")) {
      f.explanation +=
          " The failed mmap was the JVM committing memory it had reserved, "
          "typically heap growth: -Xmx is larger than the memory available.";
    }
    AddEvidence(path, log.oom_line ? log.oom_line : log.error_line,
                log.oom.empty() ? log.error : log.oom, &f);
  } else if (log.error.starts_with("Internal Error")) {
    f.kind = "jvm-internal-error";
    // What follows "Internal Error" ("(file.cpp:833), pid=1, tid=2"); a cut line may hold
    // nothing more.
    std::string_view where = TrimSpace(std::string_view(log.error).substr(14));
    f.title = fmt::format("JVM internal error{}{}{}", where.empty() ? "" : " ", where,
                          log.error_detail.empty() ? "" : ": " + log.error_detail);
    f.explanation =
        "An assert or guarantee inside the VM failed: a JVM bug (search the JDK bug "
        "tracker for the file and line) or memory corruption by native code.";
    AddEvidence(path, log.error_line, log.error, &f);
  } else if (!log.has_problematic && log.error.empty()) {
    f.kind = "hs-err-fragment";
    f.severity = Severity::kInfo;
    f.confidence = 0.5;
    f.title = "fragment of a JVM fatal error log: no error header";
    if (!Versions(log).empty()) f.title += " (" + Versions(log) + ")";
    f.explanation =
        "The file holds sections of an hs_err log but not its header, so the signal "
        "and the problematic frame are not known.";
  } else if (!log.has_problematic) {
    f.kind = "jvm-crash-vm";
    f.title =
        fmt::format("JVM crash: {} at pc={} (no problematic frame in the log)", log.error, log.pc);
    f.explanation = meaning.empty() ? "" : "The signal says " + meaning + ".";
    AddEvidence(path, log.error_line, log.error, &f);
  } else {
    std::string frame = p.symbol.empty() ? p.library : p.symbol;
    std::string java = TopJavaFrame(log);
    if (p.kind == 'C' && !IsJvmLibrary(p.library)) {
      bool jni = p.symbol.starts_with("Java_") || log.thread_state == "_thread_in_native";
      bool system = IsSystemLibrary(p.library);
      f.kind = jni && !system ? "jvm-crash-jni" : "jvm-crash-native";
      if (p.library.starts_with("jna")) {
        f.title = fmt::format("crash in a native library loaded through JNA ({}) in {}", p.library,
                              frame);
      } else if (jni && !system) {
        std::string entry;
        for (const HsErrFrame& n : log.native_frames) {
          if (n.kind == 'C' && n.symbol.starts_with("Java_")) {
            entry = n.symbol.substr(0, n.symbol.find('+'));
            break;
          }
        }
        f.title =
            fmt::format("crash in native library {} called through JNI{}, in {}", p.library,
                        entry.empty() || frame.starts_with(entry) ? "" : " (" + entry + ")", frame);
      } else if (system) {
        f.title = fmt::format("crash in system library {} in {}", p.library, frame);
      } else {
        f.title = fmt::format("crash in native library {} in {}", p.library, frame);
      }
      f.subject = p.library;
      f.explanation = "The VM died in native code outside the JVM";
      if (!java.empty()) f.explanation += fmt::format(", called from the Java method {}", java);
      f.explanation += ". ";
      if (system) {
        f.explanation +=
            "A crash inside a system library usually means a bad pointer or buffer "
            "was passed in by native (JNI) code or the VM. ";
      }
      f.explanation += "The fix lives in the native library, not in Java exception handling.";
    } else if (p.kind == 'J' || p.kind == 'A' || (p.kind == 'V' && LooksLikeCompiler(log))) {
      f.kind = "jvm-crash-jit";
      if (p.kind == 'V') {
        f.title = fmt::format("crash in the JIT compiler ({}) in {}", where, frame);
        f.explanation =
            "The VM died while compiling a method: a JIT compiler bug. Excluding the "
            "method being compiled (-XX:CompileCommand=exclude,...) or updating the "
            "JDK works around it.";
      } else {
        f.title = fmt::format("crash in JIT-compiled Java code: {}", frame);
        f.explanation =
            "The VM died in machine code the JIT generated for a Java method: a JIT "
            "compiler bug is the usual suspect. Excluding the method "
            "(-XX:CompileCommand=exclude,Class::method) confirms it.";
      }
    } else if (p.kind == 'V' && p.symbol.starts_with("Unsafe_")) {
      f.kind = "jvm-crash-unsafe";
      f.title = fmt::format("crash in sun.misc.Unsafe access ({}){}", frame,
                            java.empty() ? "" : ", called from " + java);
      f.explanation =
          "Java code read or wrote a bad address through sun.misc.Unsafe (or a "
          "library built on it: off-heap buffers, serializers). The VM does not "
          "check those addresses.";
    } else if (p.kind == 'V' && LooksLikeGc(log)) {
      f.kind = "jvm-crash-gc";
      f.title = fmt::format("crash in the garbage collector ({}) in {}", where, frame);
      f.explanation =
          "The collector found a broken object graph: heap corruption (often native "
          "code writing into the Java heap) or a GC bug.";
    } else if (p.kind == 'j') {
      f.kind = "jvm-crash-vm";
      f.title = fmt::format("crash in interpreted Java code: {}", frame);
      f.explanation =
          "The VM died while interpreting a Java method: the method's data was "
          "corrupt (native code or sun.misc.Unsafe writing where it must not) or the "
          "VM has a bug.";
    } else if (p.kind == 'v') {
      f.kind = "jvm-crash-vm";
      f.title = fmt::format("crash in VM-generated stub code: {}", frame);
      f.explanation =
          "The VM died in code it generated at startup (stubs for copies, calls, "
          "checks): usually a bad address handed to it, rarely a VM bug.";
    } else {
      f.kind = "jvm-crash-vm";
      f.title = fmt::format("crash inside the JVM ({}) in {}", p.library, frame);
      f.explanation = "The VM itself died: a JVM bug or memory corruption by native code.";
    }
    if (!f.title.empty() && !log.signal.empty()) f.title = log.signal + ": " + f.title;
    if (!meaning.empty()) f.explanation += " The signal says " + meaning + ".";
    AddEvidence(path, log.error_line, log.error + " at pc=" + log.pc, &f);
    AddEvidence(path, p.line, p.text, &f);
  }
  AddEvidence(path, log.current_thread_line, log.current_thread, &f);
  AddEvidence(path, log.siginfo_line, log.siginfo, &f);
  return f;
}

DumpAnalysis AnalyzeHsErr(std::string_view path, const HsErrLog& log,
                          std::vector<std::string> diagnostics, const DumpOptions& options) {
  DumpAnalysis a;
  a.kind = "hs-err";
  a.path = std::string(path);
  a.diagnostics = std::move(diagnostics);
  if (!log.complete && log.has_header) {
    a.diagnostics.push_back(fmt::format(
        "{}: the log has no final \"END.\": it was cut off, later sections are missing", path));
  }
  a.verdicts.push_back(HsErrVerdict(log, path));
  // hs_err times are local wall-clock times; most logs name the zone, after the time (JDK 9+)
  // or on a "timezone:" line (JDK 8).
  DumpOwnTime own;
  own.time = log.time;
  own.wall_clock = true;
  own.zone = log.time_zone;
  if (log.time_zone_line != 0) own.zone_where = fmt::format("line {}", log.time_zone_line);
  SetJavaDumpTime(path, own, options, &a);
  if (a.verdicts[0].time == kNoTime) a.verdicts[0].time = a.time;

  const HsErrFrame& p = log.problematic;
  std::string& t = a.text;
  t +=
      fmt::format("JVM fatal error log: {}\n", log.error.empty() ? "(no error header)" : log.error);
  if (!log.pc.empty()) t += fmt::format("  pc={} pid={} tid={}\n", log.pc, log.pid, log.tid);
  if (!log.error_detail.empty()) t += "  " + log.error_detail + "\n";
  if (!log.oom.empty()) t += "  " + log.oom + "\n";
  if (!log.jre_version.empty()) t += "  JRE: " + log.jre_version + "\n";
  if (!log.vm_version.empty()) t += "  VM: " + log.vm_version + "\n";
  if (!log.vm_info.empty()) t += "  vm_info: " + log.vm_info + "\n";
  if (log.has_problematic) {
    t += fmt::format("  Problematic frame ({}): {}\n", HsErrFrameKindName(p.kind), p.text);
  }
  if (!log.current_thread.empty()) {
    t += fmt::format("  Current thread: {}{}{}\n", log.thread_type,
                     log.thread_name.empty() ? "" : " \"" + log.thread_name + "\"",
                     log.thread_state.empty() ? "" : " (" + log.thread_state + ")");
  }
  if (!log.siginfo.empty()) t += "  siginfo: " + log.siginfo + "\n";
  if (!log.command_line.empty()) t += "  Command line: " + Redact(log.command_line) + "\n";
  if (!log.time_text.empty()) t += "  Time: " + log.time_text + "\n";
  // JDK 8 writes the zone on a line of its own.
  if (!log.time_zone.empty() && log.time_text.find(log.time_zone) == std::string::npos)
    t += "  Time zone: " + log.time_zone + "\n";
  if (!log.elapsed.empty()) t += "  Elapsed: " + log.elapsed + "\n";
  if (!log.os.empty()) t += "  OS: " + log.os + "\n";
  if (!log.host.empty()) t += "  Host: " + log.host + "\n";
  auto frames = [&](const char* title, const std::vector<HsErrFrame>& list) {
    if (list.empty()) return;
    t += fmt::format("  {} ({}):\n", title, list.size());
    for (size_t i = 0; i < list.size() && i < kFramesShown; ++i) t += "    " + list[i].text + "\n";
    if (list.size() > kFramesShown)
      t += fmt::format("    ... {} more\n", list.size() - kFramesShown);
  };
  frames("Native frames", log.native_frames);
  frames("Java frames", log.java_frames);
  if (!log.heap.empty()) {
    t += "  Heap:\n";
    for (const std::string& h : log.heap) t += "    " + std::string(TrimSpace(h)) + "\n";
  }

  std::string& m = a.markdown;
  m += "| field | value |\n|---|---|\n";
  auto row = [&](std::string_view k, std::string_view v) {
    if (!v.empty()) m += fmt::format("| {} | {} |\n", k, MarkdownCell(v));
  };
  row("error", log.error);
  row("pc", log.pc);
  row("detail", log.error_detail.empty() ? log.oom : log.error_detail);
  row("JRE", log.jre_version);
  row("VM", log.vm_version.empty() ? log.vm_info : log.vm_version);
  if (log.has_problematic) {
    row("problematic frame", fmt::format("{} ({})", p.text, HsErrFrameKindName(p.kind)));
  }
  row("current thread", log.current_thread);
  row("siginfo", log.siginfo);
  row("command line", Redact(log.command_line));
  row("time", log.time_text);
  if (log.time_text.find(log.time_zone) == std::string::npos) row("time zone", log.time_zone);
  auto md_frames = [&](const char* title, const std::vector<HsErrFrame>& list) {
    if (list.empty()) return;
    m += fmt::format("\n**{}** ({})\n\n```\n", title, list.size());
    for (size_t i = 0; i < list.size() && i < kFramesShown; ++i) m += list[i].text + "\n";
    m += "```\n";
  };
  md_frames("Native frames", log.native_frames);
  md_frames("Java frames", log.java_frames);

  JsonOut j;
  j.BeginObject().Key("kind").String("hs-err").Key("path").String(path);
  j.Key("has_header").Bool(log.has_header).Key("complete").Bool(log.complete);
  j.Key("error").String(log.error).Key("signal").String(log.signal).Key("pc").String(log.pc);
  j.Key("pid").String(log.pid).Key("tid").String(log.tid);
  j.Key("error_detail").String(log.error_detail).Key("out_of_memory").String(log.oom);
  j.Key("jre_version").String(log.jre_version).Key("vm_version").String(log.vm_version);
  j.Key("vm_info").String(log.vm_info);
  j.Key("problematic_frame");
  auto frame_json = [&](const HsErrFrame& f) {
    j.BeginObject().Key("kind").String(std::string(1, f.kind));
    j.Key("kind_name").String(HsErrFrameKindName(f.kind)).Key("library").String(f.library);
    j.Key("offset").String(f.offset).Key("symbol").String(f.symbol).Key("line").Int(f.line);
    j.EndObject();
  };
  if (log.has_problematic) {
    frame_json(p);
  } else {
    j.Null();
  }
  j.Key("current_thread").BeginObject().Key("type").String(log.thread_type);
  j.Key("name").String(log.thread_name).Key("state").String(log.thread_state).EndObject();
  j.Key("siginfo").String(log.siginfo);
  j.Key("native_frames").BeginArray();
  for (const HsErrFrame& f : log.native_frames) frame_json(f);
  j.EndArray().Key("java_frames").BeginArray();
  for (const HsErrFrame& f : log.java_frames) frame_json(f);
  j.EndArray().Key("heap").BeginArray();
  for (const std::string& h : log.heap) j.String(TrimSpace(h));
  j.EndArray();
  j.Key("command_line").String(Redact(log.command_line)).Key("time").Time(a.time);
  j.Key("time_text").String(log.time_text).Key("time_zone").String(log.time_zone);
  j.Key("elapsed").String(log.elapsed).Key("os").String(log.os).Key("host").String(log.host);
  j.EndObject();
  a.json = j.Take();
  return a;
}

}  // namespace inquest
