// What `analyze` concludes once the counts, the onset and the records of the incident's windows
// are known: change-like log records join the change records and all are ranked against the
// onset, the detection signals are read, the impact measured, the contributing-factor detectors
// run, traces, dumps and cores read on the same clock, and one failed request rebuilt end to end.
#ifndef INQUEST_ANALYZE_CONCLUSIONS_H_
#define INQUEST_ANALYZE_CONCLUSIONS_H_

#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "analyze/request_outcomes.h"
#include "base/progress.h"
#include "dumps/wait_sites.h"
#include "timeline/log_clock_skew.h"

namespace inquest {

struct ConclusionInputs {
  const AnalyzeOptions* opts = nullptr;
  const RequestWindows* requests = nullptr;  // every request of the bundle, per window
  const LogSkewReport* skew = nullptr;
  const WaitSiteTable* wait_sites = nullptr;
  std::vector<std::string> names;                // bundle-relative file names
  std::vector<std::string> executables;          // candidate programs for cores
  std::vector<std::vector<Finding>> tracebacks;  // from plain traceback files
};

// Fills a's changes (lifted ones added), ranked, detection, impact, findings, state and example.
// Requires a's events, series, requests, onset and signals.
Status DrawConclusions(ConclusionInputs in, Analysis* a, Progress* progress);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_CONCLUSIONS_H_
