// AnalyzeCore: the analysis in a worker process, so that a core crafted to crash, hang or
// exhaust libdwfl or libdw costs a worker, not inquest. The worker is inquest itself started
// afresh (posix_spawn + exec): forking a process that runs threads (the progress bar, the
// analysis pool) and calling malloc, fmt or libdwfl in the child can deadlock on a lock some
// other thread held at the fork.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "base/output_file.h"
#include "native/core_analysis.h"
#include "native/core_record.h"
#include "native/core_worker.h"
#include "native/signal_info.h"

extern char** environ;

namespace inquest {
namespace {

// Time the worker gets past the analysis limit to finish the report it has and write it.
constexpr int kGraceSeconds = 5;
// The request goes into its pipe before the worker starts (so writing it can never meet a dead
// reader); a pipe holds 64 KiB by default and can be grown to this.
constexpr int kMaxRequestPipe = 1 << 20;
constexpr uint64_t kMiB = 1 << 20;

std::string& WorkerProgram() {
  static std::string program;
  return program;
}

// The program to run `core --worker` in: the one set, else `inquest` beside this program.
std::string ResolveWorkerProgram() {
  if (!WorkerProgram().empty()) return WorkerProgram();
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "inquest";
  return (self.parent_path() / "inquest").string();
}

// The limits with their defaults resolved for the core at `path`.
CoreWorkerLimits ResolveLimits(const std::string& path, const CoreOptions& options) {
  CoreWorkerLimits l = options.worker;
  if (l.cpu_seconds <= 0) l.cpu_seconds = options.time_limit_seconds + kGraceSeconds;
  if (l.memory_bytes == 0) {
    struct stat st;
    uint64_t core = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    l.memory_bytes = core + kCoreWorkerMemoryHeadroom;
  }
  if (l.output_bytes == 0) l.output_bytes = kCoreWorkerOutputBytes;
  return l;
}

Status FromWorkerError(std::string_view data, const std::string& path) {
  int code = data[1] - '0';
  std::string msg(data.substr(2));
  switch (static_cast<StatusCode>(code)) {
    case StatusCode::kBadInput:
      return Status::BadInput(msg, {path});
    case StatusCode::kUnsupported:
      return Status::Unsupported(msg);
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(msg);
    case StatusCode::kIoError:
      return Status::IoError(msg, path);
    case StatusCode::kNotFound:
      return Status::NotFound(msg);
    default:
      return Status::Internal(msg);
  }
}

// A pipe whose read end already holds `bytes`, for the worker's standard input.
Result<UniqueFd> RequestPipe(const std::string& bytes) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  if (bytes.size() > static_cast<size_t>(::fcntl(write_end.get(), F_GETPIPE_SZ)) &&
      (bytes.size() > kMaxRequestPipe ||
       ::fcntl(write_end.get(), F_SETPIPE_SZ, kMaxRequestPipe) < 0)) {
    return Status::InvalidArgument(
        "the core reader's options (folders to search) are too long to hand over");
  }
  std::string_view left = bytes;
  while (!left.empty()) {
    ssize_t n = ::write(write_end.get(), left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Internal(std::string("pipe: ") + std::strerror(errno));
    left.remove_prefix(static_cast<size_t>(n));
  }
  return read_end;
}

// Starts `program core --worker` with the request on its stdin and its stdout on `record`;
// every other descriptor closed, signals as a fresh process has them.
Result<pid_t> SpawnWorker(const std::string& program, int request, int record) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, request, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, record, STDOUT_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string arg0 = "inquest", arg1 = "core", arg2 = "--worker";
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Status::Internal(
        fmt::format("cannot start the core reader ({}): {}", program, std::strerror(rc)));
  }
  return pid;
}

// What the worker sent, or why there is nothing.
Result<CoreReport> RunOnce(const std::string& path, const CoreOptions& options) {
  CoreRequest request{path, options};
  request.options.worker = ResolveLimits(path, options);
  const CoreWorkerLimits& limits = request.options.worker;
  INQ_ASSIGN_OR_RETURN(UniqueFd request_fd, RequestPipe(EncodeCoreRequest(request)));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  UniqueFd record_read(fds[0]), record_write(fds[1]);
  INQ_ASSIGN_OR_RETURN(pid_t pid,
                       SpawnWorker(ResolveWorkerProgram(), request_fd.get(), record_write.get()));
  request_fd.Reset();
  record_write.Reset();

  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::seconds(options.time_limit_seconds + kGraceSeconds);
  std::string data;
  bool timed_out = false, too_much = false;
  char buf[1 << 16];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{record_read.get(), POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) {
      timed_out = true;
      break;
    }
    ssize_t n = ::read(record_read.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > limits.output_bytes) {
      too_much = true;
      break;
    }
  }
  record_read.Reset();
  if (timed_out || too_much) ::kill(pid, SIGKILL);
  int wstatus = 0;
  struct rusage usage {};
  while (::wait4(pid, &wstatus, 0, &usage) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status::Internal(fmt::format("{}: the analysis took longer than {} s and was stopped",
                                        path, options.time_limit_seconds + kGraceSeconds));
  }
  if (too_much) {
    return Status::Internal(fmt::format(
        "{}: the core reader wrote more than its output limit ({} bytes) and was stopped", path,
        limits.output_bytes));
  }
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (WIFSIGNALED(wstatus)) {
    int sig = WTERMSIG(wstatus);
    // SIGXCPU at the soft limit, SIGKILL at the hard one a second later.
    if (sig == SIGXCPU || (sig == SIGKILL && cpu >= limits.cpu_seconds)) {
      return Status::Internal(
          fmt::format("{}: the core reader used up its CPU-time limit ({} s) and was stopped", path,
                      limits.cpu_seconds));
    }
    return Status::Internal(fmt::format("{}: reading the core crashed the reader process ({})",
                                        path, DescribeSignal(sig)));
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == kCoreWorkerExitOutOfMemory) {
    return Status::Internal(fmt::format(
        "{}: the core reader ran out of its memory limit ({} MiB of address space) and was "
        "stopped",
        path, limits.memory_bytes / kMiB));
  }
  if (data.size() >= 2 && data[0] == 'E') return FromWorkerError(data, path);
  if (data.empty() || data[0] != 'R') {
    return Status::Internal(
        fmt::format("{}: the reader process ended without a report (exit status {})", path,
                    WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1));
  }
  return DecodeCoreReport(std::string_view(data).substr(1));
}

}  // namespace

void SetCoreWorkerProgram(std::string path) { WorkerProgram() = std::move(path); }

Result<CoreReport> AnalyzeCore(const std::string& path, const CoreOptions& options) {
  Result<CoreReport> r = RunOnce(path, options);
  if (r.ok() || r.status().code() != StatusCode::kInternal ||
      options.locals == LocalsScope::kNone) {
    return r;
  }
  // Evaluating variables reads the most of a damaged core; without them the stacks may still
  // come through.
  CoreOptions plain = options;
  plain.locals = LocalsScope::kNone;
  Result<CoreReport> again = RunOnce(path, plain);
  if (!again.ok()) return r;
  again->warnings.push_back(r.status().message() + "; shown again without variables");
  return again;
}

}  // namespace inquest
