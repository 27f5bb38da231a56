// Writing what `inquest trace` found: one trace as a waterfall (text: an indented tree with bars
// on a common time axis, critical-path spans marked '*', errors '!'; Markdown: a table; JSON:
// one object), the summary of many traces, the skew report, and the diff of two traces. Spans
// are named by their ref (node_ref.h), unique in the trace, so Zipkin's shared client and server
// halves stay apart.
//
// JSON names are stable (other tools read them): see docs/traces.md.
#ifndef INQUEST_TRACES_TRACE_OUTPUT_H_
#define INQUEST_TRACES_TRACE_OUTPUT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "traces/trace_analysis.h"
#include "traces/trace_diff.h"

namespace inquest {

enum class TraceOutputFormat { kText, kMd, kJson };

struct TraceStyle {
  TraceOutputFormat format = TraceOutputFormat::kText;
  bool color = false;  // ANSI colours (text only)
  size_t width = 0;    // terminal width; 0: the default layout (120 columns)
};

void WriteWaterfall(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                    const TraceStyle& style);

void WriteTraceSummary(std::FILE* out, const SpanSet& set, const std::vector<Trace>& traces,
                       const TraceSetSummary& s, const TraceStyle& style);

struct TraceOverviewOptions {
  bool adjust_skew = false;
  int64_t max_skew_ns = kMaxSkewAdjustmentNs;
  size_t top = 10;  // traces per table
};

// What `inquest trace FILE...` prints without --id: the summary of every trace and, when the
// files hold one trace, its waterfall (in JSON, the same object as with --id, under "trace").
// With adjust_skew every trace is adjusted before anything is written, so the summary's tables
// show the times the waterfall shows. `traces` are analysed in place (times moved).
void WriteTraceOverview(std::FILE* out, const SpanSet& set, std::vector<Trace>* traces,
                        const TraceOverviewOptions& options, const TraceStyle& style);

void WriteTraceDiff(std::FILE* out, const SpanSet& set_a, const Trace& a, const SpanSet& set_b,
                    const Trace& b, const TraceDiff& d, const TraceStyle& style);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_OUTPUT_H_
