#include "analyze/jvm_frames.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "base/strings.h"
#include "capture/subprocess.h"
#include "dumps/java/java_readers.h"
#include "dumps/java/thread_dump_parser.h"
#include "native/dwfl_session.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

// The JDK home of a libjvm.so path: HOME/lib/server/libjvm.so (JDK 9+) or
// HOME/jre/lib/amd64/server/libjvm.so (JDK 8).
std::string HomeOf(const std::string& libjvm) {
  fs::path p(libjvm);
  fs::path home = p.parent_path().parent_path().parent_path();
  if (home.filename() == "jre") home = home.parent_path();
  if (home.parent_path().filename() == "jre") home = home.parent_path().parent_path();
  return home.string();
}

std::string LibjvmOf(const std::string& home) {
  for (const char* rel : {"lib/server/libjvm.so", "jre/lib/amd64/server/libjvm.so"}) {
    fs::path p = fs::path(home) / rel;
    std::error_code ec;
    if (fs::exists(p, ec)) return p.string();
  }
  return {};
}

// "0x6697" (jstack to JDK 18) or "26263" (JDK 19+): the LWP; 0 when unreadable.
int NidToLwp(std::string_view nid) {
  if (nid.starts_with("0x") || nid.starts_with("0X")) {
    char* end = nullptr;
    std::string s(nid.substr(2));
    unsigned long v = std::strtoul(s.c_str(), &end, 16);
    return end != nullptr && *end == '\0' && v < (1ul << 31) ? static_cast<int>(v) : 0;
  }
  std::optional<int64_t> v = ParseInt(nid);
  return v && *v > 0 && *v < (int64_t{1} << 31) ? static_cast<int>(*v) : 0;
}

// "java.lang.Thread.join(long) line 1313" (jhsdb, as the dump reader keeps it) or
// "java.lang.Thread.join(Thread.java:1313)" (jstack) as a runtime frame.
RuntimeFrame FrameOf(std::string_view text) {
  RuntimeFrame f;
  size_t line = text.rfind(" line ");
  if (line != std::string_view::npos) {
    if (std::optional<int64_t> n = ParseInt(text.substr(line + 6)); n && *n > 0 && *n < (1 << 30)) {
      f.line = static_cast<int>(*n);
      text = text.substr(0, line);
    }
  }
  size_t open = text.find('(');
  size_t colon = text.rfind(':');
  if (open != std::string_view::npos && text.ends_with(")") && f.line == 0 &&
      colon != std::string_view::npos && colon > open) {
    // jstack: "Cls.m(File.java:12)"
    f.function = std::string(text.substr(0, open));
    f.file = std::string(text.substr(open + 1, colon - open - 1));
    if (std::optional<int64_t> n = ParseInt(text.substr(colon + 1, text.size() - colon - 2))) {
      f.line = static_cast<int>(*n);
    }
    return f;
  }
  f.function = std::string(text);
  return f;
}

}  // namespace

std::string FindJdkFor(const std::string& build_id, const std::string& module,
                       const JvmFramesOptions& options) {
  // A JDK named by the user is the only one tried: a mismatch is said, not worked around.
  std::vector<std::string> homes = options.jdks;
  if (homes.empty() && !module.empty()) homes.push_back(HomeOf(module));
  if (const char* java_home = std::getenv("JAVA_HOME");
      options.jdks.empty() && java_home && *java_home) {
    homes.emplace_back(java_home);
  }
  for (const std::string& root :
       options.jdks.empty() ? options.jdk_roots : std::vector<std::string>{}) {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
      homes.push_back(e.path().string());
    }
  }
  for (const std::string& home : homes) {
    std::string libjvm = LibjvmOf(home);
    std::error_code ec;
    if (libjvm.empty() || !fs::exists(fs::path(home) / "bin/jhsdb", ec)) continue;
    if (!build_id.empty() && FileBuildId(libjvm) == build_id) return home;
  }
  return {};
}

