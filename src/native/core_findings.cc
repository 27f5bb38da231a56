#include "native/core_findings.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <libelf.h>
#include <unistd.h>

#include "base/mapped_file.h"
#include "base/strings.h"
#include "native/core_file.h"
#include "native/dwfl_session.h"

namespace inquest {
namespace {

// Frames quoted as evidence in the crash finding.
constexpr size_t kEvidenceFrames = 6;
// A crash read from a core is as certain as the core; the walk rests on source text and
// variable values, which optimized code can make wrong.
constexpr double kCrashConfidence = 0.95;
constexpr double kOriginConfidence = 0.7;

std::string FrameLine(const CoreFrame& f) {
  std::string s = f.function.empty() ? fmt::format("{}+{:#x}", Basename(f.module), f.module_offset)
                                     : f.function;
  if (!f.file.empty()) s += fmt::format(" ({}:{})", Basename(f.file), f.line);
  return s;
}

// The frame of a thread that tells most: the first with a source file (the program's own code
// says more than a libc frame), else the innermost.
const CoreFrame& TellingFrame(const CoreThread& t) {
  for (const CoreFrame& f : t.frames)
    if (!f.file.empty()) return f;
  return t.frames[0];
}

}  // namespace

std::string PickExecutable(const std::string& core_path,
                           const std::vector<std::string>& executables) {
  Result<MappedFile> file = MappedFile::Open(core_path);
  if (!file.ok()) return {};
  Result<CoreFile> core = ParseCoreFile(file->data(), core_path);
  if (!core.ok()) return {};
  // The main module's build-id sits in the first page of its first mapping, in the core.
  std::string main_path = core->mappings.empty() ? "" : core->mappings.front().path;
  std::string want;
  if (!core->mappings.empty()) {
    const ModuleMapping& m = core->mappings.front();
    std::string page(4096, '\0');
    if (core->ReadMemory(file->data(), m.start, page.data(), page.size())) {
      if (Elf* elf = (elf_version(EV_CURRENT), elf_memory(page.data(), page.size()))) {
        want = ElfBuildId(elf);
        elf_end(elf);
      }
    }
  }
  for (const std::string& exe : executables) {
    if (!want.empty() && FileBuildId(exe) == want) return exe;
  }
  // A known build-id that no file matches: a file of the same name is another build, whose
  // symbols would be wrong (AnalyzeCore refuses it); libdwfl looks for the right one instead.
  if (!want.empty()) return {};
  for (const std::string& exe : executables) {
    std::string base = Basename(exe);
    if (base == Basename(main_path) ||
        (!core->command.empty() && base.rfind(core->command, 0) == 0)) {
      return exe;
    }
  }
  return executables.size() == 1 ? executables[0] : std::string();
}

std::vector<Finding> FindingsFromReport(const CoreReport& r) {
  std::vector<Finding> out;
  std::string name = r.command.empty() ? Basename(r.path) : r.command;
  // The thread the finding is about: the crashing one, or for a snapshot the first.
  const CoreThread* crashing =
      !r.threads.empty() && (r.threads[0].crashing || r.snapshot) ? &r.threads[0] : nullptr;
  Finding crash;
  crash.kind = "crash";
  crash.severity = Severity::kCritical;
  crash.time = r.time;
  crash.service = name;
  crash.confidence = kCrashConfidence;
  std::string where;
  if (crashing != nullptr && !crashing->frames.empty()) {
    const CoreFrame& top = TellingFrame(*crashing);
    where = " in " + FrameLine(top);
    crash.subject = top.function;
  }
  if (r.snapshot) {
    // Taken from the live process: what it was doing, not why it died.
    crash.kind = "core-snapshot";
    crash.severity = Severity::kInfo;
    crash.title = fmt::format(
        "core of {} taken from the live process ({}), not a crash: {} thread{}, thread {}{}", name,
        r.signo != 0 ? r.signal_name + ": gcore or a debugger" : "no signal", r.threads_total,
        r.threads_total == 1 ? "" : "s", crashing ? crashing->tid : 0, where);
  } else {
    crash.title = fmt::format("{} crashed with {}{}", name, r.signal_name, where);
  }
  if (crashing != nullptr) {
    for (size_t i = 0; i < crashing->frames.size() && i < kEvidenceFrames; ++i) {
      const CoreFrame& f = crashing->frames[i];
      crash.evidence.push_back(
          {fmt::format("{}: thread {} frame #{}", r.path, crashing->tid, i), FrameLine(f)});
    }
  } else {
    crash.evidence.push_back({r.path, "no crashing thread recorded"});
  }
  out.push_back(std::move(crash));
  if (r.walk.concluded) {
    Finding origin;
    origin.kind = "crash-origin";
    origin.severity = Severity::kError;
    origin.time = r.time;
    origin.service = name;
    origin.confidence = kOriginConfidence;
    origin.title = r.walk.summary;
    origin.explanation =
        "Walked from the frame that used the null pointer up the callers to where it was "
        "assigned, from the variables in the core and the source lines; optimized code can "
        "hide values, so confirm against a debug build.";
    for (const std::string& step : r.walk.steps) origin.evidence.push_back({r.path, step});
    out.push_back(std::move(origin));
  }
  return out;
}

std::vector<Finding> CoreFindings(const std::string& core_path,
                                  const std::vector<std::string>& executables, CoreOptions options,
                                  CoreReport* report) {
  if (options.search.exe.empty()) options.search.exe = PickExecutable(core_path, executables);
  Result<CoreReport> r = AnalyzeCore(core_path, options);
  if (!r.ok()) {
    Finding f;
    f.kind = "core-unreadable";
    f.severity = Severity::kWarning;
    f.title = "core " + Basename(core_path) + " could not be read";
    f.explanation = r.status().ToString();
    f.evidence.push_back({core_path, r.status().message()});
    Result<MappedFile> file = MappedFile::Open(core_path);
    if (file.ok()) f.time = file->mtime_ns();
    return {f};
  }
  std::vector<Finding> out = FindingsFromReport(*r);
  if (report != nullptr) *report = std::move(*r);
  return out;
}

}  // namespace inquest
