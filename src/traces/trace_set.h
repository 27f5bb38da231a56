// Every trace of an incident's trace files in one place: the spans (SpanSet), the trees built
// from them, and the files that could not be read. What `inquest analyze` holds for traces.
//
//   TraceSet ts = LoadTraceSet(paths);
//   for (const Status& s : ts.file_errors) Warn(s.ToString());
//   for (const TraceIssue& i : ts.spans.issues) Warn(ts.spans.IssueText(i));
//   std::vector<Finding> f = TraceFindings(ts, onset - 10min, recovery);
#ifndef INQUEST_TRACES_TRACE_SET_H_
#define INQUEST_TRACES_TRACE_SET_H_

#include <span>
#include <string>
#include <vector>

#include "traces/span_set.h"
#include "traces/trace_tree.h"

namespace inquest {

struct TraceSet {
  SpanSet spans;
  std::vector<Trace> traces;        // by start time
  std::vector<Status> file_errors;  // one per file that could not be read at all
};

// Reads every file (those that fail are listed in file_errors, the rest are read) and builds
// the trees; span-level problems are in spans.issues.
TraceSet LoadTraceSet(std::span<const std::string> paths);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_SET_H_
