#include "capture/lab.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/strings.h"

namespace inquest {
namespace {

bool IsDir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

std::string ReadTitle(const std::string& readme) {
  std::ifstream in(readme);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view t = TrimSpace(line);
    if (t.starts_with("#")) return std::string(TrimSpace(t.substr(t.find_first_not_of('#'))));
  }
  return {};
}

}  // namespace

Result<std::string> FindLabDir() {
  std::vector<std::string> tried;
  if (const char* env = std::getenv("INQUEST_LAB_DIR"); env && *env) {
    if (IsDir(env)) return std::string(env);
    return Status::NotFound(fmt::format("INQUEST_LAB_DIR={} is not a folder", env));
  }
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const char* rel : {"../lab", "../share/inquest/lab"}) {
      std::string candidate = (exe.parent_path() / rel).lexically_normal().string();
      if (IsDir(candidate)) return candidate;
      tried.push_back(candidate);
    }
  }
  if (IsDir("lab")) return std::filesystem::absolute("lab", ec).string();
  tried.push_back("./lab");
  return Status::NotFound(
      fmt::format("no lab folder (tried {}); set INQUEST_LAB_DIR to the lab/ folder of a checkout",
                  fmt::join(tried, ", ")));
}

std::vector<LabScenario> ListScenarios(const std::string& lab_dir) {
  std::vector<LabScenario> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(lab_dir, ec)) {
    if (!entry.is_directory(ec)) continue;
    std::string name = entry.path().filename().string();
    if (name.starts_with(".") || name.starts_with("_")) continue;
    std::string run = (entry.path() / "run").string();
    if (access(run.c_str(), X_OK) != 0) continue;
    LabScenario s;
    s.name = name;
    s.dir = entry.path().string();
    s.title = ReadTitle((entry.path() / "README.md").string());
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const LabScenario& a, const LabScenario& b) { return a.name < b.name; });
  return out;
}

}  // namespace inquest
