#include "base/config.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "base/output.h"

namespace inquest {
namespace {

bool IsFile(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

std::string FindConfig(const ConfigSearch& search) {
  namespace fs = std::filesystem;
  if (!search.explicit_path.empty()) return search.explicit_path;
  std::vector<fs::path> candidates;
  if (!search.bundle_dir.empty())
    candidates.push_back(fs::path(search.bundle_dir) / kConfigFileName);
  if (!search.current_dir.empty())
    candidates.push_back(fs::path(search.current_dir) / kConfigFileName);
  std::optional<std::string> xdg = search.xdg_config_home;
  if (!xdg) {
    if (const char* e = std::getenv("XDG_CONFIG_HOME"); e && *e) xdg = e;
  }
  std::optional<std::string> home = search.home;
  if (!home) {
    if (const char* e = std::getenv("HOME"); e && *e) home = e;
  }
  if (xdg && !xdg->empty()) candidates.push_back(fs::path(*xdg) / "inquest" / kConfigFileName);
  if (home && !home->empty())
    candidates.push_back(fs::path(*home) / ".config" / "inquest" / kConfigFileName);
  for (const fs::path& p : candidates)
    if (IsFile(p)) return p.string();
  return {};
}

Result<Config> ParseConfig(std::string_view text, std::string name) {
  Config cfg;
  cfg.path = std::move(name);
  try {
    cfg.table = toml::parse(text, std::string_view(cfg.path));
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    return Status::BadInput(std::string(e.description()),
                            SourceLocation{cfg.path, static_cast<uint64_t>(src.begin.line)});
  }
  return cfg;
}

Result<Config> LoadConfig(const ConfigSearch& search) {
  std::string path = FindConfig(search);
  if (path.empty()) return Config{};
  if (!IsFile(path)) return Status::NotFound(fmt::format("config file {} does not exist", path));
  Config cfg;
  cfg.path = path;
  try {
    cfg.table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    return Status::BadInput(std::string(e.description()),
                            SourceLocation{path, static_cast<uint64_t>(src.begin.line)});
  }
  // [redact] patterns join the output boundary's redactor whichever command reads the file.
  INQ_RETURN_IF_ERROR(ApplyRedactConfig(cfg));
  return cfg;
}

Result<std::vector<std::string>> StringList(const toml::node* node, std::string_view where) {
  std::vector<std::string> out;
  if (!node) return out;
  if (auto s = node->value<std::string>()) {
    out.push_back(*s);
    return out;
  }
  const toml::array* arr = node->as_array();
  if (!arr)
    return Status::InvalidArgument(fmt::format("{} must be a string or a list of strings", where));
  for (const toml::node& n : *arr) {
    auto s = n.value<std::string>();
    if (!s) return Status::InvalidArgument(fmt::format("{} must hold strings only", where));
    out.push_back(*s);
  }
  return out;
}

}  // namespace inquest
