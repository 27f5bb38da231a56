// The /proc view of a live process, copied into an evidence folder under proc/: status,
// cmdline, environment (secrets redacted), limits, maps, open files, and each thread's name,
// state and wait channel. Reading /proc does not stop the process.
#ifndef INQUEST_CAPTURE_PROC_SNAPSHOT_H_
#define INQUEST_CAPTURE_PROC_SNAPSHOT_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/status.h"
#include "capture/evidence_dir.h"

namespace inquest {

struct ProcSnapshot {
  std::string exe;                    // /proc/PID/exe's target
  std::vector<std::string> cmdline;   // redacted
  std::vector<std::string> warnings;  // what could not be read, and why
  size_t threads = 0;
  size_t redacted_env = 0;  // environment entries whose value was hidden
};

// Copies /proc/PID into `dir`. Fails only when the process does not exist or cannot be read
// at all; a single unreadable file becomes a warning.
Result<ProcSnapshot> SnapshotProc(pid_t pid, EvidenceDir* dir);

// One environment entry as the snapshot writes it, through the output boundary's redactor
// (base/output.h): "KEY=[REDACTED]" when the key names a secret, otherwise the entry with
// secret-looking values inside it redacted; as it is under --no-redact.
std::string RedactEnvEntry(std::string_view entry, bool* redacted);

// Reads a whole /proc file (their st_size is 0, so they are read until EOF), at most `limit`.
Result<std::string> ReadProcFile(const std::string& path, size_t limit);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_PROC_SNAPSHOT_H_
