#include "analyze/hs_err_pairing.h"

#include <fmt/format.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "dumps/java/java_readers.h"

namespace inquest {

namespace fs = std::filesystem;

namespace {

bool Near(fs::file_time_type a, fs::file_time_type b) {
  return a <= b + kHsErrPairingWindow && a + kHsErrPairingWindow >= b;
}

// The pid the log's own header names ("... pid=4242, tid=..."), or 0.
int LoggedPid(const std::string& path) {
  Result<MappedFile> f = MappedFile::Open(path);
  if (!f.ok()) return 0;
  std::string_view head = f->data().substr(0, 8192);
  size_t at = head.find(" pid=");
  if (at == std::string_view::npos) return 0;
  int pid = 0;
  for (size_t k = at + 5; k < head.size() && head[k] >= '0' && head[k] <= '9' && pid < 1 << 24; ++k)
    pid = pid * 10 + (head[k] - '0');
  return pid;
}

}  // namespace

std::optional<std::string> HsErrBeside(const CoreReport& report, std::string* why) {
  // A snapshot (gcore) is of a living JVM: no fatal error log belongs to it.
  if (report.snapshot) return std::nullopt;
  fs::path dir = fs::path(report.path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::file_time_type core_time = fs::last_write_time(report.path, ec);
  if (ec) return std::nullopt;
  // Named for the core's pid, written near the core's time, and naming that pid itself: pids
  // are reused, and an old log of another process must not explain this crash.
  fs::path exact = dir / fmt::format("hs_err_pid{}.log", report.pid);
  std::error_code tec;
  if (report.pid > 0 && fs::is_regular_file(exact, tec) &&
      Near(fs::last_write_time(exact, tec), core_time) && !tec &&
      LoggedPid(exact.string()) == report.pid) {
    if (why) *why = fmt::format("named for the core's pid {}", report.pid);
    return exact.string();
  }
  // Else one log, written near the core's time (a process in a container sees another pid).
  std::optional<std::string> only;
  size_t logs = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("hs_err_pid") || !name.ends_with(".log")) continue;
    ++logs;
    fs::file_time_type t = e.last_write_time(tec);
    if (!tec && Near(t, core_time)) only = e.path().string();
  }
  if (logs != 1 || !only) return std::nullopt;
  if (why) *why = "the only hs_err log beside the core, written within minutes of it";
  return only;
}

std::vector<std::string> HsErrVerdictLines(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  Result<MappedFile> f = MappedFile::Open(path);
  if (!f.ok()) return {fmt::format("{}: not readable: {}", name, f.status().message())};
  Result<DumpAnalysis> a = HsErrReader().analyze(path, f->data(), DumpOptions{});
  if (!a.ok()) return {fmt::format("{}: not read: {}", name, a.status().message())};
  std::vector<std::string> out;
  for (const Finding& v : a->verdicts) {
    out.push_back(fmt::format("{}: {} {}", name, SeverityName(v.severity), v.title));
  }
  return out;
}

}  // namespace inquest
