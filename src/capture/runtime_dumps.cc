#include "capture/runtime_dumps.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.h"
#include "capture/proc_snapshot.h"
#include "capture/subprocess.h"

namespace inquest {
namespace {

// How long a faulthandler dump may take to appear, and how long its file must stay the same
// size to count as complete: faulthandler writes all threads in one go, within milliseconds.
constexpr int64_t kPythonDumpWaitNs = 5'000'000'000;
constexpr int64_t kPythonDumpSettledNs = 200'000'000;
constexpr int64_t kPollStepNs = 20'000'000;

std::string FirstLine(std::string_view s) {
  s = TrimSpace(s);
  return SanitizeForTerminal(s.substr(0, s.find('\n')));
}

CaptureStep Begin(std::string what, std::vector<std::string> argv, bool pauses) {
  CaptureStep step;
  step.what = std::move(what);
  step.argv = std::move(argv);
  step.pauses_target = pauses;
  step.start_ns = UtcNowNs();
  return step;
}

// Runs step.argv with stdout into the new evidence file `name` (or to nothing when empty).
void RunInto(CaptureStep* step, EvidenceDir* dir, const std::string& name, int timeout_s) {
  int fd = -1;
  if (!name.empty()) {
    Result<int> opened = dir->OpenNew(name);
    if (!opened.ok()) {
      step->outcome = opened.status().message();
      return;
    }
    fd = *opened;
  }
  Result<CommandResult> run = RunCommand(step->argv, fd, timeout_s * 1000);
  if (fd >= 0) close(fd);
  if (!run.ok()) {
    step->outcome = run.status().message();
    return;
  }
  step->duration_ns = run->duration_ns;
  if (run->timed_out) {
    step->outcome = fmt::format("killed after {} s", timeout_s);
  } else if (run->exit_code != 0) {
    step->outcome = run->signal
                        ? fmt::format("killed by signal {}", run->signal)
                        : fmt::format("exit {}: {}", run->exit_code, FirstLine(run->output));
  } else {
    step->ok = true;
    step->outcome = "done";
  }
  if (!name.empty()) step->files.push_back(name);
}

size_t CurlWrite(char* data, size_t size, size_t n, void* user) {
  size_t bytes = size * n;
  int fd = *static_cast<int*>(user);
  size_t off = 0;
  while (off < bytes) {
    ssize_t w = write(fd, data + off, bytes - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return 0;
    off += static_cast<size_t>(w);
  }
  return bytes;
}

}  // namespace

int64_t UtcNowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

CaptureStep JvmThreadDump(const CaptureOptions& o, EvidenceDir* dir) {
  CaptureStep step = Begin("jvm thread dump", {"jcmd", std::to_string(o.pid), "Thread.print", "-l"},
                           /*pauses=*/true);
  RunInto(&step, dir, "jvm-threads.txt", o.timeout_seconds);
  return step;
}

CaptureStep JvmHeapDump(const CaptureOptions& o, EvidenceDir* dir) {
  // The JVM writes the file itself, so the path must be absolute (its working folder differs).
  char resolved[PATH_MAX];
  std::string path = realpath(dir->path().c_str(), resolved) ? resolved : dir->path();
  CaptureStep step =
      Begin("jvm heap dump", {"jcmd", std::to_string(o.pid), "GC.heap_dump", path + "/heap.hprof"},
            /*pauses=*/true);
  RunInto(&step, dir, "", o.timeout_seconds);
  if (step.ok) {
    if (Status s = dir->Adopt("heap.hprof"); s.ok()) {
      step.files.push_back("heap.hprof");
    } else {
      step.ok = false;
      step.outcome = "jcmd wrote no heap dump: " + s.message();
    }
  }
  return step;
}

CaptureStep PythonFaulthandlerDump(const CaptureOptions& o, EvidenceDir* dir) {
  int sig = o.python_signal ? o.python_signal : SIGUSR1;
  CaptureStep step = Begin("python faulthandler dump", {}, /*pauses=*/true);
  step.argv = {"kill", fmt::format("-{}", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?"),
               std::to_string(o.pid)};
  // Only a signal the process catches may be sent: the default action of SIGUSR1 kills it.
  Result<std::string> status = ReadProcFile(fmt::format("/proc/{}/status", o.pid), 1 << 20);
  uint64_t caught = 0;
  if (status.ok()) {
    size_t at = status->find("SigCgt:");
    if (at != std::string::npos) {
      caught = std::strtoull(status->c_str() + at + 7, nullptr, 16);
    }
  }
  if (!(caught & (uint64_t{1} << (sig - 1)))) {
    step.outcome = fmt::format(
        "not sent: the process does not catch SIG{} (no faulthandler.register(signal.SIG{}))",
        sigabbrev_np(sig), sigabbrev_np(sig));
    return step;
  }
  std::string err = fmt::format("/proc/{}/fd/2", o.pid);
  struct stat st;
  if (stat(err.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    step.outcome =
        "not sent: the process's stderr is not a file, so its faulthandler dump cannot be read "
        "back (run it with stderr to a file, or use faulthandler.register(sig, file=...))";
    return step;
  }
  off_t before = st.st_size;
  int64_t t0 = MonotonicNs();
  if (kill(o.pid, sig) != 0) {
    step.outcome = fmt::format("kill failed: {}", std::strerror(errno));
    return step;
  }
  off_t size = before;
  int64_t changed = t0;
  while (MonotonicNs() - t0 < kPythonDumpWaitNs) {
    struct timespec step_ts = {0, kPollStepNs};
    nanosleep(&step_ts, nullptr);
    if (stat(err.c_str(), &st) != 0) break;
    if (st.st_size != size) {
      size = st.st_size;
      changed = MonotonicNs();
    } else if (size > before && MonotonicNs() - changed >= kPythonDumpSettledNs) {
      break;
    }
  }
  step.duration_ns = changed - t0;
  if (size <= before) {
    step.outcome = "no dump appeared on the process's stderr within 5 s";
    return step;
  }
  Result<std::string> all = ReadProcFile(err, static_cast<size_t>(size));
  if (!all.ok() || all->size() < static_cast<size_t>(size)) {
    step.outcome = "could not read the dump back from the process's stderr";
    return step;
  }
  if (Status s = dir->Write("python-faulthandler.txt", all->substr(static_cast<size_t>(before)));
      !s.ok()) {
    step.outcome = s.message();
    return step;
  }
  step.ok = true;
  step.outcome = fmt::format("{} bytes of stack dump", size - before);
  step.files.push_back("python-faulthandler.txt");
  return step;
}

std::vector<CaptureStep> GoPprofDumps(const CaptureOptions& o, EvidenceDir* dir) {
  struct Profile {
    const char* what;
    const char* path;
    const char* file;
  };
  constexpr Profile kProfiles[] = {
      {"go goroutine dump", "/debug/pprof/goroutine?debug=2", "goroutines.txt"},
      {"go heap profile", "/debug/pprof/heap", "heap.pprof"},
  };
  std::vector<CaptureStep> steps;
  std::string base = o.pprof_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  for (const Profile& p : kProfiles) {
    std::string url = base + p.path;
    CaptureStep step = Begin(p.what, {"GET", url}, /*pauses=*/false);
    Result<int> fd = dir->OpenNew(p.file);
    if (!fd.ok()) {
      step.outcome = fd.status().message();
      steps.push_back(step);
      continue;
    }
    CURL* curl = curl_easy_init();
    int out = *fd;
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CurlWrite);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(o.timeout_seconds));
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    int64_t t0 = MonotonicNs();
    CURLcode rc = curl_easy_perform(curl);
    step.duration_ns = MonotonicNs() - t0;
    curl_easy_cleanup(curl);
    close(out);
    step.files.push_back(p.file);
    step.ok = rc == CURLE_OK;
    step.outcome =
        step.ok ? "done" : fmt::format("GET failed: {}", error[0] ? error : curl_easy_strerror(rc));
    steps.push_back(step);
  }
  return steps;
}

CaptureStep GcoreDump(const CaptureOptions& o, EvidenceDir* dir) {
  // gcore -o PREFIX writes PREFIX.PID.
  CaptureStep step = Begin("core", {"gcore", "-o", dir->PathOf("core"), std::to_string(o.pid)},
                           /*pauses=*/true);
  RunInto(&step, dir, "", o.timeout_seconds);
  std::string name = fmt::format("core.{}", o.pid);
  if (access(dir->PathOf(name).c_str(), F_OK) == 0) {
    if (Status s = dir->Adopt(name); s.ok()) step.files.push_back(name);
    if (!step.ok) step.outcome += " (a partial core was kept)";
  } else if (step.ok) {
    step.ok = false;
    step.outcome = "gcore wrote no core";
  }
  return step;
}

}  // namespace inquest
