#include "traces/trace_set.h"

namespace inquest {

TraceSet LoadTraceSet(std::span<const std::string> paths) {
  TraceSet ts;
  ts.file_errors = ReadTraceFiles(paths, &ts.spans);
  ts.traces = BuildTraces(&ts.spans);
  return ts;
}

}  // namespace inquest
