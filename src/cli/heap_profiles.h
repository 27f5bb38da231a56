// The profile side of `inquest heap`: pprof heap and CPU profiles and Python tracemalloc
// snapshots, which heap.cc hands over when a file's content is one of them.
#ifndef INQUEST_CLI_HEAP_PROFILES_H_
#define INQUEST_CLI_HEAP_PROFILES_H_

#include <cstddef>
#include <optional>
#include <string>

#include "cli/common.h"

namespace inquest::cli {

struct ProfileFlags {
  std::string diff;    // the earlier profile or snapshot, or empty
  std::string sample;  // pprof sample type; empty: pprof's choice
  std::string by;      // function, line, file (pprof); line, file, traceback (tracemalloc)
  bool sort_by_cum = false;
  bool cumulative = false;  // tracemalloc: count every frame of a traceback
  // Rows at most, 0 for all; unset: pprof's whole table, tracemalloc's default top.
  std::optional<size_t> top;
  double node_fraction = 0.005;  // pprof: nodes whose cum is below this share are dropped
  OutputFormat output = OutputFormat::kText;
  bool svg = false;  // a flame graph instead of the table
};

int RunPprofReport(const std::string& path, const ProfileFlags& f);
int RunTracemallocReport(const std::string& path, const ProfileFlags& f);

}  // namespace inquest::cli

#endif  // INQUEST_CLI_HEAP_PROFILES_H_
