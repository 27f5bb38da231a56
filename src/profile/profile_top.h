// The flat/cumulative table of a profile, computed as `go tool pprof -top` computes it, so the
// numbers are pprof's own: one node per function (or per source line, or per file), `flat` the
// value of the samples whose leaf frame is the node, `cum` the value of the samples with the node
// anywhere on their stack (counted once per sample, so recursion does not count twice), inlined
// frames as nodes of their own, rows sorted by |flat|, then name, then |cum| (or by |cum| first).
//
//   INQ_ASSIGN_OR_RETURN(size_t type, ChooseSampleType(p, ""));   // pprof's default choice
//   TopTable t = ComputeTop(p, {.sample_type = type});             // pprof -top's rows
//
// A diff (`--diff BASE`, pprof's -diff_base) counts the base's samples negated: each row is the
// growth, and shares are of the base's total as pprof takes them.
#ifndef INQUEST_PROFILE_PROFILE_TOP_H_
#define INQUEST_PROFILE_PROFILE_TOP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "profile/profile.h"
#include "profile/profile_nodes.h"

namespace inquest::profile {

inline constexpr double kDefaultNodeFraction = 0.005;

struct TopOptions {
  size_t sample_type = 0;  // index in sample_types
  Granularity by = Granularity::kFunctions;
  bool sort_by_cum = false;
  // pprof's trimming: nodes whose |cum| is below this share of the flat sum are dropped
  // (-nodefraction, 0.005 by default; 0 keeps every node), then the first max_rows of the
  // sorted rest are kept (-nodecount).
  double node_fraction = kDefaultNodeFraction;
  size_t max_rows = SIZE_MAX;
  // Call edges lighter than this share of the flat sum are not counted when a node is marked
  // "(inline)" or "(partial-inline)" (pprof's -edgefraction).
  double edge_fraction = 0.001;
};

// How a node was reached from its callers: never from one (a root), always as an inlined
// callee, never as one, or both ways.
enum class InlineMark : uint8_t { kNone, kInline, kPartialInline };

struct TopRow {
  std::string name;  // pprof's printable name: "main.f", "main.f /src/main.go:12", "[lib.so]"
  int64_t flat = 0;
  int64_t cum = 0;
  InlineMark inline_mark = InlineMark::kNone;
};

struct TopTable {
  std::string sample_type;  // "inuse_space"
  std::string unit;         // "bytes"
  int64_t total = 0;        // the sum of |value| over samples (over the base's for a diff)
  bool diff = false;
  double node_fraction = 0;
  size_t nodes = 0;          // nodes with a non-zero value
  size_t dropped = 0;        // of them, below the node fraction
  size_t kept = 0;           // above it (rows.size() is smaller when max_rows cut it)
  std::vector<TopRow> rows;  // the rows kept, in table order
};

// The sample type named `wanted` (its name, or its index as a number); for "" the profile's
// default type, else the last type, as pprof picks. InvalidArgument listing the types otherwise.
Result<size_t> ChooseSampleType(const Profile& p, std::string_view wanted);

// InvalidArgument unless `base` has the same sample types (names and units) as `p`.
Status CheckComparable(const Profile& p, const Profile& base);

// `base`, when given, must be comparable (CheckComparable).
TopTable ComputeTop(const Profile& p, const TopOptions& options, const Profile* base = nullptr);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_TOP_H_