size_t JoinJavaDump(const std::string& text, RuntimeView* view) {
  std::vector<std::string> diagnostics;
  std::vector<JavaThreadDump> dumps = ParseJavaThreadDumps(text, &diagnostics);
  if (dumps.empty()) return 0;
  std::unordered_map<int, RuntimeThread*> by_lwp;
  for (RuntimeThread& t : view->threads)
    if (t.lwp != 0) by_lwp.emplace(t.lwp, &t);
  size_t joined = 0;
  for (const JavaThread& jt : dumps.back().threads) {
    auto it = by_lwp.find(NidToLwp(jt.nid));
    if (it == by_lwp.end()) continue;
    {
      RuntimeThread& t = *it->second;
      t.frames.clear();
      for (const JavaFrame& f : jt.frames) t.frames.push_back(FrameOf(f.text));
      if (t.state.empty() && jt.state != JavaThreadState::kUnknown) {
        t.state = std::string(JavaThreadStateName(jt.state));
      }
      if (t.name.empty()) t.name = jt.name;
      ++joined;
    }
  }
  return joined;
}

std::vector<std::string> JavaDumpVerdictLines(const std::string& text, const std::string& source) {
  std::vector<std::string> out;
  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze(source, text, DumpOptions{});
  if (!a.ok()) return out;
  for (const Finding& f : a->verdicts) {
    out.push_back(fmt::format("{} {}", SeverityName(f.severity), f.title));
  }
  return out;
}

JvmFrames AddJavaFrames(const std::string& core_path, CoreReport* report,
                        const JvmFramesOptions& options) {
  JvmFrames out;
  RuntimeView& v = report->runtime;
  if (v.runtime != "HotSpot" || v.threads.empty()) return out;
  out.jdk = FindJdkFor(v.build_id, v.module, options);
  if (out.jdk.empty()) {
    out.missing = fmt::format(
        "Java frames need jhsdb from the JDK the process ran ({}, libjvm.so build-id {}); {} "
        "has that libjvm.so with a jhsdb beside it: install that build or pass --jdk HOME",
        v.version.empty() ? "version unknown" : v.version,
        v.build_id.empty() ? "unknown" : v.build_id,
        options.jdks.empty() ? "no JDK here" : "no JDK given with --jdk");
    v.problems.push_back(out.missing);
    return out;
  }
  char path[] = "/tmp/inquest-jhsdb-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) {
    out.missing = "Java frames: no temporary file for jhsdb's output";
    v.problems.push_back(out.missing);
    return out;
  }
  ::unlink(path);
  std::string jhsdb = (fs::path(out.jdk) / "bin/jhsdb").string();
  std::string java = (fs::path(out.jdk) / "bin/java").string();
  Result<CommandResult> r = RunCommand(
      {jhsdb, "jstack", "--locks", "--core", core_path, "--exe", java}, fd, options.timeout_ms);
  std::string text;
  bool cut = false;
  if (r.ok()) {
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size > 0) {
      // A thread dump of 100,000 threads is tens of MB; past the cap the rest is not read.
      size_t keep = std::min<size_t>(static_cast<size_t>(size), kMaxJhsdbOutput);
      cut = keep < static_cast<size_t>(size);
      text.resize(keep);
      if (::pread(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(keep)) text.clear();
    }
  }
  ::close(fd);
  std::string said = r.ok() ? std::string(TrimSpace(r->output)).substr(0, 300) : "";
  if (!r.ok() || r->timed_out || text.empty()) {
    out.missing =
        !r.ok() ? fmt::format("Java frames: {} could not run: {}", jhsdb, r.status().message())
        : r->timed_out
            ? fmt::format("Java frames: {} ran past {} s and was stopped", jhsdb,
                          options.timeout_ms / 1000)
            : fmt::format("Java frames: {} wrote nothing (exit {}: {})", jhsdb, r->exit_code, said);
    v.problems.push_back(out.missing);
    return out;
  }
  if (r->exit_code != 0) {
    v.problems.push_back(
        fmt::format("Java frames: {} exited with status {} ({}); what it wrote is used", jhsdb,
                    r->exit_code, said));
  }
  if (cut) {
    v.problems.push_back(fmt::format(
        "Java frames: jhsdb wrote more than {} MiB; the rest is not read", kMaxJhsdbOutput >> 20));
  }
  out.text = std::move(text);
  out.joined = JoinJavaDump(out.text, &v);
  v.layout += fmt::format("; Java frames from {} jstack", jhsdb);
  if (out.joined == 0) {
    out.missing = "Java frames: jhsdb's output names none of the core's threads";
    v.problems.push_back(out.missing);
  }
  return out;
}

}  // namespace inquest
