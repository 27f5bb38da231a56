// The first pass over every log file of a bundle (log_pass.h): files one after another, each
// split over the threads (timeline/record_scan.h). Formats that are whole documents (an OTLP
// JSON export) cannot be cut into records by lines: they are loaded whole, passed through the
// same sink, and kept for the second pass as they are.
#ifndef INQUEST_ANALYZE_LOG_STREAMS_H_
#define INQUEST_ANALYZE_LOG_STREAMS_H_

#include <memory>
#include <vector>

#include "analyze/bundle_inputs.h"
#include "analyze/log_pass.h"
#include "base/progress.h"
#include "logs/log_file.h"

namespace inquest {

// What the first pass knows of one log file.
struct LogFilePass {
  size_t input = 0;  // index into BundleInputs::inputs
  ScanReport report;
  std::unique_ptr<LogPassSink> sink;  // its requests already handed to the bundle's table
  std::unique_ptr<LogFile> whole;     // a whole-document format, loaded whole
};

// Runs the first pass over every input taken for a log (rules is parallel to inputs and must
// outlive the result; each names the shared request table the requests go to). A file that
// cannot be read gets its error in its InputReport and is left out.
std::vector<LogFilePass> RunLogPass(BundleInputs* in, const FormatRegistry& registry,
                                    const LoadOptions& load, const std::vector<LogPassRules>& rules,
                                    int threads, Progress* progress, RequestTable* requests);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_LOG_STREAMS_H_
