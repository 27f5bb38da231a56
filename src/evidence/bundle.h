// The files of an incident bundle: a folder walked recursively, in a stable order.
#ifndef INQUEST_EVIDENCE_BUNDLE_H_
#define INQUEST_EVIDENCE_BUNDLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

struct BundleFile {
  std::string path;      // as opened: DIR/relative
  std::string relative;  // relative to the bundle's folder, '/'-separated (used in evidence refs)
  uint64_t size = 0;
};

// Most files a bundle walk lists; a folder with more is almost surely not one incident.
inline constexpr size_t kMaxBundleFiles = 10000;

// Regular files under `dir`, sorted by relative path. Skips hidden files and folders (".git"),
// the folders named in `skip_dirs` (absolute or relative to `dir`: the report's own output
// folder) and anything that cannot be read. A `dir` that is a file lists just that file.
Result<std::vector<BundleFile>> ListBundle(const std::string& dir,
                                           const std::vector<std::string>& skip_dirs);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_BUNDLE_H_
