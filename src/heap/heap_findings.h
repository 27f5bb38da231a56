// A heap dump's conclusions as findings for `analyze` and `timeline`: each leak suspect (what
// holds the heap, where it accumulates, the path from its GC root), placed at the time the dump
// was written.
//
//   std::vector<Finding> f = HeapFindings(report, "dumps/oom.hprof");
#ifndef INQUEST_HEAP_HEAP_FINDINGS_H_
#define INQUEST_HEAP_HEAP_FINDINGS_H_

#include <string>
#include <vector>

#include "evidence/finding.h"
#include "heap/heap_analysis.h"

namespace inquest::heap {

// Kind "heap-suspect", one per suspect; an error when it holds most of the heap (at least
// kHeapSuspectErrorShare), else a warning. `source` names the dump in the evidence.
std::vector<Finding> HeapFindings(const HeapReport& r, const std::string& source);

inline constexpr double kHeapSuspectErrorShare = 0.30;

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HEAP_FINDINGS_H_
