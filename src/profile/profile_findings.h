// Profiles and tracemalloc snapshots as findings for `analyze` and `timeline`:
//   "profile-top"     what dominates one profile: the heap's largest allocation site, the
//                     function the CPU time goes to ("CPU profile: 29.7 s of samples over 30.2 s;
//                     96% of it in math/big.addVV");
//   "profile-growth"  what grew between two profiles of one kind, and where ("inuse_space grew by
//                     1.2 GB between heap-1.pb.gz and heap-2.pb.gz, 91% of the growth at
//                     main.(*Store).Put").
// Each names its files in the evidence, with the table row it rests on.
//
//   std::vector<Finding> f = ProfileFindings(profile, "profiles/heap-2.pb.gz");
#ifndef INQUEST_PROFILE_PROFILE_FINDINGS_H_
#define INQUEST_PROFILE_PROFILE_FINDINGS_H_

#include <string>
#include <vector>

#include "evidence/finding.h"
#include "profile/profile.h"
#include "profile/tracemalloc_snapshot.h"

namespace inquest::profile {

// A site holding at least this share of a CPU profile, or of a heap's growth, makes the finding
// a warning rather than information.
inline constexpr double kDominantShare = 0.5;

std::vector<Finding> ProfileFindings(const Profile& p, const std::string& source);
// `old` must be comparable to `now` (CheckComparable). Empty when nothing grew.
std::vector<Finding> ProfileGrowthFindings(const Profile& now, const std::string& now_source,
                                           const Profile& old, const std::string& old_source);

std::vector<Finding> TracemallocFindings(const TracemallocSnapshot& snap,
                                         const std::string& source);
std::vector<Finding> TracemallocGrowthFindings(const TracemallocSnapshot& now,
                                               const std::string& now_source,
                                               const TracemallocSnapshot& old,
                                               const std::string& old_source);

// The time a profile was taken (its own time_nanos), or kNoTime.
TimePoint ProfileTime(const Profile& p);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_FINDINGS_H_
