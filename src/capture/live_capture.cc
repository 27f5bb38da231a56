#include "capture/live_capture.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <cstring>

#include "base/mapped_file.h"
#include "base/strings.h"
#include "base/time.h"
#include "capture/proc_snapshot.h"
#include "capture/runtime_dumps.h"
#include "capture/subprocess.h"

namespace inquest {
namespace {

// The marker at the start of a Go binary's .go.buildinfo section.
constexpr std::string_view kGoBuildInfoMagic = "\xff Go buildinf:";

std::string Quoted(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

}  // namespace

std::string_view RuntimeName(Runtime r) {
  switch (r) {
    case Runtime::kJvm:
      return "jvm";
    case Runtime::kGo:
      return "go";
    case Runtime::kPython:
      return "python";
    case Runtime::kNative:
      break;
  }
  return "native";
}

Runtime DetectRuntime(pid_t pid) {
  Result<std::string> maps = ReadProcFile(fmt::format("/proc/{}/maps", pid), 64 << 20);
  if (maps.ok()) {
    if (maps->find("/libjvm.so") != std::string::npos) return Runtime::kJvm;
    if (maps->find("/libpython") != std::string::npos) return Runtime::kPython;
  }
  Result<MappedFile> exe = MappedFile::Open(fmt::format("/proc/{}/exe", pid));
  if (exe.ok()) {
    std::string_view bytes = exe->data();
    if (bytes.find(kGoBuildInfoMagic) != std::string_view::npos) return Runtime::kGo;
    // A statically linked CPython has no libpython mapping; its binary holds its own name.
    if (bytes.find("Py_Initialize") != std::string_view::npos) return Runtime::kPython;
  }
  return Runtime::kNative;
}

Result<CaptureResult> CaptureProcess(const CaptureOptions& o) {
  int64_t started = UtcNowNs();
  if (o.pid <= 0) return Status::InvalidArgument("--pid must be a process id");
  if (kill(o.pid, 0) != 0 && errno == ESRCH) {
    return Status::NotFound(fmt::format("no process {}", o.pid));
  }
  INQ_ASSIGN_OR_RETURN(EvidenceDir dir, EvidenceDir::Create(o.out_dir));
  CaptureResult r;
  r.out_dir = o.out_dir;

  CaptureStep proc;
  proc.what = "proc snapshot";
  proc.start_ns = UtcNowNs();
  int64_t t0 = MonotonicNs();
  size_t before = dir.names().size();
  INQ_ASSIGN_OR_RETURN(ProcSnapshot snap, SnapshotProc(o.pid, &dir));
  proc.duration_ns = MonotonicNs() - t0;
  proc.ok = true;
  proc.outcome =
      fmt::format("{} threads, {} environment values redacted", snap.threads, snap.redacted_env);
  proc.files.assign(dir.names().begin() + static_cast<ptrdiff_t>(before), dir.names().end());
  r.steps.push_back(proc);
  r.exe = snap.exe;
  for (const std::string& w : snap.warnings) r.notes.push_back(w);

  r.runtime = o.pprof_url.empty() ? DetectRuntime(o.pid) : Runtime::kGo;
  switch (r.runtime) {
    case Runtime::kJvm:
      r.steps.push_back(JvmThreadDump(o, &dir));
      if (o.heap) r.steps.push_back(JvmHeapDump(o, &dir));
      break;
    case Runtime::kPython:
      r.steps.push_back(PythonFaulthandlerDump(o, &dir));
      break;
    case Runtime::kGo:
      if (o.pprof_url.empty()) {
        r.notes.push_back(
            "a Go program: pass --pprof-url to fetch its goroutine and heap profiles");
      } else {
        for (CaptureStep& s : GoPprofDumps(o, &dir)) r.steps.push_back(std::move(s));
      }
      break;
    case Runtime::kNative:
      break;
  }
  if (o.heap && r.runtime != Runtime::kJvm) {
    r.notes.push_back("--heap applies to a JVM only; the core holds the native heap");
  }
  if (o.core) {
    if (ProgramAvailable("gcore")) {
      r.steps.push_back(GcoreDump(o, &dir));
    } else {
      CaptureStep s;
      s.what = "core";
      s.start_ns = UtcNowNs();
      s.outcome = "no core: gdb's gcore is not installed (apt-get install gdb)";
      r.steps.push_back(s);
    }
  }
  for (const CaptureStep& s : r.steps) {
    if (s.pauses_target && s.duration_ns > 0) r.paused_ns += s.duration_ns;
  }
  INQ_ASSIGN_OR_RETURN(r.files, dir.Hash());
  r.manifest = ManifestJson(r, o, started, UtcNowNs());
  INQ_RETURN_IF_ERROR(dir.Write("manifest.json", r.manifest));
  return r;
}

std::string ManifestJson(const CaptureResult& r, const CaptureOptions& o, int64_t started_ns,
                         int64_t finished_ns) {
  std::string out = "{\n";
  out += "  \"inquest_capture\": 1,\n";
  out += fmt::format("  \"pid\": {},\n  \"exe\": {},\n  \"runtime\": {},\n", o.pid, Quoted(r.exe),
                     Quoted(RuntimeName(r.runtime)));
  out += fmt::format("  \"started\": {},\n  \"finished\": {},\n", Quoted(FormatTime(started_ns)),
                     Quoted(FormatTime(finished_ns)));
  out += fmt::format("  \"paused_ms\": {:.3f},\n", static_cast<double>(r.paused_ns) / 1e6);
  out +=
      "  \"paused_note\": \"sum of the steps that stop the target (gcore, jcmd, the "
      "faulthandler dump), measured around each; an upper bound\",\n";
  out += "  \"steps\": [";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const CaptureStep& s = r.steps[i];
    out += fmt::format("{}\n    {{\"what\": {}, \"command\": [", i ? "," : "", Quoted(s.what));
    for (size_t k = 0; k < s.argv.size(); ++k) out += (k ? ", " : "") + Quoted(s.argv[k]);
    out += fmt::format(
        "], \"started\": {}, \"duration_ms\": {:.3f}, \"pauses_target\": {}, \"ok\": {}, "
        "\"outcome\": {}, \"files\": [",
        Quoted(FormatTime(s.start_ns)), static_cast<double>(s.duration_ns) / 1e6,
        s.pauses_target ? "true" : "false", s.ok ? "true" : "false", Quoted(s.outcome));
    for (size_t k = 0; k < s.files.size(); ++k) out += (k ? ", " : "") + Quoted(s.files[k]);
    out += "]}";
  }
  out += "\n  ],\n  \"files\": [";
  for (size_t i = 0; i < r.files.size(); ++i) {
    const EvidenceFile& f = r.files[i];
    out += fmt::format("{}\n    {{\"path\": {}, \"size\": {}, \"sha256\": {}}}", i ? "," : "",
                       Quoted(f.name), f.size, Quoted(f.sha256));
  }
  out += "\n  ],\n  \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); ++i) out += (i ? ", " : "") + Quoted(r.notes[i]);
  out += "]\n}\n";
  return out;
}

}  // namespace inquest
