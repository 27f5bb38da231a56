#include "traces/trace_fuzz.h"

#include <cstdio>
#include <string_view>

#include "traces/trace_findings.h"
#include "traces/trace_output.h"

namespace inquest {

void FuzzTraceBytes(const uint8_t* data, size_t size, TraceFormat format) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  TraceSet ts;
  if (!ReadTraceBytes("fuzz.json", bytes, &ts.spans, format).ok()) return;
  ts.traces = BuildTraces(&ts.spans);
  for (const TraceIssue& i : ts.spans.issues) (void)ts.spans.IssueText(i);
  (void)TraceFindings(ts, kNoTime, kNoTime);
  static std::FILE* sink = std::fopen("/dev/null", "w");
  for (Trace& t : ts.traces) {
    TraceAnalysis a = AnalyzeTrace(ts.spans, &t, /*adjust_skew=*/true);
    for (TraceOutputFormat f :
         {TraceOutputFormat::kText, TraceOutputFormat::kMd, TraceOutputFormat::kJson}) {
      TraceStyle style;
      style.format = f;
      WriteWaterfall(sink, ts.spans, t, a, style);
    }
  }
  if (ts.traces.size() >= 2) {
    TraceDiff d = DiffTraces(ts.spans, ts.traces[0], ts.spans, ts.traces[1]);
    WriteTraceDiff(sink, ts.spans, ts.traces[0], ts.spans, ts.traces[1], d, TraceStyle{});
  }
  TraceSetSummary s = SummarizeTraces(ts.spans, ts.traces, 10);
  WriteTraceSummary(sink, ts.spans, ts.traces, s, TraceStyle{});
  for (TraceOutputFormat f : {TraceOutputFormat::kText, TraceOutputFormat::kJson}) {
    TraceStyle style;
    style.format = f;
    WriteTraceOverview(sink, ts.spans, &ts.traces, TraceOverviewOptions{}, style);
  }
}

}  // namespace inquest
