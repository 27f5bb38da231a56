// A profile's samples as flame graph stacks (profile/flame_graph.h): each sample's frames root
// first, named as the top table names its nodes (profile_nodes.h), weighted by the chosen sample
// type. With a diff base, the base's samples count negated and identical stacks are netted, so
// the graph shows where the value grew. Python tracemalloc snapshots likewise.
//
//   FlameInput in = ProfileFlameInput(profile, type, Granularity::kFunctions, nullptr);
//   INQ_ASSIGN_OR_RETURN(FlameGraph g, RenderFlameGraph(in));
#ifndef INQUEST_PROFILE_PROFILE_FLAME_H_
#define INQUEST_PROFILE_PROFILE_FLAME_H_

#include <cstddef>

#include "profile/flame_graph.h"
#include "profile/profile.h"
#include "profile/profile_nodes.h"
#include "profile/tracemalloc_snapshot.h"

namespace inquest::profile {

// `base`, when given, has the same sample types as `p` (CheckComparable).
FlameInput ProfileFlameInput(const Profile& p, size_t type, Granularity by, const Profile* base);

// A tracemalloc snapshot's traces as stacks of "file:line" frames (oldest first), weighted by
// their size in bytes.
FlameInput TracemallocFlameInput(const TracemallocSnapshot& snap);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_FLAME_H_
