// inquest heap: what a process's memory held. A Java heap dump (HPROF) read as an object graph:
// class histogram, dominator tree, retained sizes, leak suspects with the path from a GC root,
// and class growth between two dumps. pprof profiles and tracemalloc snapshots, told apart by
// content, go to heap_profiles.cc.
#include <fmt/format.h>

#include <string>

#include "base/decompress.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/heap_profiles.h"
#include "heap/dominators.h"
#include "heap/heap_analysis.h"
#include "heap/heap_diff.h"
#include "heap/heap_graph.h"
#include "heap/heap_output.h"
#include "heap/histogram_pass.h"
#include "heap/hprof_reader.h"
#include "profile/profile_read.h"
#include "profile/tracemalloc_snapshot.h"

namespace inquest::cli {

namespace {

enum class HeapInput { kHprof, kPprof, kTracemalloc };

// What `path` holds, by its first (decompressed) bytes.
Result<HeapInput> SniffHeapInput(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, ByteStream::Open(path));
  std::string head(64 << 10, '\0');
  size_t got = 0;
  while (got < head.size()) {
    INQ_ASSIGN_OR_RETURN(size_t n, in->Read(head.data() + got, head.size() - got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  if (head.empty()) return Status::BadInput("the file is empty", SourceLocation{path});
  if (heap::LooksLikeHprof(head)) return HeapInput::kHprof;
  if (profile::LooksLikeTracemallocSnapshot(head)) return HeapInput::kTracemalloc;
  if (profile::LooksLikeProfile(head)) return HeapInput::kPprof;
  return Status::BadInput(
      "not an HPROF heap dump, a pprof profile (profile.proto or a legacy heap profile) or a "
      "Python tracemalloc snapshot",
      SourceLocation{path});
}

int RunHprof(const std::string& path, const std::string& diff, bool histogram,
             const FormatFlags& format, const heap::HeapOptions& options);

}  // namespace

int RunHeap(int argc, char** argv) {
  CLI::App app{
      "what a process's memory held, read from a Java heap dump (HPROF 1.0.1-1.0.3: class "
      "histogram with retained sizes, leak suspects with the path from a GC root, threads), a "
      "pprof heap or CPU profile (Go's runtime/pprof, legacy text heap profiles: the table of "
      "`go tool pprof -top`, flame graphs), or a Python tracemalloc snapshot (its statistics and "
      "compare_to); the kind is told by content",
      "heap"};
  std::string path;
  FormatFlags format;
  heap::HeapOptions options;
  ProfileFlags profile;
  double threshold_percent = heap::kDefaultSuspectShare * 100;
  app.add_option("FILE", path,
                 "the heap dump (.hprof), profile (.pb.gz, legacy text) or snapshot (.pickle); "
                 "plain, gzip or zstd")
      ->required();
  app.add_option("--diff", profile.diff,
                 "an earlier dump, profile or snapshot of the same process: what grew since");
  app.add_option("--threshold", threshold_percent,
                 "heap dumps: percent of the live heap an object or class must retain to be a "
                 "leak suspect")
      ->capture_default_str();
  app.add_option("--top", options.top,
                 "rows of each list (profiles: all of pprof's table by default, 0 for all rows)")
      ->capture_default_str();
  bool histogram = false;
  app.add_flag("--histogram", histogram,
               "heap dumps: the class histogram alone, in one streaming pass at disk speed (no "
               "graph: no retained sizes, suspects or paths)");
  app.add_flag("--through-weak", options.path_through_weak,
               "heap dumps: let the paths from GC roots pass weak and soft references (left out "
               "by default: they do not keep an object alive)");
  app.add_option("--sample", profile.sample,
                 "pprof: the sample type to show, by name or index (default: the profile's "
                 "default, else its last type, as pprof picks: inuse_space for a Go heap)");
  app.add_option("--by", profile.by,
                 "pprof: function (default), line or file; tracemalloc: line (default), file or "
                 "traceback");
  std::string sort = "flat";
  app.add_option("--sort", sort, "pprof: order the table by flat or cum")->capture_default_str();
  app.add_option("--node-fraction", profile.node_fraction,
                 "pprof: leave out nodes whose cum is below this share of the total, as pprof's "
                 "-nodefraction (0 keeps every node)")
      ->capture_default_str();
  app.add_flag("--cumulative", profile.cumulative,
               "tracemalloc: count a block at every frame of its traceback, not only the most "
               "recent");
  app.add_option("--format", format.format,
                 "output format: text, json, md, or svg (a flame graph of a profile or snapshot)");
  AddInputLimitFlags(app);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  profile.svg = ToLower(format.format) == "svg";
  if (profile.svg) format.format = "text";
  if (Status s = format.Resolve({}); !s.ok()) return Fail("heap", s);
  if (threshold_percent <= 0 || threshold_percent > 100)
    return Fail("heap", Status::InvalidArgument("--threshold takes a percent in (0, 100]"));
  if (sort != "flat" && sort != "cum")
    return Fail("heap", Status::InvalidArgument("--sort takes flat or cum"));
  options.suspect_share = threshold_percent / 100;
  profile.sort_by_cum = sort == "cum";
  if (profile.node_fraction < 0 || profile.node_fraction >= 1)
    return Fail("heap", Status::InvalidArgument("--node-fraction takes a share in [0, 1)"));
  // Profiles show pprof's whole table (or tracemalloc's default top) unless --top is given.
  if (app.count("--top")) profile.top = options.top;
  profile.output = format.output;

  Result<HeapInput> kind = SniffHeapInput(path);
  if (!kind.ok()) return Fail("heap", kind.status());
  switch (*kind) {
    case HeapInput::kPprof:
      if (histogram)
        return Fail("heap", Status::InvalidArgument("--histogram is for HPROF heap dumps"));
      return RunPprofReport(path, profile);
    case HeapInput::kTracemalloc:
      if (histogram)
        return Fail("heap", Status::InvalidArgument("--histogram is for HPROF heap dumps"));
      return RunTracemallocReport(path, profile);
    case HeapInput::kHprof:
      break;
  }
  if (profile.svg)
    return Fail("heap", Status::InvalidArgument(
                            "--format svg draws profiles and snapshots, not HPROF heap dumps"));
  if (options.top == 0)
    return Fail("heap", Status::InvalidArgument("--top takes a positive count for a heap dump"));
  if (!profile.sample.empty() || !profile.by.empty() || profile.cumulative || sort != "flat")
    return Fail("heap", Status::InvalidArgument(
                            "--sample, --by, --sort and --cumulative are for profiles and "
                            "snapshots, not HPROF heap dumps"));
  return RunHprof(path, profile.diff, histogram, format, options);
}

namespace {

int RunHprof(const std::string& path, const std::string& diff, bool histogram,
             const FormatFlags& format, const heap::HeapOptions& options) {
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

}  // namespace

}  // namespace inquest::cli
