// From parsed Java thread dumps to a DumpAnalysis: the verdicts (deadlocks from our own
// wait-for graph, a deadlock forming across a series, blocking chains, lock contention, threads
// stuck across dumps) with "path:line" evidence, and the detail in text, Markdown and JSON
// (states summary, who waits for whom, contended locks, identical-stack groups, series).
// Headlines and detail are rendered from one JavaDumpSummary per dump (dump_summary.h), so they
// agree; a dump cut off or a fragment gets a "dump-incomplete" verdict first ("cut off: 3 of 16
// Java threads read"), and the "no-deadlock" verdict is then less sure.
//
//   std::vector<JavaDumpInput> in = ...;   // one per dump, in time order
//   DumpAnalysis a = AnalyzeJavaThreadDumps(in, options);
#ifndef INQUEST_DUMPS_JAVA_THREAD_DUMP_REPORT_H_
#define INQUEST_DUMPS_JAVA_THREAD_DUMP_REPORT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dumps/dump.h"
#include "dumps/java/thread_dump.h"

namespace inquest {

struct JavaDumpInput {
  std::string path;
  JavaThreadDump dump;
  // The text of a 1-based line of `path`, for evidence excerpts; null or empty when unknown.
  // Called only during AnalyzeJavaThreadDumps.
  std::function<std::string_view(uint64_t line)> line_text;
};

// A lock waited for by at least this many threads is a verdict of its own: one or two waiters
// is ordinary traffic on a busy lock, three is a queue forming behind its holder.
inline constexpr size_t kContentionMinWaiters = 3;
// A blocking chain of at least this many threads (two waits in a row) is a verdict: the
// thread at its end holds up every thread before it.
inline constexpr size_t kChainMinThreads = 3;
// Lists in the text and Markdown detail stop here (the JSON holds everything).
inline constexpr size_t kMaxListed = 10;

// `inputs` in time order (a single dump is a series of one). `diagnostics` from parsing are
// carried over. The analysis's path is the first input's; its time the last dump's.
DumpAnalysis AnalyzeJavaThreadDumps(const std::vector<JavaDumpInput>& inputs,
                                    std::vector<std::string> diagnostics,
                                    const DumpOptions& options);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_THREAD_DUMP_REPORT_H_
