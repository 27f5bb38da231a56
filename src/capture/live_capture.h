// `inquest capture`: preserves a live process's evidence before it is restarted, in the order
// that keeps the pause shortest: the /proc snapshot (no pause), the runtime's own dumps (a JVM's
// thread dump and, when asked, heap dump; a Python faulthandler dump; Go pprof profiles), then
// a core with gdb's gcore (the process is stopped while gcore runs). Everything goes into one
// evidence folder with a manifest.json (files with sha256 and size, UTC times, the commands run,
// how long the target was paused).
//
//   CaptureOptions opt;
//   opt.pid = 4242;
//   opt.out_dir = "incident/pid-4242";
//   INQ_ASSIGN_OR_RETURN(CaptureResult r, CaptureProcess(opt));
#ifndef INQUEST_CAPTURE_LIVE_CAPTURE_H_
#define INQUEST_CAPTURE_LIVE_CAPTURE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/output.h"
#include "base/status.h"
#include "capture/evidence_dir.h"

namespace inquest {

enum class Runtime : uint8_t { kNative, kJvm, kGo, kPython };
std::string_view RuntimeName(Runtime r);  // "native", "jvm", "go", "python"

struct CaptureOptions {
  pid_t pid = 0;
  std::string out_dir;
  bool core = true;           // --no-core turns the core off
  bool heap = false;          // a JVM's GC.heap_dump (large, and it pauses the JVM)
  std::string pprof_url;      // a Go service's pprof base URL, "http://127.0.0.1:6060"
  int python_signal = 0;      // the signal faulthandler.register() listens to; 0: SIGUSR1
  int timeout_seconds = 120;  // per command
};

// One command run (or one step done in-process) during the capture.
struct CaptureStep {
  std::string what;               // "core", "jvm thread dump", ...
  std::vector<std::string> argv;  // empty for in-process steps
  int64_t start_ns = 0;           // UTC
  int64_t duration_ns = 0;
  bool pauses_target = false;  // the target is stopped (or its runtime at a safepoint)
  bool ok = false;
  std::string outcome;             // "wrote core (812 MiB)", "jcmd exit 1: ...", ...
  std::vector<std::string> files;  // evidence files it produced
};

struct CaptureResult {
  std::string out_dir;
  Runtime runtime = Runtime::kNative;
  std::string exe;
  std::vector<CaptureStep> steps;
  std::vector<EvidenceFile> files;
  int64_t paused_ns = 0;  // sum of the steps that stop the target (an upper bound)
  std::vector<std::string> notes;
  Redacted manifest;  // the text of manifest.json (base/json_writer.h)
};

// Runs the capture. Fails when the process does not exist or the folder cannot be created;
// a failing step (gcore missing, jcmd refused) is recorded in the result and the manifest and
// the capture goes on.
Result<CaptureResult> CaptureProcess(const CaptureOptions& options);

// Which runtime `pid` runs, from its maps and executable.
Runtime DetectRuntime(pid_t pid);

// The manifest as JSON (what manifest.json holds, minus its own entry).
Redacted ManifestJson(const CaptureResult& r, const CaptureOptions& options, int64_t started_ns,
                      int64_t finished_ns);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_LIVE_CAPTURE_H_
