#include "dumps/go/go_series.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "dumps/go/go_dump.h"

namespace inquest {
namespace {

// Dumps of one process taken different ways print different frames for the same goroutine:
// SIGQUIT shows the runtime's own frames (runtime.gopark, runtime.goexit) and `go` statement
// wrappers that pprof's debug=2 hides. So a stack is known across dumps by its state, the
// first frame of the program's own code and the site that created it.
std::string Signature(const Goroutine& g) {
  std::string key(g.state);
  if (const GoFrame* own = FirstOwnFrame(g)) key += fmt::format("|{}:{}", own->func, own->line);
  if (g.has_created_by) key += fmt::format("|by {}", g.created_by.func);
  return key;
}

struct Track {
  std::vector<uint64_t> counts;  // per dump
  std::string title_tail;        // "blocked in chan receive under main.leak, created by main.main"
  std::string path;
  uint64_t line = 0;
};

}  // namespace

std::vector<Finding> GoSeriesVerdicts(std::vector<GoSeriesInput> inputs) {
  // Time order when every dump has a time; otherwise the order given (one unknown time would
  // make the comparison meaningless).
  bool all_timed = std::all_of(inputs.begin(), inputs.end(),
                               [](const GoSeriesInput& in) { return in.time != kNoTime; });
  if (all_timed)
    std::stable_sort(
        inputs.begin(), inputs.end(),
        [](const GoSeriesInput& a, const GoSeriesInput& b) { return a.time < b.time; });
  std::map<std::string, Track> tracks;
  for (size_t d = 0; d < inputs.size(); ++d) {
    GoDump dump = ReadGoDump(inputs[d].bytes, StackSimilarity::kIgnoreWaitTime);
    for (const GoroutineGroup& g : dump.groups) {
      Track& t = tracks[Signature(g.sample)];
      if (t.counts.empty()) {
        t.counts.assign(inputs.size(), 0);
        const GoFrame* own = FirstOwnFrame(g.sample);
        t.title_tail = fmt::format("in {}", g.sample.state);
        if (own) t.title_tail += fmt::format(" under {}", own->func);
        if (g.sample.has_created_by)
          t.title_tail += fmt::format(", created by {}", g.sample.created_by.func);
      }
      t.counts[d] += g.count;
      t.path = inputs[d].path;
      t.line = g.sample.header_line;
    }
  }
  std::vector<Finding> out;
  for (const auto& [key, t] : tracks) {
    bool growing = t.counts.back() >= kSeriesMinFinalCount;
    for (size_t i = 1; i < t.counts.size() && growing; ++i) growing = t.counts[i] > t.counts[i - 1];
    if (!growing) continue;
    std::string steps;
    for (uint64_t c : t.counts) steps += (steps.empty() ? "" : " -> ") + FormatCount(c);
    Finding f;
    f.kind = "goroutine-leak";
    f.severity = Severity::kError;
    f.confidence = 0.85;
    f.title = fmt::format("growing across {} dumps: {} goroutines {}", inputs.size(), steps,
                          t.title_tail);
    f.explanation =
        "The same stack holds more goroutines in every later dump: they are created faster "
        "than they finish. A steady pool stays flat; a leak only grows.";
    f.time = inputs.back().time;
    f.evidence.push_back({fmt::format("{}:{}", t.path, t.line), t.title_tail});
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest
