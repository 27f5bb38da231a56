#include "native/runtime_join.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

namespace inquest {
namespace {

// Native functions a thread blocks in (its innermost frames, prefixes): waiting, not running.
constexpr std::string_view kBlockingCalls[] = {"__futex_abstimed_wait",
                                               "futex_wait",
                                               "__lll_lock_wait",
                                               "pthread_cond_wait",
                                               "pthread_cond_timedwait",
                                               "__pthread_cond_wait",
                                               "sem_wait",
                                               "__new_sem_wait",
                                               "do_futex_wait",
                                               "clock_nanosleep",
                                               "__clock_nanosleep",
                                               "nanosleep",
                                               "poll",
                                               "__poll",
                                               "ppoll",
                                               "select",
                                               "__select",
                                               "pselect",
                                               "epoll_wait",
                                               "epoll_pwait",
                                               "accept",
                                               "__libc_accept",
                                               "recv",
                                               "__libc_recv",
                                               "recvfrom",
                                               "read",
                                               "__libc_read",
                                               "__read",
                                               "wait4",
                                               "waitpid",
                                               "sigwait",
                                               "pause",
                                               "__GI___poll",
                                               "__GI_epoll_wait"};

// "idle", "active" or "" (unknown) from the innermost named native frames of `t`.
std::string_view Activity(const CoreThread& t) {
  for (size_t i = 0; i < t.frames.size() && i < 4; ++i)
    for (std::string_view b : kBlockingCalls)
      if (t.frames[i].function.starts_with(b)) return "idle";
  return t.frames.empty() ? "" : "active";
}

}  // namespace

void JoinRuntimeFrames(CoreReport* report, std::string_view eval_function) {
  std::unordered_map<int, const CoreThread*> by_tid;
  std::unordered_map<uint64_t, int> by_thread_pointer;
  for (const CoreThread& t : report->threads) {
    by_tid.emplace(t.tid, &t);
    if (t.regs[kRegFsBase] != 0) by_thread_pointer.emplace(t.regs[kRegFsBase], t.tid);
  }
  for (RuntimeThread& rt : report->runtime.threads) {
    // A runtime that does not keep the LWP (CPython before 3.11) keeps the pthread id: the
    // native thread whose thread pointer it is.
    if (rt.lwp == 0 && rt.id != 0 && report->runtime.runtime == "CPython")
      if (auto tp = by_thread_pointer.find(rt.id); tp != by_thread_pointer.end())
        rt.lwp = tp->second;
    auto it = by_tid.find(rt.lwp);
    if (rt.lwp != 0 && it != by_tid.end()) rt.activity = std::string(Activity(*it->second));
  }
  // Only CPython runs its frames inside a native interpreter loop; Go and Java views have none
  // to join.
  if (report->runtime.runtime != "CPython") return;
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
