// Class-level growth between two heap dumps of the same process: which classes gained
// instances and bytes, matched by name (a class loaded twice counts once, summed).
#ifndef INQUEST_HEAP_HEAP_DIFF_H_
#define INQUEST_HEAP_HEAP_DIFF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/output.h"
#include "heap/heap_analysis.h"

namespace inquest::heap {

struct ClassDelta {
  std::string name;
  int64_t instances = 0;  // now minus before
  int64_t shallow = 0;
  int64_t retained = 0;
  uint64_t instances_before = 0;
  uint64_t instances_now = 0;
  uint64_t shallow_now = 0;
};

// Classes whose instance count or size changed, biggest shallow growth first.
std::vector<ClassDelta> DiffHistograms(const std::vector<ClassRow>& before,
                                       const std::vector<ClassRow>& now);

std::string HeapDiffText(const std::vector<ClassDelta>& d, size_t top);
Redacted HeapDiffJson(const std::vector<ClassDelta>& d);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HEAP_DIFF_H_
