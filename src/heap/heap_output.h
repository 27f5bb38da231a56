// A HeapReport as text (for the terminal), Markdown (for a post-mortem) or JSON (for tools).
#ifndef INQUEST_HEAP_HEAP_OUTPUT_H_
#define INQUEST_HEAP_HEAP_OUTPUT_H_

#include <string>

#include "base/output.h"
#include "heap/heap_analysis.h"

namespace inquest::heap {

std::string HeapReportText(const HeapReport& r);
std::string HeapReportMarkdown(const HeapReport& r);
Redacted HeapReportJson(const HeapReport& r);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HEAP_OUTPUT_H_
