#include "analyze/hs_err_pairing.h"

#include <fmt/format.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "dumps/java/java_readers.h"

namespace inquest {

namespace fs = std::filesystem;

std::optional<std::string> HsErrBeside(const CoreReport& report, std::string* why) {
  fs::path dir = fs::path(report.path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::path exact = dir / fmt::format("hs_err_pid{}.log", report.pid);
  if (report.pid > 0 && fs::is_regular_file(exact, ec)) {
    if (why) *why = fmt::format("named for the core's pid {}", report.pid);
    return exact.string();
  }
  // One log, written near the core's time.
  std::optional<std::string> only;
  fs::file_time_type core_time = fs::last_write_time(report.path, ec);
  if (ec) return std::nullopt;
  size_t logs = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("hs_err_pid") || !name.ends_with(".log")) continue;
    ++logs;
    std::error_code tec;
    fs::file_time_type t = e.last_write_time(tec);
    if (!tec && t <= core_time + kHsErrPairingWindow && t + kHsErrPairingWindow >= core_time) {
      only = e.path().string();
    }
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
