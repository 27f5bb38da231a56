// The worker side of AnalyzeCore (core_analysis.h): `inquest core --worker` reads a CoreRequest
// (core_record.h) on one descriptor, puts its own limits on before it reads a byte of the core
// (CPU time, address space, no core dump of itself), analyses the core in this fresh process and
// writes one record on another descriptor: 'R' + the encoded CoreReport, or 'E' + a status code
// digit + the message.
//
//   // cli/core.cc, for `inquest core --worker`:
//   RunCoreWorker(STDIN_FILENO, STDOUT_FILENO);  // does not return
#ifndef INQUEST_NATIVE_CORE_WORKER_H_
#define INQUEST_NATIVE_CORE_WORKER_H_

namespace inquest {

// Exit statuses a worker ends with besides 0 (record written), so the parent can name what
// happened when there is no record to read.
inline constexpr int kCoreWorkerExitWriteFailed = 1;
inline constexpr int kCoreWorkerExitBadRequest = 86;
// An allocation failed at the address-space limit (the new-handler's exit).
inline constexpr int kCoreWorkerExitOutOfMemory = 87;

// Runs the request read from `request_fd` and exits the process (with _exit: a libdw state the
// core may have damaged is not torn down, and nothing runs after the record is written).
[[noreturn]] void RunCoreWorker(int request_fd, int record_fd);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_WORKER_H_
