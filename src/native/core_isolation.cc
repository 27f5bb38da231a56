// AnalyzeCore: the analysis in a child process, so that a core crafted to crash or hang
// libdwfl or libdw costs a child, not inquest.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "native/core_analysis.h"
#include "native/core_record.h"
#include "native/signal_info.h"

namespace inquest {
namespace {

// Time the child gets past the analysis limit to finish the report it has and write it.
constexpr int kGraceSeconds = 5;

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

[[noreturn]] void RunChild(int fd, const std::string& path, const CoreOptions& options) {
  Result<CoreReport> r = AnalyzeCoreInProcess(path, options);
  std::string out;
  if (r.ok()) {
    out = "R" + EncodeCoreReport(*r);
  } else {
    const Status& s = r.status();
    out = fmt::format("E{}", static_cast<char>('0' + static_cast<int>(s.code()))) + s.message();
  }
  _exit(WriteAll(fd, out) ? 0 : 1);
}

// What the child sent, or why there is nothing.
Result<CoreReport> RunOnce(const std::string& path, const CoreOptions& options) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::Internal(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    RunChild(fds[1], path, options);
  }
  ::close(fds[1]);
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::seconds(options.time_limit_seconds + kGraceSeconds);
  std::string data;
  bool timed_out = false;
  char buf[1 << 16];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) {
      timed_out = true;
      break;
    }
    ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status::Internal(fmt::format("{}: the analysis took longer than {} s and was stopped",
                                        path, options.time_limit_seconds + kGraceSeconds));
  }
  if (WIFSIGNALED(wstatus)) {
    return Status::Internal(fmt::format("{}: reading the core crashed the reader process ({})",
                                        path, DescribeSignal(WTERMSIG(wstatus))));
  }
  if (data.size() >= 2 && data[0] == 'E') {
    int code = data[1] - '0';
    std::string msg = data.substr(2);
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
  if (data.empty() || data[0] != 'R') {
    return Status::Internal(fmt::format("{}: the reader process ended without a report", path));
  }
  return DecodeCoreReport(std::string_view(data).substr(1));
}

}  // namespace

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
