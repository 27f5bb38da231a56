// inquest trace: the waterfall of one trace (critical path, self time, clock skew), the diff of
// two traces, or the summary of every trace in the files.
#include <fmt/format.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "traces/trace_analysis.h"
#include "traces/trace_diff.h"
#include "traces/trace_output.h"

namespace inquest::cli {
namespace {

// Issues printed in full on stderr; the rest are counted.
constexpr size_t kIssuesShown = 10;
// Traces listed in each table of the summary.
constexpr size_t kSummaryRows = 10;

struct TraceArgs {
  std::vector<std::string> inputs;
  std::string id, diff, diff_id, max_skew;
  bool adjust_skew = false;
  FormatFlags format;
};

// Reads `paths` into *set, printing what went wrong; false when a file could not be read.
// With `only_id`, JSON-lines files are read only where they mention it.
bool Load(const std::vector<std::string>& paths, SpanSet* set, std::string_view only_id = {}) {
  bool ok = true;
  for (const Status& s : ReadTraceFiles(paths, set, only_id)) {
    fmt::print(stderr, "inquest trace: {}\n", s.ToString());
    ok = false;
  }
  return ok;
}

// Spans are counted as every view counts them (Trace::spans); copies merged and spans left out
// are named apart.
void PrintIssues(const SpanSet& set, const std::vector<Trace>& traces) {
  uint64_t spans = 0, duplicates = 0, left_out = 0;
  for (const Trace& t : traces) {
    spans += t.spans;
    duplicates += t.duplicates;
    left_out += t.left_out;
  }
  fmt::print(stderr, "inquest trace: {} spans in {} trace{} from {} file{}", spans, traces.size(),
             traces.size() == 1 ? "" : "s", set.files.size(), set.files.size() == 1 ? "" : "s");
  if (duplicates)
    fmt::print(stderr, "; {} duplicate{} merged", duplicates, duplicates == 1 ? "" : "s");
  if (left_out) fmt::print(stderr, "; {} left out (parent cycles)", left_out);
  if (set.issue_count)
    fmt::print(stderr, "; {} problem{}", set.issue_count, set.issue_count == 1 ? "" : "s");
  fmt::print(stderr, "\n");
  for (size_t i = 0; i < set.issues.size() && i < kIssuesShown; ++i)
    fmt::print(stderr, "  {}\n", SanitizeForTerminal(set.IssueText(set.issues[i])));
  if (set.issue_count > kIssuesShown)
    fmt::print(stderr, "  ... and {} more\n", set.issue_count - kIssuesShown);
}

bool IsFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

TraceOutputFormat ToTraceFormat(OutputFormat o) {
  switch (o) {
    case OutputFormat::kJson:
      return TraceOutputFormat::kJson;
    case OutputFormat::kMd:
      return TraceOutputFormat::kMd;
    case OutputFormat::kText:
      break;
  }
  return TraceOutputFormat::kText;
}

}  // namespace

int RunTrace(int argc, char** argv) {
  CLI::App app("trace waterfall: critical path, self time, clock skew, diff of two traces",
               "trace");
  AddInputLimitFlags(app);
  TraceArgs a;
  app.add_option("inputs", a.inputs, "trace files: OTLP JSON, Jaeger JSON, Zipkin v2 JSON")
      ->required();
  app.add_option("--id", a.id, "the trace to show (hex id); without it, a summary of all traces");
  app.add_flag("--adjust-skew", a.adjust_skew,
               "shift spans of hosts whose clocks disagree, as Jaeger does (each move is listed)");
  app.add_option("--max-skew", a.max_skew,
                 fmt::format("largest shift --adjust-skew applies (default {})",
                             FormatDuration(kMaxSkewAdjustmentNs)));
  app.add_option("--diff", a.diff,
                 "compare the --id trace with this one: a trace id in the same files, or a file "
                 "(its trace with the same root operation, or --diff-id)");
  app.add_option("--diff-id", a.diff_id, "the trace of the --diff file to compare with");
  a.format.Add(app, /*with_log_format=*/false);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = a.format.Resolve({}); !s.ok()) return Fail("trace", s);
  int64_t max_skew = kMaxSkewAdjustmentNs;
  if (!a.max_skew.empty()) {
    Result<int64_t> d = ParseDuration(a.max_skew);
    if (!d.ok()) return Fail("trace", d.status());
    max_skew = *d;
  }
  if (!a.diff.empty() && a.id.empty())
    return Fail("trace", Status::InvalidArgument("--diff needs --id (the trace to compare)"));

