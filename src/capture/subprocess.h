// Running the tools a capture needs (gdb's gcore, jcmd) without a shell, with a time limit.
#ifndef INQUEST_CAPTURE_SUBPROCESS_H_
#define INQUEST_CAPTURE_SUBPROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

struct CommandResult {
  int exit_code = -1;       // the exit status, or -1 when killed by a signal
  int signal = 0;           // the signal that ended it, 0 when it exited
  bool timed_out = false;   // killed by us at the time limit
  int64_t duration_ns = 0;  // wall time from start to exit
  std::string output;       // stdout and stderr together when not sent to a file (capped)
};

// Runs argv[0] (searched in PATH unless it has a slash) with argv. With `stdout_fd` >= 0 its stdout
// goes there and stderr is captured in `output`; otherwise both are captured. At `timeout_ms` the
// child gets SIGKILL. Fails only when the program cannot be started (NotFound when it is not
// installed).
Result<CommandResult> RunCommand(const std::vector<std::string>& argv, int stdout_fd,
                                 int timeout_ms);

// Whether `program` is an executable in PATH (or, when it has a slash, at that path).
bool ProgramAvailable(const std::string& program);

// Monotonic nanoseconds, for measuring pauses.
int64_t MonotonicNs();

}  // namespace inquest

#endif  // INQUEST_CAPTURE_SUBPROCESS_H_
