// inquest core: every thread's stack of an ELF core, with the signal and what it means,
// symbols, source lines, inline frames, variables and the walk from victim to origin.
#include <fmt/format.h>

#include <cstdio>

#include "analyze/hs_err_pairing.h"
#include "analyze/jvm_frames.h"
#include "cli/command.h"
#include "cli/common.h"
#include "native/core_analysis.h"
#include "native/core_output.h"

namespace inquest::cli {

int RunCore(int argc, char** argv) {
  CLI::App app{
      "every thread's stack of an ELF core, with signal, symbols, lines, variables and "
      "the walk from the crashing frame to where the bad value came from",
      "core"};
  std::string core_path;
  CoreOptions options;
  FormatFlags format;
  std::string locals = "crashing";
  bool no_modules = false, no_registers = false;
  app.add_option("CORE", core_path, "the ELF core file")->required();
  app.add_option("--exe", options.search.exe,
                 "the executable (default: found from the core's file mappings)");
  app.add_flag("--force-exe", options.force_exe,
               "read the core with --exe even when its build-id is not the one the process ran");
  app.add_option("--debug-dir", options.search.debug_dirs,
                 "a folder of separate debug files (build-id tree or mirrored paths); repeatable");
  app.add_option("--sysroot", options.search.sysroot,
                 "a folder holding the crashed system's files (SYSROOT/usr/lib/...)");
  app.add_option("--source-dir", options.source_dirs,
                 "a folder to look for source files in when they are not at their recorded "
                 "path; repeatable");
  app.add_flag("--debuginfod", options.search.debuginfod,
               "fetch missing files from the servers in $DEBUGINFOD_URLS (off by default)");
  app.add_option("--debuginfod-timeout", options.search.debuginfod_timeout_seconds,
                 "seconds per debuginfod request")
      ->capture_default_str();
  app.add_option("--max-threads", options.max_threads, "threads to unwind at most")
      ->capture_default_str();
  app.add_option("--max-frames", options.max_frames, "frames per thread at most")
      ->capture_default_str();
  app.add_option("--time-limit", options.time_limit_seconds,
                 "seconds for the whole analysis; past it, what was found is shown")
      ->capture_default_str();
  app.add_option("--locals", locals, "variables for which threads: none, crashing or all")
      ->capture_default_str();
  app.add_option("--goroutine", options.goroutine,
                 "a Go core: this goroutine's parameters and locals, from the binary's DWARF "
                 "(shown first)");
  // Limits of the worker process the core is read in (native/core_analysis.h).
  int cpu_limit = 0;
  uint64_t memory_limit_mib = 0;
  std::string drill;
  app.add_option("--cpu-limit", cpu_limit,
                 "CPU seconds the process reading the core may use (default: --time-limit + 5)");
  app.add_option("--memory-limit", memory_limit_mib,
                 fmt::format("MiB of address space the process reading the core may use "
                             "(default: the core's size + {})",
                             kCoreWorkerMemoryHeadroom >> 20));
  app.add_option("--output-limit", options.worker.output_bytes,
                 "bytes of report the process reading the core may hand back")
      ->capture_default_str();
  // For the tests of those limits: the worker misbehaves instead of reading the core.
  app.add_option("--worker-drill", drill)
      ->check(CLI::IsMember({"spin", "allocate", "flood", "crash"}))
      ->group("");
  JvmFramesOptions jvm;
  bool no_java_frames = false;
  app.add_option("--jdk", jvm.jdks,
                 "the JDK home whose jhsdb reads the Java frames of a JVM core; when given, the "
                 "only ones tried (default: the one whose libjvm.so the process ran, found "
                 "beside the core's libjvm.so path, in $JAVA_HOME or under --jdk-root); "
                 "repeatable");
  std::vector<std::string> jdk_roots;
  app.add_option("--jdk-root", jdk_roots,
                 "a folder whose subfolders are JDK homes, searched for that JDK (default: "
                 "/usr/lib/jvm); repeatable");
  app.add_flag("--no-java-frames", no_java_frames,
               "list a JVM core's Java threads without running jhsdb for their frames");
  app.add_flag("--no-modules", no_modules, "leave out the module table");
  app.add_flag("--no-registers", no_registers, "leave out the crashing thread's registers");
  format.Add(app, false);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("core", s);
  if (locals == "none") {
    options.locals = LocalsScope::kNone;
  } else if (locals == "all") {
    options.locals = LocalsScope::kAllThreads;
  } else if (locals != "crashing") {
    return Fail("core", Status::InvalidArgument("--locals takes none, crashing or all"));
  }
  if (options.max_threads == 0 || options.max_frames == 0 || options.time_limit_seconds <= 0) {
    return Fail("core", Status::InvalidArgument(
                            "--max-threads, --max-frames and --time-limit must be positive"));
  }
  if (cpu_limit < 0 || options.worker.output_bytes == 0 || memory_limit_mib > (uint64_t{1} << 44)) {
    return Fail("core", Status::InvalidArgument(
                            "--cpu-limit, --memory-limit and --output-limit must be positive"));
  }
  options.worker.cpu_seconds = cpu_limit;
  options.worker.memory_bytes = memory_limit_mib << 20;
  if (drill == "spin") options.worker.drill = CoreWorkerDrill::kSpin;
  if (drill == "allocate") options.worker.drill = CoreWorkerDrill::kAllocate;
  if (drill == "flood") options.worker.drill = CoreWorkerDrill::kFlood;
  if (drill == "crash") options.worker.drill = CoreWorkerDrill::kCrash;
  Result<CoreReport> report = AnalyzeCore(core_path, options);
  if (!report.ok()) return Fail("core", report.status());
  if (report->runtime.runtime == "HotSpot") {
    if (!jdk_roots.empty()) jvm.jdk_roots = jdk_roots;
    // jhsdb runs outside the reader's worker: --time-limit bounds it too.
    jvm.timeout_ms = options.time_limit_seconds * 1000;
    if (!no_java_frames) {
      JvmFrames frames = AddJavaFrames(core_path, &*report, jvm);
      if (!frames.text.empty()) {
        report->runtime.verdicts =
            JavaDumpVerdictLines(frames.text, fmt::format("jhsdb jstack of {}", core_path));
      }
    }
    std::string why;
    if (std::optional<std::string> log = HsErrBeside(*report, &why)) {
      for (std::string& line : HsErrVerdictLines(*log)) {
        report->runtime.verdicts.push_back(std::move(line) + " (the JVM's fatal error log, " + why +
                                           ")");
      }
    }
  }
  CoreRenderOptions render;
  render.modules = !no_modules;
  render.registers = !no_registers;
  CoreFormat out = format.output == OutputFormat::kJson ? CoreFormat::kJson
                   : format.output == OutputFormat::kMd ? CoreFormat::kMd
                                                        : CoreFormat::kText;
  EmitCore(*report, out, render);
  return 0;
}

}  // namespace inquest::cli
