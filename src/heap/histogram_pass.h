// The class histogram in one streaming pass, without the object graph: instances and shallow
// size per class, for a quick look at a dump too big to analyse whole, at disk speed. Shallow
// sizes follow heap_graph.h's convention; compressed references are recognised the same way,
// from object arrays and the record after each in the file (dumps are written in address order
// within each region), and the object alignment is taken as 8 bytes (HotSpot's default).
#ifndef INQUEST_HEAP_HISTOGRAM_PASS_H_
#define INQUEST_HEAP_HISTOGRAM_PASS_H_

#include <string>

#include "base/status.h"
#include "heap/heap_analysis.h"

namespace inquest::heap {

// A HeapReport holding the summary counts and the histogram (retained sizes 0, no suspects).
Result<HeapReport> HistogramOnly(const std::string& path);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HISTOGRAM_PASS_H_
