#include "capture/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"

extern char** environ;

namespace inquest {
namespace {

// Captured diagnostics beyond this are cut: a tool's stderr is for the manifest, not a log.
constexpr size_t kMaxCapturedOutput = 64 * 1024;

}  // namespace

int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool ProgramAvailable(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  for (std::string_view dir : Split(path, ':')) {
    if (dir.empty()) continue;
    std::string full = fmt::format("{}/{}", dir, program);
    if (access(full.c_str(), X_OK) == 0) return true;
  }
  return false;
}

Result<CommandResult> RunCommand(const std::vector<std::string>& argv, int stdout_fd,
                                 int timeout_ms) {
  if (argv.empty()) return Status::Internal("RunCommand without a program");
  if (!ProgramAvailable(argv[0])) {
    return Status::NotFound(fmt::format("{} is not installed (not found in PATH)", argv[0]));
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd >= 0 ? stdout_fd : pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int64_t start = MonotonicNs();
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return Status::Internal(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  }
  CommandResult result;
  int64_t deadline = start + static_cast<int64_t>(timeout_ms) * 1000000;
  bool open = true;
  char buf[4096];
  while (open) {
    int64_t left_ms = (deadline - MonotonicNs()) / 1000000;
    if (left_ms <= 0) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    struct pollfd p = {pipe_fds[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left_ms));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(pipe_fds[0], buf, sizeof(buf));
    if (got <= 0) {
      open = false;
    } else if (result.output.size() < kMaxCapturedOutput) {
      result.output.append(buf, static_cast<size_t>(got));
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  // The pipe closes when the child exits, or we have killed it: either way it ends now, unless
  // it handed the pipe to a child of its own that lives on, which the deadline also covers.
  for (;;) {
    pid_t w = waitpid(pid, &status, result.timed_out ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (MonotonicNs() > deadline && !result.timed_out) {
      kill(pid, SIGKILL);
      result.timed_out = true;
    }
    if (!result.timed_out) usleep(1000);
  }
  result.duration_ns = MonotonicNs() - start;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.output.size() > kMaxCapturedOutput) result.output.resize(kMaxCapturedOutput);
  return result;
}

}  // namespace inquest
