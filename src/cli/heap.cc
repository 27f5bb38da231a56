// inquest heap: a Java heap dump (HPROF) read as an object graph: class histogram, dominator
// tree, retained sizes, leak suspects with the path from a GC root, and class growth between
// two dumps.
#include <fmt/format.h>

#include <string>

#include "base/output.h"
#include "cli/command.h"
#include "cli/common.h"
#include "heap/dominators.h"
#include "heap/heap_analysis.h"
#include "heap/heap_diff.h"
#include "heap/heap_graph.h"
#include "heap/heap_output.h"
#include "heap/histogram_pass.h"

namespace inquest::cli {

int RunHeap(int argc, char** argv) {
  CLI::App app{
      "a Java heap dump (HPROF 1.0.1-1.0.3, plain or gzip): class histogram with retained "
      "sizes, the biggest objects, leak suspects with their accumulation point and the path "
      "from a GC root, the threads and their stacks",
      "heap"};
  std::string path, diff;
  FormatFlags format;
  heap::HeapOptions options;
  double threshold_percent = heap::kDefaultSuspectShare * 100;
  app.add_option("FILE", path, "the heap dump (.hprof, .hprof.gz)")->required();
  app.add_option("--diff", diff,
                 "an earlier dump of the same process: show which classes grew since");
  app.add_option("--threshold", threshold_percent,
                 "percent of the live heap an object or class must retain to be a leak suspect")
      ->capture_default_str();
  app.add_option("--top", options.top, "rows of each list")->capture_default_str();
  bool histogram = false;
  app.add_flag("--histogram", histogram,
               "the class histogram alone, in one streaming pass at disk speed (no graph: no "
               "retained sizes, suspects or paths)");
  app.add_flag("--through-weak", options.path_through_weak,
               "let the paths from GC roots pass weak and soft references (left out by default: "
               "they do not keep an object alive)");
  format.Add(app, false);
  AddInputLimitFlags(app);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("heap", s);
  if (threshold_percent <= 0 || threshold_percent > 100 || options.top == 0)
    return Fail("heap", Status::InvalidArgument(
                            "--threshold takes a percent in (0, 100] and --top a positive count"));
  options.suspect_share = threshold_percent / 100;

  if (histogram) {
    if (!diff.empty())
      return Fail("heap", Status::InvalidArgument("--histogram and --diff do not go together"));
    Result<heap::HeapReport> h = heap::HistogramOnly(path);
    if (!h.ok()) return Fail("heap", h.status());
    if (format.output == OutputFormat::kJson)
      Emit(heap::HeapReportJson(*h));
    else if (format.output == OutputFormat::kMd)
      fmt::print("{}", heap::HeapReportMarkdown(*h));
    else
      fmt::print("{}\n{}", path, heap::HeapReportText(*h));
    return 0;
  }
  Result<heap::HeapGraph> graph = heap::BuildHeapGraph(path);
  if (!graph.ok()) return Fail("heap", graph.status());
  heap::DominatorTree tree = heap::ComputeDominators(*graph);
  heap::HeapReport report = heap::AnalyzeHeap(*graph, tree, options);
  report.path = path;
  if (!diff.empty()) {
    Result<heap::HeapGraph> before = heap::BuildHeapGraph(diff);
    if (!before.ok()) return Fail("heap", before.status());
    heap::HeapReport old = heap::AnalyzeHeap(*before, heap::ComputeDominators(*before), options);
    auto deltas = heap::DiffHistograms(old.histogram, report.histogram);
    if (format.output == OutputFormat::kJson) {
      Emit(heap::HeapDiffJson(deltas));
    } else {
      fmt::print("{} -> {}\n", diff, path);
      fmt::print("{}", heap::HeapDiffText(deltas, options.top));
    }
    return 0;
  }
  switch (format.output) {
    case OutputFormat::kJson:
      Emit(heap::HeapReportJson(report));
      break;
    case OutputFormat::kMd:
      fmt::print("{}", heap::HeapReportMarkdown(report));
      break;
    default:
      fmt::print("{}\n{}", path, heap::HeapReportText(report));
  }
  return 0;
}

}  // namespace inquest::cli
