// The dumps a runtime makes of itself, asked for from outside: a JVM through jcmd, a Python
// process through the signal its faulthandler listens to, a Go service through its pprof
// endpoint. Each returns the step it ran, successful or not (never an error: a capture goes on
// without the dump and says why).
#ifndef INQUEST_CAPTURE_RUNTIME_DUMPS_H_
#define INQUEST_CAPTURE_RUNTIME_DUMPS_H_

#include "capture/evidence_dir.h"
#include "capture/live_capture.h"

namespace inquest {

CaptureStep JvmThreadDump(const CaptureOptions& options, EvidenceDir* dir);
CaptureStep JvmHeapDump(const CaptureOptions& options, EvidenceDir* dir);
// Needs the target's stderr (fd 2) to be a regular file, where faulthandler writes by default.
CaptureStep PythonFaulthandlerDump(const CaptureOptions& options, EvidenceDir* dir);
// GET {pprof_url}/debug/pprof/goroutine?debug=2 and /debug/pprof/heap with libcurl.
std::vector<CaptureStep> GoPprofDumps(const CaptureOptions& options, EvidenceDir* dir);
// gdb's gcore into `core`.
CaptureStep GcoreDump(const CaptureOptions& options, EvidenceDir* dir);

// Current UTC time in nanoseconds.
int64_t UtcNowNs();

}  // namespace inquest

#endif  // INQUEST_CAPTURE_RUNTIME_DUMPS_H_
