#include "capture/proc_snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

// /proc files of a huge process (maps of a JVM, environ) stay well under this.
constexpr size_t kMaxProcFile = 64 << 20;
// Threads listed one by one; past this the list says how many were left out.
constexpr size_t kMaxThreads = 100000;

std::string ReadLink(const std::string& path) {
  char buf[4096];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf) - 1);
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::vector<std::string> SplitNul(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t z = s.find('\0');
    out.emplace_back(s.substr(0, z));
    if (z == std::string_view::npos) break;
    s.remove_prefix(z + 1);
  }
  return out;
}

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  DIR* d = opendir(path.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') names.emplace_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    auto x = ParseInt(a), y = ParseInt(b);
    if (x && y) return *x < *y;
    return a < b;
  });
  return names;
}

// The state letter of /proc/PID/task/TID/stat: the field after the parenthesised name, which
// may itself hold spaces and parentheses.
std::string StatState(std::string_view stat) {
  size_t close = stat.rfind(')');
  if (close == std::string_view::npos || close + 2 >= stat.size()) return "?";
  return std::string(1, stat[close + 2]);
}

}  // namespace

Result<std::string> ReadProcFile(const std::string& path, size_t limit) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("{}: {}", path, std::strerror(errno)), path);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = Status::IoError(fmt::format("{}: {}", path, std::strerror(errno)), path);
      close(fd);
      return s;
    }
    if (n == 0 || out.size() >= limit) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::string RedactEnvEntry(std::string_view entry, bool* redacted) {
  size_t eq = entry.find('=');
  std::string out;
  *redacted = eq == std::string_view::npos
                  ? RedactOutputText(entry, &out)
                  : RedactOutputValue(entry.substr(0, eq), entry.substr(eq + 1), &out);
  if (!*redacted) return std::string(entry);
  return eq == std::string_view::npos ? out : std::string(entry.substr(0, eq + 1)) + out;
}

Result<ProcSnapshot> SnapshotProc(pid_t pid, EvidenceDir* dir) {
  std::string base = fmt::format("/proc/{}", pid);
  ProcSnapshot snap;
  Result<std::string> status = ReadProcFile(base + "/status", kMaxProcFile);
  if (!status.ok()) {
    return Status::NotFound(fmt::format("no process {} ({})", pid, status.status().message()));
  }
  INQ_RETURN_IF_ERROR(dir->Write("proc/status", *status));
  snap.exe = ReadLink(base + "/exe");

  auto copy = [&](std::string_view file, auto transform) -> Status {
    Result<std::string> text = ReadProcFile(fmt::format("{}/{}", base, file), kMaxProcFile);
    if (!text.ok()) {
      snap.warnings.push_back(text.status().message());
      return Status::Ok();
    }
    return dir->Write(fmt::format("proc/{}", file), transform(*text));
  };
  auto same = [](const std::string& s) { return s; };
  INQ_RETURN_IF_ERROR(copy("limits", same));
  INQ_RETURN_IF_ERROR(copy("maps", same));
  INQ_RETURN_IF_ERROR(copy("cmdline", [&](const std::string& s) {
    // Across neighbouring arguments: "--password hunter2" hides the second.
    snap.cmdline = SplitNul(s);
    RedactOutputArgv(&snap.cmdline);
    std::string out;
    for (const std::string& arg : snap.cmdline) out += arg + "\n";
    return out;
  }));
  INQ_RETURN_IF_ERROR(copy("environ", [&](const std::string& s) {
    std::string out;
    for (const std::string& entry : SplitNul(s)) {
      if (entry.empty()) continue;
      bool hidden = false;
      out += RedactEnvEntry(entry, &hidden) + "\n";
      snap.redacted_env += hidden;
    }
    return out;
  }));

  std::string fds = "fd\ttarget\n";
  std::vector<std::string> fd_names = ListDir(base + "/fd");
  if (fd_names.empty()) snap.warnings.push_back(fmt::format("{}/fd: not readable", base));
  for (const std::string& fd : fd_names) {
    fds += fmt::format("{}\t{}\n", fd, ReadLink(fmt::format("{}/fd/{}", base, fd)));
  }
  INQ_RETURN_IF_ERROR(dir->Write("proc/fds.txt", RedactText(fds).view()));

  std::string threads = "tid\tname\tstate\twchan\n";
  std::vector<std::string> tids = ListDir(base + "/task");
  for (size_t i = 0; i < tids.size() && i < kMaxThreads; ++i) {
    std::string task = fmt::format("{}/task/{}", base, tids[i]);
    Result<std::string> comm = ReadProcFile(task + "/comm", 4096);
    Result<std::string> stat = ReadProcFile(task + "/stat", 4096);
    Result<std::string> wchan = ReadProcFile(task + "/wchan", 4096);
    if (!stat.ok()) continue;  // the thread ended while we looked
    std::string name = comm.ok() ? std::string(TrimSpace(*comm)) : "?";
    std::string wait = wchan.ok() && !wchan->empty() && *wchan != "0" ? *wchan : "-";
    threads += fmt::format("{}\t{}\t{}\t{}\n", tids[i], name, StatState(*stat), wait);
    ++snap.threads;
  }
  if (tids.size() > kMaxThreads) {
    threads += fmt::format("# {} more threads not listed\n", tids.size() - kMaxThreads);
  }
  INQ_RETURN_IF_ERROR(dir->Write("proc/threads.txt", threads));
  return snap;
}

}  // namespace inquest
