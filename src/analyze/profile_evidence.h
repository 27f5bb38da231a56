// The profiles and tracemalloc snapshots of a bundle as findings: what dominates each, and, for
// two or more profiles of one kind (the same sample types) or two or more snapshots, what grew
// between the earliest and the latest and where (profile/profile_findings.h).
//
//   ReadProfiles(state_files, &state_evidence);
#ifndef INQUEST_ANALYZE_PROFILE_EVIDENCE_H_
#define INQUEST_ANALYZE_PROFILE_EVIDENCE_H_

#include <vector>

#include "analyze/state_evidence.h"

namespace inquest {

// Reads the files of kind kProfile (format "tracemalloc" or a pprof one) and adds their findings
// to out->findings, with `flame_graphs` a flame graph of the latest of each kind (and of the
// growth, for two or more) to out->flame_graphs, and their counts and errors to out->files.
// Profiles are ordered by their own time, else the time the bundle gives (`taken`), else the file's
// modification time, then by path.
void ReadProfiles(const std::vector<StateFile>& files, bool flame_graphs, StateEvidence* out);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_PROFILE_EVIDENCE_H_
