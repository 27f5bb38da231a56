// The nodes of a profile's graph as pprof forms them: one per function (or source line, or file),
// named by pprof's printable name ("main.f", "main.f /src/main.go:12", "/src/main.go",
// "[libc.so.6]" for a location without symbols in a named binary, "<unknown>"), shared between a
// profile and its diff base, so that the same function in both is one node.
//
//   ProfileNodes nodes(Granularity::kFunctions);
//   ProfileNodes::LocationNodes m = nodes.Map(profile);
//   for (uint32_t k = m.first[loc]; k < m.first[loc + 1]; ++k) use(nodes.name(m.nodes[k]));
#ifndef INQUEST_PROFILE_PROFILE_NODES_H_
#define INQUEST_PROFILE_PROFILE_NODES_H_

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "profile/profile.h"

namespace inquest::profile {

// pprof's -functions (the default), -lines and -files.
enum class Granularity : uint8_t { kFunctions, kLines, kFiles };

class ProfileNodes {
 public:
  explicit ProfileNodes(Granularity by) : by_(by) {}

  // For each location l of a profile, nodes[first[l] .. first[l + 1]) are the nodes of its lines,
  // the innermost inlined callee first and the location's own function last.
  struct LocationNodes {
    std::vector<uint32_t> first;
    std::vector<uint32_t> nodes;
  };
  LocationNodes Map(const Profile& p);

  size_t size() const { return names_.size(); }
  const std::string& name(uint32_t node) const { return names_[node]; }
  std::vector<std::string> TakeNames() && { return std::move(names_); }

 private:
  // The node named `name` whose identity beyond its name is `identity` (empty: the name alone).
  uint32_t Intern(std::string name, std::string_view identity = {});

  Granularity by_;
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

// pprof's filepath.Clean: "a//b/./c/../d" -> "a/b/d", "" -> ".".
std::string CleanPath(std::string_view path);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_NODES_H_
