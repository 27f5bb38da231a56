#include "evidence/bundle.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace inquest {

namespace fs = std::filesystem;

Result<std::vector<BundleFile>> ListBundle(const std::string& dir,
                                           const std::vector<std::string>& skip_dirs) {
  std::error_code ec;
  fs::path root(dir);
  fs::file_status st = fs::status(root, ec);
  if (ec || !fs::exists(st))
    return Status::NotFound(fmt::format("{}: no such file or folder", dir));
  std::vector<BundleFile> out;
  if (fs::is_regular_file(st)) {
    out.push_back({dir, root.filename().string(), static_cast<uint64_t>(fs::file_size(root, ec))});
    return out;
  }
  if (!fs::is_directory(st)) return Status::InvalidArgument(dir + ": not a folder or a file");
  std::vector<fs::path> skips;
  for (const std::string& s : skip_dirs) {
    fs::path p = fs::path(s).is_absolute() ? fs::path(s) : root / s;
    fs::path canon = fs::weakly_canonical(p, ec);
    skips.push_back(ec ? p : canon);
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::IoError(fmt::format("cannot list {}: {}", dir, ec.message()), dir);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    bool is_dir = e.is_directory(ec);
    if (!name.empty() && name[0] == '.') {
      if (is_dir) it.disable_recursion_pending();
      continue;
    }
    if (is_dir) {
      fs::path canon = fs::weakly_canonical(e.path(), ec);
      if (std::find(skips.begin(), skips.end(), canon) != skips.end())
        it.disable_recursion_pending();
      continue;
    }
    if (!e.is_regular_file(ec)) continue;
    BundleFile f;
    f.path = e.path().string();
    f.relative = e.path().lexically_relative(root).generic_string();
    f.size = e.file_size(ec);
    out.push_back(std::move(f));
    if (out.size() > kMaxBundleFiles)
      return Status::InvalidArgument(
          fmt::format("{} holds more than {} files: point analyze at one incident's folder", dir,
                      kMaxBundleFiles));
  }
  std::sort(out.begin(), out.end(),
            [](const BundleFile& a, const BundleFile& b) { return a.relative < b.relative; });
  return out;
}

}  // namespace inquest
