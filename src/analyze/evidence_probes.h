// The probes of the evidence kinds that have their own readers (trace exports, runtime dumps,
// ELF cores), in the shape evidence/sniff.h takes, so `analyze` and `detect` sniff the same way.
//
//   SniffProbes probes;  probes.log = ...;  probes.others = DedicatedProbes();
#ifndef INQUEST_ANALYZE_EVIDENCE_PROBES_H_
#define INQUEST_ANALYZE_EVIDENCE_PROBES_H_

#include <vector>

#include "evidence/sniff.h"

namespace inquest {

// One probe per kind: traces (format "otlp", "jaeger", "zipkin"), dumps (the best dump reader's
// name, e.g. "go-goroutines", "java-threads", "hs-err"), cores ("elf-core").
std::vector<KindProbe> DedicatedProbes();

// Whether `head` starts like an ELF executable or shared library (not a core): the candidates
// for a core's executable in a bundle.
bool LooksLikeElfProgram(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_EVIDENCE_PROBES_H_
