#include "capture/live_capture.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <cstring>

#include "base/json_writer.h"
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
  INQ_RETURN_IF_ERROR(dir.Write("manifest.json", r.manifest.view()));
  return r;
}

Redacted ManifestJson(const CaptureResult& r, const CaptureOptions& o, int64_t started_ns,
                      int64_t finished_ns) {
  // One field per line at the top, one step or file per line below.
  constexpr std::string_view kTop = "\n  ", kItem = "\n    ";
  JsonWriter j(JsonStyle::kLine);
  j.BeginObject().Break(kTop).Field("inquest_capture", 1).Break(kTop).Field("pid", o.pid);
  j.Break(kTop).Field("exe", r.exe).Break(kTop).Field("runtime", RuntimeName(r.runtime));
  j.Break(kTop).FieldTime("started", started_ns, 9).Break(kTop);
  j.FieldTime("finished", finished_ns, 9).Break(kTop);
  j.FieldDouble("paused_ms", static_cast<double>(r.paused_ns) / 1e6, 3).Break(kTop);
  j.Field("paused_note",
          "sum of the steps that stop the target (gcore, jcmd, the faulthandler dump), measured "
          "around each; an upper bound");
  j.Break(kTop).Key("steps").BeginArray();
  for (const CaptureStep& s : r.steps) {
    j.Break(kItem).BeginObject().Field("what", s.what).Key("command").BeginArray();
    for (const std::string& a : s.argv) j.String(a);
    j.EndArray().FieldTime("started", s.start_ns, 9);
    j.FieldDouble("duration_ms", static_cast<double>(s.duration_ns) / 1e6, 3);
    j.Field("pauses_target", s.pauses_target).Field("ok", s.ok).Field("outcome", s.outcome);
    j.Key("files").BeginArray();
    for (const std::string& f : s.files) j.String(f);
    j.EndArray().EndObject();
  }
  j.Break(kTop).EndArray().Break(kTop).Key("files").BeginArray();
  for (const EvidenceFile& f : r.files) {
    j.Break(kItem).BeginObject().Field("path", f.name).Field("size", f.size);
    j.Field("sha256", f.sha256).EndObject();
  }
  j.Break(kTop).EndArray().Break(kTop).Key("notes").BeginArray();
  for (const std::string& n : r.notes) j.String(n);
  j.EndArray().Break("\n").EndObject();
  return j.TakeLine();
}

}  // namespace inquest