  TraceStyle style;
  style.format = ToTraceFormat(a.format.output);
  style.color = style.format == TraceOutputFormat::kText && UseColor(1);
  style.width = TerminalWidth(1);

  SpanSet set;
  // One trace asked for (and no second one from the same files): read only where it is.
  bool one = !a.id.empty() && (a.diff.empty() || IsFile(a.diff));
  bool all_read = Load(a.inputs, &set, one ? std::string_view(a.id) : std::string_view());
  std::vector<Trace> traces = BuildTraces(&set);
  PrintIssues(set, traces);
  int done = all_read ? 0 : 3;
  if (set.spans.empty() && !all_read) return 3;

  if (a.id.empty()) {
    TraceOverviewOptions o;
    o.adjust_skew = a.adjust_skew;
    o.max_skew_ns = max_skew;
    o.top = kSummaryRows;
    WriteTraceOverview(stdout, set, &traces, o, style);
    return done;
  }
  const Trace* found = FindTrace(traces, a.id);
  if (!found)
    return Fail("trace", Status::NotFound(fmt::format("no trace with id '{}' in the files", a.id)));
  Trace& t = traces[static_cast<size_t>(found - traces.data())];

  if (a.diff.empty()) {
    TraceAnalysis an = AnalyzeTrace(set, &t, a.adjust_skew, max_skew);
    WriteWaterfall(stdout, set, t, an, style);
    if (!an.skew.shifts.empty() && !a.adjust_skew)
      fmt::print(stderr,
                 "inquest trace: {} span{} would move for clock skew; --adjust-skew applies it\n",
                 an.skew.shifts.size(), an.skew.shifts.size() == 1 ? "" : "s");
    return done;
  }

  // --diff: the other trace, from the same files or another one.
  SpanSet other_set;
  std::vector<Trace> other_traces;
  const SpanSet* bset = &set;
  const Trace* b = nullptr;
  if (IsFile(a.diff)) {
    if (!Load({a.diff}, &other_set)) return 3;
    other_traces = BuildTraces(&other_set);
    bset = &other_set;
    if (!a.diff_id.empty()) {
      b = FindTrace(other_traces, a.diff_id);
    } else {
      std::string name = TraceName(set, t);
      for (const Trace& o : other_traces)
        if (TraceName(other_set, o) == name) {
          b = &o;
          break;
        }
      if (!b && !other_traces.empty()) b = &other_traces.front();
    }
  } else {
    b = FindTrace(traces, a.diff);
  }
  if (!b)
    return Fail("trace", Status::NotFound(fmt::format("no trace to compare with in '{}'", a.diff)));
  if (a.adjust_skew) {
    AnalyzeTrace(set, &t, true, max_skew);
    AnalyzeTrace(*bset, const_cast<Trace*>(b), true, max_skew);
  }
  if (TraceName(set, t) != TraceName(*bset, *b))
    fmt::print(stderr, "inquest trace: the traces have different root operations ({} and {})\n",
               TraceName(set, t), TraceName(*bset, *b));
  TraceDiff d = DiffTraces(set, t, *bset, *b);
  WriteTraceDiff(stdout, set, t, *bset, *b, d, style);
  return done;
}

}  // namespace inquest::cli
