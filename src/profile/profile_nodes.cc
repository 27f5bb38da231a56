#include "profile/profile_nodes.h"

#include <fmt/format.h>

#include <filesystem>

namespace inquest::profile {
namespace {

// pprof's NodeInfo.PrintableName for a node without an address.
std::string NodeName(std::string_view function, const std::string& file, int64_t line,
                     std::string_view objfile) {
  std::string out(function);
  auto add = [&out](std::string_view part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (line != 0) {
    add(fmt::format("{}:{}", file, line));
  } else if (!file.empty()) {
    add(file);
  } else if (!function.empty()) {
    // the name alone
  } else if (!objfile.empty()) {
    size_t slash = objfile.rfind('/');
    add(fmt::format("[{}]", slash == std::string_view::npos ? objfile : objfile.substr(slash + 1)));
  } else {
    add("<unknown>");
  }
  return out;
}

}  // namespace

std::string CleanPath(std::string_view path) {
  if (path.empty()) return ".";
  std::string out = std::filesystem::path(path).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

uint32_t ProfileNodes::Intern(std::string name, std::string_view identity) {
  std::string key = name;
  if (!identity.empty()) {
    key += '\0';
    key += identity;
  }
  auto [it, fresh] = ids_.try_emplace(std::move(key), static_cast<uint32_t>(names_.size()));
  if (fresh) names_.push_back(std::move(name));
  return it->second;
}

ProfileNodes::LocationNodes ProfileNodes::Map(const Profile& p) {
  LocationNodes out;
  out.first.reserve(p.locations.size() + 1);
  out.nodes.reserve(p.lines.size() + p.locations.size());
  // (function, line) -> node, for locations outside a named binary (the name then depends on
  // the function and line alone).
  absl::flat_hash_map<uint64_t, uint32_t> by_line;
  for (const Location& loc : p.locations) {
    out.first.push_back(static_cast<uint32_t>(out.nodes.size()));
    std::string_view objfile =
        loc.mapping == kNone ? std::string_view() : p.Str(p.mappings[loc.mapping].filename);
    if (loc.line_count == 0) {
      out.nodes.push_back(Intern(NodeName("", "", 0, objfile)));
      continue;
    }
    for (const Line& line : p.Lines(loc)) {
      if (line.function == kNone) {
        out.nodes.push_back(Intern(NodeName("", "", 0, objfile)));
        continue;
      }
      int64_t line_no = by_ == Granularity::kLines ? line.line : 0;
      const Function& f = p.functions[line.function];
      std::string_view name = by_ == Granularity::kFiles ? "" : p.Str(f.name);
      bool cacheable = line_no >= 0 && line_no < (int64_t{1} << 32) && !name.empty();
      uint64_t key = (uint64_t{line.function} << 32) | static_cast<uint64_t>(line_no);
      if (cacheable) {
        if (auto it = by_line.find(key); it != by_line.end()) {
          out.nodes.push_back(it->second);
          continue;
        }
      }
      std::string_view file = p.Str(f.filename);
      std::string clean = by_ == Granularity::kFunctions || file.empty() ? "" : CleanPath(file);
      // pprof tells unnamed functions apart by binary and start line, even where their printed
      // names are the same (two rows "runtime/sys_linux_amd64.s" in a table by file).
      std::string identity =
          name.empty() ? fmt::format("{}:{}", objfile, f.start_line) : std::string();
      uint32_t node = Intern(NodeName(name, clean, line_no, name.empty() ? objfile : ""), identity);
      if (cacheable) by_line.emplace(key, node);
      out.nodes.push_back(node);
    }
  }
  out.first.push_back(static_cast<uint32_t>(out.nodes.size()));
  return out;
}

}  // namespace inquest::profile
