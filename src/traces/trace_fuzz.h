// The body shared by the trace fuzz targets (fuzz/traces_*_fuzzer.cc): read bytes as one format,
// then run every analysis and output over what was read. Kept in the library so that all three
// targets exercise the same path.
#ifndef INQUEST_TRACES_TRACE_FUZZ_H_
#define INQUEST_TRACES_TRACE_FUZZ_H_

#include <cstddef>
#include <cstdint>

#include "traces/span.h"

namespace inquest {

void FuzzTraceBytes(const uint8_t* data, size_t size, TraceFormat format);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_FUZZ_H_
