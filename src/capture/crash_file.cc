#include "capture/crash_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "native/signal_info.h"

namespace inquest {
namespace {

constexpr std::string_view kMagic = "inquest-crash";
constexpr int kVersion = 1;

std::optional<uint64_t> ParseHex(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

// "start-end perms offset dev inode [path]" as /proc/PID/maps writes it.
bool ParseMapLine(std::string_view line, ModuleMapping* m, MemoryRegion* r) {
  std::vector<std::string_view> f;
  size_t i = 0;
  while (f.size() < 5) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = line.find(' ', i);
    if (j == std::string_view::npos) j = line.size();
    if (i >= j) return false;
    f.push_back(line.substr(i, j - i));
    i = j;
  }
  size_t dash = f[0].find('-');
  if (dash == std::string_view::npos) return false;
  auto start = ParseHex(f[0].substr(0, dash));
  auto end = ParseHex(f[0].substr(dash + 1));
  auto offset = ParseHex(f[2]);
  if (!start || !end || !offset || *end < *start || f[1].size() != 4) return false;
  m->start = *start;
  m->end = *end;
  m->offset = *offset;
  m->path = std::string(TrimSpace(line.substr(std::min(i, line.size()))));
  r->start = *start;
  r->end = *end;
  r->readable = f[1][0] == 'r';
  r->writable = f[1][1] == 'w';
  r->executable = f[1][2] == 'x';
  return true;
}

Status LineError(std::string_view name, uint64_t line, std::string msg) {
  return Status::BadInput(std::move(msg), SourceLocation{std::string(name), line});
}

}  // namespace

Result<CrashFile> ParseCrashFile(std::string_view data, std::string_view name) {
  CrashFile crash;
  std::map<uint64_t, std::string> build_ids;  // by mapping start
  uint64_t line_no = 0;
  bool saw_end = false;
  while (!data.empty()) {
    size_t nl = data.find('\n');
    bool cut = nl == std::string_view::npos;
    std::string_view line = data.substr(0, cut ? data.size() : nl);
    data.remove_prefix(cut ? data.size() : nl + 1);
    ++line_no;
    if (cut) {
      // The writer ends every line; a cut last line is where the process died mid-write.
      crash.notes.push_back(fmt::format("line {} is cut off; ignored", line_no));
      break;
    }
    if (line_no == 1) {
      if (!line.starts_with(kMagic)) {
        return LineError(name, 1, "not a crash file (it does not start with \"inquest-crash\")");
      }
      auto v = ParseInt(TrimSpace(line.substr(kMagic.size())));
      if (!v || *v != kVersion) {
        return LineError(name, 1,
                         fmt::format("crash file version \"{}\" is not supported",
                                     SanitizeForTerminal(line.substr(kMagic.size()))));
      }
      crash.version = static_cast<int>(*v);
      continue;
    }
    if (saw_end) {
      if (TrimSpace(line).empty()) continue;
      return LineError(name, line_no, "text after the \"end\" line");
    }
    size_t sp = line.find(' ');
    std::string_view key = line.substr(0, sp);
    std::string_view value = sp == std::string_view::npos ? "" : line.substr(sp + 1);
    auto bad = [&](std::string_view what) {
      return LineError(name, line_no,
                       fmt::format("bad {} \"{}\"", what, SanitizeForTerminal(value)));
    };
    if (key == "end") {
      saw_end = true;
    } else if (key == "signal" || key == "code" || key == "pid" || key == "tid" ||
               key == "sender_pid") {
      auto v = ParseInt(value);
      if (!v || *v < INT32_MIN || *v > INT64_MAX / 2) return bad(key);
      if (key == "signal") {
        if (*v <= 0 || *v > 128) return bad(key);
        crash.signal = static_cast<int>(*v);
      } else if (key == "code") {
        if (*v > INT32_MAX) return bad(key);
        crash.code = static_cast<int>(*v);
      } else if (key == "pid") {
        crash.pid = *v;
      } else if (key == "tid") {
        crash.tid = *v;
      } else {
        crash.sender_pid = *v;
      }
    } else if (key == "fault_addr") {
      auto v = ParseHex(value);
      if (!v) return bad("fault address");
      crash.fault_addr = *v;
      crash.has_fault_addr = true;
    } else if (key == "time") {
      size_t dot = value.find('.');
      auto sec = ParseInt(value.substr(0, dot));
      std::string_view frac = dot == std::string_view::npos ? "" : value.substr(dot + 1);
      auto ns = frac.empty() ? std::optional<int64_t>(0) : ParseInt(frac);
      constexpr int64_t kMaxSeconds = INT64_MAX / 1000000000 - 1;
      if (!sec || !ns || frac.size() > 9 || *sec < 0 || *sec > kMaxSeconds || *ns < 0) {
        return bad("time");
      }
      int64_t scaled = *ns;
      for (size_t i = frac.size(); i < 9; ++i) scaled *= 10;
      crash.time_ns = *sec * 1000000000 + scaled;
      crash.has_time = true;
    } else if (key == "exe") {
      crash.exe = std::string(value);
    } else if (key == "arch") {
      crash.arch = std::string(value);
    } else if (key == "reg") {
      size_t s2 = value.find(' ');
      auto v = s2 == std::string_view::npos ? std::nullopt : ParseHex(value.substr(s2 + 1));
      if (!v || s2 == 0) return bad("register");
      if (crash.registers.size() >= kMaxCrashRegisters) return bad("register (too many)");
      crash.registers.emplace_back(std::string(value.substr(0, s2)), *v);
    } else if (key == "frame") {
      auto v = ParseHex(value);
      if (!v) return bad("frame address");
      if (crash.frames.size() >= kMaxCrashFrames) return bad("frame (too many)");
      crash.frames.push_back(*v);
    } else if (key == "map") {
      ModuleMapping m;
      MemoryRegion region;
      if (!ParseMapLine(value, &m, &region)) return bad("maps line");
      if (crash.regions.size() >= kMaxCrashMaps) return bad("maps line (too many)");
      crash.regions.push_back(region);
      if (m.path.starts_with("/")) crash.mappings.push_back(std::move(m));
    } else if (key == "build_id") {
      size_t s2 = value.find(' ');
      auto start = s2 == std::string_view::npos ? std::nullopt : ParseHex(value.substr(0, s2));
      std::string_view id = s2 == std::string_view::npos ? "" : value.substr(s2 + 1);
      bool hex = !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
      if (!start || !hex) return bad("build-id");
      build_ids[*start] = std::string(id);
    } else if (key == "note") {
      crash.notes.emplace_back(value);
    }
    // Other keys come from later versions of the writer and are skipped.
  }
  if (line_no == 0) return LineError(name, 0, "empty file, not a crash file");
  if (crash.signal == 0) {
    return Status::BadInput("no \"signal\" line: the crash file holds no crash",
                            SourceLocation{std::string(name)});
  }
  crash.complete = saw_end;
  // A build-id belongs to every mapping of the file whose offset-0 mapping it was read from.
  std::map<std::string, std::string> by_path;
  for (const ModuleMapping& m : crash.mappings) {
    auto it = build_ids.find(m.start);
    if (it != build_ids.end() && m.offset == 0) by_path.emplace(m.path, it->second);
  }
  for (ModuleMapping& m : crash.mappings) {
    auto it = by_path.find(m.path);
    if (it != by_path.end()) m.build_id = it->second;
  }
  return crash;
}

std::string CrashFaultMeaning(const CrashFile& crash) {
  if (!crash.has_fault_addr || !HasFaultAddress(crash.signal, crash.code)) return {};
  uint64_t sp = 0;
  for (const auto& [name, value] : crash.registers) {
    if (name == "rsp" || name == "sp") sp = value;
  }
  bool mapped = false, writable = false;
  for (const MemoryRegion& r : crash.regions) {
    if (crash.fault_addr >= r.start && crash.fault_addr < r.end) {
      mapped = true;
      writable = r.writable;
    }
  }
  return FaultMeaning(crash.signal, crash.code, crash.fault_addr, sp, mapped, writable);
}

}  // namespace inquest
