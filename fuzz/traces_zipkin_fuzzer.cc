// The Zipkin trace reader on arbitrary bytes, and everything built on what it reads: span trees,
// skew adjustment, critical path, self time, findings and every output format.
#include <cstdio>
#include <string>

#include "traces/trace_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inquest::FuzzTraceBytes(data, size, inquest::TraceFormat::kZipkin);
  return 0;
}
