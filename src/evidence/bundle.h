// The files of an incident bundle: a folder walked recursively, in a stable order.
#ifndef INQUEST_EVIDENCE_BUNDLE_H_
#define INQUEST_EVIDENCE_BUNDLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

struct BundleFile {
  // As opened: DIR/relative; for a link to a file inside the bundle, the file it points to.
  std::string path;
  std::string relative;  // relative to the bundle's folder, '/'-separated (used in evidence refs)
  uint64_t size = 0;
  // Why the walk does not let this entry be read, naming its target ("a symbolic link to
  // /etc/shadow, outside the bundle: not read"); empty for a file to read.
  std::string refused;
};

// Most files a bundle walk lists; a folder with more is almost surely not one incident.
inline constexpr size_t kMaxBundleFiles = 10000;

// Regular files under `dir`, sorted by relative path. Skips hidden files and folders (".git"),
// the folders named in `skip_dirs` (absolute or relative to `dir`: the report's own output
// folder) and anything that cannot be read. A `dir` that is a file lists just that file.
//
// The walk never leaves the bundle (`dir` itself may be a link: the user named it). A symbolic
// link whose target lies outside is listed with `refused` set, so it is reported and never
// read. A link to a file inside is read once, under the link's name, unless the file is
// listed under its own; links to folders are not followed (a folder inside is walked by its
// own path), so there are no loops. Hard links cannot be told apart from the file itself.
Result<std::vector<BundleFile>> ListBundle(const std::string& dir,
                                           const std::vector<std::string>& skip_dirs);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_BUNDLE_H_
