// An SVG waterfall of one trace for report.html: one row per span (indented by depth, in tree
// order), bars on the trace's time axis coloured by service, the critical path drawn over them,
// errors outlined in red. Self-contained (no scripts, no fonts fetched); a row's title gives the
// span's id, duration, self time and time on the critical path on hover.
//
//   TraceAnalysis a = AnalyzeTrace(ts.spans, &trace, /*adjust_skew=*/false);
//   std::string svg = SvgWaterfall(ts.spans, trace, a);
#ifndef INQUEST_REPORT_SVG_WATERFALL_H_
#define INQUEST_REPORT_SVG_WATERFALL_H_

#include <string>

#include "traces/trace_analysis.h"

namespace inquest {

struct SvgWaterfallOptions {
  int width = 960;
  // Rows drawn at most; a larger trace says how many spans were left out (the JSON and text
  // outputs have them all).
  size_t max_rows = 300;
};

std::string SvgWaterfall(const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                         const SvgWaterfallOptions& opts = {});

}  // namespace inquest

#endif  // INQUEST_REPORT_SVG_WATERFALL_H_
