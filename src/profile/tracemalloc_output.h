// tracemalloc statistics and comparisons as text (for the terminal), Markdown (for a
// post-mortem) and JSON (for tools), and as a one-line headline for a timeline finding.
//
//   INQ_ASSIGN_OR_RETURN(TracemallocStats d, CompareTo(now, old, TraceGroup::kLineno, false));
//   Emit(TracemallocText(d, 10));   // "Traced memory grew by 48.2 MiB ..., 91% of it at ..."
//
// The JSON document (one object):
//   format "tracemalloc"; kind "statistics" or "comparison"; snapshot (its file); group_by
//   ("lineno", "filename", "traceback"); cumulative; traceback_limit; traces; total_size
//   (bytes); in a comparison also old_snapshot, old_traces, old_total_size, total_size_diff;
//   groups (rows before the --top cut); headline; rows, in tracemalloc's order, each with
//   size, count, average (size / count, absent when count is 0), share (size / total_size),
//   in a comparison size_diff and count_diff, and frames: [{filename, lineno}], most recent
//   first (one frame unless grouped by traceback; lineno 0 when grouped by file).
#ifndef INQUEST_PROFILE_TRACEMALLOC_OUTPUT_H_
#define INQUEST_PROFILE_TRACEMALLOC_OUTPUT_H_

#include <cstddef>
#include <string>

#include "base/output.h"
#include "profile/tracemalloc_stats.h"

namespace inquest::profile {

// Rows shown when the caller does not say (tracemalloc's documentation prints the top 10).
inline constexpr size_t kDefaultTracemallocTop = 10;

// `top` rows at most; 0 shows them all.
std::string TracemallocText(const TracemallocStats& s, size_t top);
std::string TracemallocMarkdown(const TracemallocStats& s, size_t top);
Redacted TracemallocJson(const TracemallocStats& s, size_t top);

// One line: the traced total and the largest group, or for a comparison the growth and where
// most of it is ("traced memory grew by 48.2 MiB between a.pickle and b.pickle, 91% of it at
// cache.py:42").
std::string TracemallocHeadline(const TracemallocStats& s);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_TRACEMALLOC_OUTPUT_H_
