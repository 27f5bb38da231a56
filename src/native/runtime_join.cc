#include "native/runtime_join.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

namespace inquest {

void JoinRuntimeFrames(CoreReport* report, std::string_view eval_function) {
  // Only CPython runs its frames inside a native interpreter loop; a Go view has none to join.
  if (report->runtime.runtime != "CPython") return;
  std::unordered_map<int, const CoreThread*> by_tid;
  for (const CoreThread& t : report->threads) by_tid.emplace(t.tid, &t);
  size_t unplaced_threads = 0;
  for (RuntimeThread& rt : report->runtime.threads) {
    auto it = by_tid.find(rt.lwp);
    if (rt.lwp == 0 || it == by_tid.end() || rt.frames.empty()) continue;
    std::vector<int> loops;  // the loop's native frames, innermost first
    const std::vector<CoreFrame>& frames = it->second->frames;
    for (size_t i = 0; i < frames.size(); ++i)
      if (!frames[i].inlined && frames[i].function == eval_function)
        loops.push_back(static_cast<int>(i));
    size_t run = 0;
    for (RuntimeFrame& f : rt.frames) {
      f.native_frame = run < loops.size() ? loops[run] : -1;
      if (f.entry) ++run;
    }
    if (rt.frames.back().native_frame < 0) ++unplaced_threads;
  }
  if (unplaced_threads > 0)
    report->runtime.problems.push_back(fmt::format(
        "{} threads have Python frames beyond the {} frames of their native stacks (a native "
        "stack cut short, or the loop's frames without symbols): those are shown apart",
        unplaced_threads, eval_function));
}

}  // namespace inquest
