// A folder `inquest capture` wrote, known by its manifest.json (capture/live_capture.h): which
// process, when, and which step wrote each file. The dump handler libraries (handlers/: Go,
// Python, Java) write the same manifest, extended: a "writer", and for each file its own "time",
// "kind", "trigger", "pid" and "program", since they write one dump at a time over a process's
// life (and over restarts, in one folder). `analyze` reads each captured file by what the
// capture says it is instead of guessing from its content: the /proc snapshot is not a log, a
// runtime dump or core is placed at the time its step took it, and the executable the manifest
// names is a candidate for the core.
//
//   Result<CaptureManifest> m = ParseCaptureManifest(text);
//   if (m.ok()) for (const CapturedFile& f : m->files) ...
#ifndef INQUEST_ANALYZE_CAPTURE_MANIFEST_H_
#define INQUEST_ANALYZE_CAPTURE_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace inquest {

struct CapturedFile {
  std::string path;           // relative to the capture folder: "proc/status", "core.4242"
  std::string step;           // the step that wrote it: "proc snapshot", "core", ...
  TimePoint taken = kNoTime;  // when that step started, or the file's own "time" (UTC)
  std::string kind;           // a handler's dump kind: "goroutines", "heap", "threads", ...
  std::string trigger;        // what made a handler write it: "SIGUSR1", "watchdog", "oom", ...
  int64_t pid = 0;            // the process a handler's dump is of (0: the manifest's)
};

struct CaptureManifest {
  int64_t pid = 0;
  std::string exe;
  std::string runtime;  // "native", "jvm", "go", "python"
  std::string writer;   // "inquest-dumps-go 1" for a handler library; empty for a capture
  TimePoint started = kNoTime, finished = kNoTime;
  std::vector<CapturedFile> files;
  // The file at `path` (relative to the capture folder), or null.
  const CapturedFile* Find(std::string_view path) const;
};

// The step whose files are the /proc snapshot: not logs.
inline constexpr std::string_view kProcSnapshotStep = "proc snapshot";
// manifest.json is at most this large (a capture lists a few dozen files).
inline constexpr size_t kMaxManifestBytes = 1 << 20;

// Reads manifest.json text. BadInput when it is not JSON or not a capture's manifest (no
// "inquest_capture" version, no "started" time).
Result<CaptureManifest> ParseCaptureManifest(std::string_view json);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_CAPTURE_MANIFEST_H_
