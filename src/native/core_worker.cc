#include "native/core_worker.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "native/core_analysis.h"
#include "native/core_record.h"

namespace inquest {
namespace {

// A request is a path and a few folder lists: anything longer is not from inquest.
constexpr size_t kMaxRequestBytes = 16 << 20;
// A drill never runs longer than this, whatever the limits (a test must not hang on a drill
// whose limit was not applied).
constexpr auto kDrillWallLimit = std::chrono::seconds(60);
// Allocation step of the allocate drill, touched so that it is really used.
constexpr size_t kDrillChunk = 1 << 20;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif
#else
constexpr bool kSanitizerBuild = false;
#endif

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

[[noreturn]] void Finish(int fd, std::string_view record, int code_if_written = 0) {
  _exit(WriteAll(fd, record) ? code_if_written : kCoreWorkerExitWriteFailed);
}

[[noreturn]] void FinishWithError(int fd, const Status& s, int code_if_written = 0) {
  std::string out = fmt::format("E{}", static_cast<char>('0' + static_cast<int>(s.code())));
  out += s.message();
  Finish(fd, out, code_if_written);
}

void OnOutOfMemory() { _exit(kCoreWorkerExitOutOfMemory); }

// Lowers one limit to `value` (never raising the hard limit above what this process has).
Status Limit(int resource, rlim_t soft, rlim_t hard, const char* name) {
  struct rlimit now;
  if (::getrlimit(resource, &now) != 0) now.rlim_max = RLIM_INFINITY;
  struct rlimit want;
  want.rlim_max = std::min(hard, now.rlim_max);
  want.rlim_cur = std::min(soft, want.rlim_max);
  if (::setrlimit(resource, &want) != 0)
    return Status::Internal(
        fmt::format("the core reader cannot set its {} limit: {}", name, std::strerror(errno)));
  return Status::Ok();
}

Status ApplyLimits(const CoreWorkerLimits& l) {
  // A worker killed at a limit must not leave a core of itself (it holds the core's memory).
  INQ_RETURN_IF_ERROR(Limit(RLIMIT_CORE, 0, 0, "core size"));
  if (l.cpu_seconds > 0) {
    // SIGXCPU at the soft limit; SIGKILL a second later should it be caught or ignored.
    rlim_t cpu = static_cast<rlim_t>(l.cpu_seconds);
    INQ_RETURN_IF_ERROR(Limit(RLIMIT_CPU, cpu, cpu + 1, "CPU time"));
  }
  if (l.memory_bytes > 0 && !kSanitizerBuild) {
    rlim_t as = static_cast<rlim_t>(l.memory_bytes);
    INQ_RETURN_IF_ERROR(Limit(RLIMIT_AS, as, as, "memory"));
  }
  return Status::Ok();
}

[[noreturn]] void RunDrill(const CoreWorkerLimits& l, int fd) {
  const auto until = std::chrono::steady_clock::now() + kDrillWallLimit;
  switch (l.drill) {
    case CoreWorkerDrill::kSpin: {
      volatile uint64_t n = 0;
      while (std::chrono::steady_clock::now() < until) {
        for (int i = 0; i < 1000000; ++i) n = n + 1;
      }
      break;
    }
    case CoreWorkerDrill::kAllocate: {
      if (kSanitizerBuild || l.memory_bytes == 0)
        FinishWithError(fd, Status::Unsupported("the allocate drill needs a memory limit"));
      std::vector<std::unique_ptr<char[]>> held;
      for (uint64_t total = 0; total <= 2 * l.memory_bytes; total += kDrillChunk) {
        held.emplace_back(new char[kDrillChunk]);
        std::memset(held.back().get(), 1, kDrillChunk);
      }
      break;
    }
    case CoreWorkerDrill::kFlood: {
      std::string chunk(kDrillChunk, 'x');
      for (uint64_t total = 0; total <= 2 * l.output_bytes + kDrillChunk; total += chunk.size()) {
        if (!WriteAll(fd, chunk)) _exit(kCoreWorkerExitWriteFailed);
      }
      break;
    }
    case CoreWorkerDrill::kCrash:
      // The default action, as a crash in the reader meets it in a release build (a sanitizer's
      // handler would turn it into an abort).
      ::signal(SIGSEGV, SIG_DFL);
      ::raise(SIGSEGV);
      break;
    case CoreWorkerDrill::kNone:
      break;
  }
  FinishWithError(fd, Status::Internal("the drill ended without meeting its limit"));
}

}  // namespace

void RunCoreWorker(int request_fd, int record_fd) {
  std::string request;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(request_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      FinishWithError(record_fd, Status::Internal("the core reader cannot read its request"),
                      kCoreWorkerExitBadRequest);
    }
    if (n == 0) break;
    request.append(buf, static_cast<size_t>(n));
    if (request.size() > kMaxRequestBytes) {
      FinishWithError(record_fd, Status::Internal("the core reader's request is too long"),
                      kCoreWorkerExitBadRequest);
    }
  }
  Result<CoreRequest> q = DecodeCoreRequest(request);
  if (!q.ok()) FinishWithError(record_fd, q.status(), kCoreWorkerExitBadRequest);
  if (Status s = ApplyLimits(q->options.worker); !s.ok()) FinishWithError(record_fd, s);
  std::set_new_handler(OnOutOfMemory);
  if (q->options.worker.drill != CoreWorkerDrill::kNone) RunDrill(q->options.worker, record_fd);

  Result<CoreReport> r = AnalyzeCoreInProcess(q->path, q->options);
  if (!r.ok()) {
    // A mapping or allocation refused at the address-space limit comes back as an error that
    // names ENOMEM (the core is mapped whole): the limit, not the core, is what to report.
    if (r.status().message().ends_with(std::strerror(ENOMEM))) _exit(kCoreWorkerExitOutOfMemory);
    FinishWithError(record_fd, r.status());
  }
  Finish(record_fd, "R" + EncodeCoreReport(*r));
}

}  // namespace inquest
