#include "evidence/bundle.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

namespace inquest {

namespace fs = std::filesystem;

namespace {

bool IsUnder(const fs::path& p, const fs::path& root) {
  fs::path rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

bool UnderAny(const fs::path& p, const std::vector<fs::path>& dirs) {
  for (const fs::path& d : dirs)
    if (p == d || IsUnder(p, d)) return true;
  return false;
}

// Links followed in a chain before giving up (the kernel's own limit is 40).
constexpr int kMaxLinkHops = 40;

// Where the link `link` leads, link by link, also when the end does not exist (where a dangling
// link points says whether it leaves the bundle).
fs::path Resolve(const fs::path& link, std::error_code* ec) {
  fs::path at = link;
  for (int hop = 0; hop < kMaxLinkHops; ++hop) {
    fs::path target = fs::read_symlink(at, *ec);
    if (*ec) return {};
    if (target.is_relative()) target = at.parent_path() / target;
    // The folders on the way resolved (they exist or not); the last part looked at again.
    fs::path next = fs::weakly_canonical(target, *ec);
    if (*ec) return {};
    if (!fs::is_symlink(fs::symlink_status(next, *ec))) {
      *ec = {};
      return next;
    }
    at = next;
  }
  *ec = std::make_error_code(std::errc::too_many_symbolic_link_levels);
  return {};
}

// A link found by the walk, and what it resolves to.
struct LinkEntry {
  fs::path link;
  std::string relative;
  std::string refused;  // set when the link leaves the bundle (or cannot be resolved)
  fs::path target;      // a regular file inside the bundle, when not refused
};

LinkEntry ResolveLink(const fs::directory_entry& e, const fs::path& root,
                      const fs::path& root_canon) {
  LinkEntry l;
  l.link = e.path();
  l.relative = e.path().lexically_relative(root).generic_string();
  std::error_code ec;
  std::string written = fs::read_symlink(e.path(), ec).string();
  fs::path resolved = Resolve(e.path(), &ec);
  if (ec) {
    l.refused = fmt::format("a symbolic link to {} that cannot be resolved ({}): not read", written,
                            ec.message());
    return l;
  }
  if (!IsUnder(resolved, root_canon) && resolved != root_canon) {
    std::string shown =
        resolved.string() == written ? written : fmt::format("{} ({})", written, resolved.string());
    l.refused = fmt::format("a symbolic link to {}, outside the bundle: not read", shown);
    return l;
  }
  if (fs::is_regular_file(resolved, ec)) l.target = resolved;
  return l;
}

}  // namespace

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
  const fs::path root_canon = fs::canonical(root, ec);
  if (ec) return Status::IoError(fmt::format("cannot resolve {}: {}", dir, ec.message()), dir);
  std::vector<fs::path> skips;
  for (const std::string& s : skip_dirs) {
    fs::path p = fs::path(s).is_absolute() ? fs::path(s) : root / s;
    fs::path canon = fs::weakly_canonical(p, ec);
    skips.push_back(ec ? p : canon);
  }
  auto too_many = [&] {
    return Status::InvalidArgument(
        fmt::format("{} holds more than {} files: point analyze at one incident's folder", dir,
                    kMaxBundleFiles));
  };
  std::vector<LinkEntry> links;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::IoError(fmt::format("cannot list {}: {}", dir, ec.message()), dir);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    // The entry itself, never what a link points to: links are judged below.
    fs::file_status own = e.symlink_status(ec);
    bool is_dir = fs::is_directory(own);
    if (!name.empty() && name[0] == '.') {
      if (is_dir) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_symlink(own)) {
      links.push_back(ResolveLink(e, root, root_canon));
      if (out.size() + links.size() > kMaxBundleFiles) return too_many();
      continue;
    }
    if (is_dir) {
      fs::path canon = fs::weakly_canonical(e.path(), ec);
      if (std::find(skips.begin(), skips.end(), canon) != skips.end())
        it.disable_recursion_pending();
      continue;
    }
    if (!fs::is_regular_file(own)) continue;
    BundleFile f;
    f.path = e.path().string();
    f.relative = e.path().lexically_relative(root).generic_string();
    f.size = e.file_size(ec);
    out.push_back(std::move(f));
    if (out.size() + links.size() > kMaxBundleFiles) return too_many();
  }
  // Each file is read once: under its own name, else under the first link to it (in the
  // order of the links' names, so the choice does not depend on the walk's order).
  std::set<std::pair<dev_t, ino_t>> seen;
  for (const BundleFile& f : out) {
    struct stat s;
    if (::stat(f.path.c_str(), &s) == 0) seen.insert({s.st_dev, s.st_ino});
  }
  std::sort(links.begin(), links.end(),
            [](const LinkEntry& a, const LinkEntry& b) { return a.relative < b.relative; });
  for (LinkEntry& l : links) {
    BundleFile f;
    f.relative = std::move(l.relative);
    if (!l.refused.empty()) {
      f.path = l.link.string();
      f.refused = std::move(l.refused);
      out.push_back(std::move(f));
      continue;
    }
    // A link to a folder, to something that is not a file, or into the report's own folder.
    if (l.target.empty() || UnderAny(l.target, skips)) continue;
    struct stat s;
    if (::stat(l.target.c_str(), &s) != 0 || !seen.insert({s.st_dev, s.st_ino}).second) continue;
    f.path = l.target.string();
    f.size = static_cast<uint64_t>(s.st_size);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const BundleFile& a, const BundleFile& b) { return a.relative < b.relative; });
  return out;
}

}  // namespace inquest
