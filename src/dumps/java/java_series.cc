#include "dumps/java/java_series.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "dumps/java/stack_groups.h"

namespace inquest {
namespace {

std::string Identity(const JavaThread& t) { return t.id.empty() ? t.name : t.name + " " + t.id; }

bool SameStack(const JavaThread& a, const JavaThread& b) {
  if (a.state != b.state || a.frames.size() != b.frames.size()) return false;
  for (size_t i = 0; i < a.frames.size(); ++i) {
    if (a.frames[i].text != b.frames[i].text) return false;
  }
  return true;
}

// Blocked on a monitor, parked on a lock another thread holds, or running the application's
// own code. Waiting and sleeping threads in the same frame are normally idle; runnable threads
// in JDK frames (socket reads, selectors) wait for input.
bool CouldBeStuck(const JavaThread& t, bool waits_for_holder) {
  if (t.frames.empty()) return false;
  if (t.state == JavaThreadState::kBlocked || waits_for_holder) return true;
  if (t.state != JavaThreadState::kRunnable) return false;
  return !IsJdkFrame(t.frames.front().text);
}

std::set<std::string> CycleThreads(const JavaThreadDump& d, const LockGraph& g) {
  std::set<std::string> names;
  for (const WaitCycle& c : g.cycles) {
    for (int t : c.threads) names.insert(Identity(d.threads[t]));
  }
  return names;
}

}  // namespace

JavaSeries CompareJavaDumps(const std::vector<const JavaThreadDump*>& dumps,
                            const std::vector<const LockGraph*>& graphs) {
  JavaSeries s;
  s.dumps = dumps.size();
  if (dumps.size() < 2) return s;
  std::vector<std::unordered_map<std::string, int>> index(dumps.size());
  for (size_t k = 0; k < dumps.size(); ++k) {
    const auto& threads = dumps[k]->threads;
    index[k].reserve(threads.size());
    for (size_t i = 0; i < threads.size(); ++i) {
      index[k].try_emplace(Identity(threads[i]), static_cast<int>(i));
    }
  }
  const JavaThreadDump& first = *dumps.front();
  const JavaThreadDump& last = *dumps.back();
  for (size_t i = 0; i < first.threads.size(); ++i) {
    const JavaThread& t = first.threads[i];
    std::string id = Identity(t);
    if (!index.back().contains(id)) s.vanished.push_back(id);
    if (!CouldBeStuck(t, graphs[0]->edge_of[i] >= 0)) continue;
    std::string frame = t.frames.front().text;
    for (const JavaFrame& f : t.frames) {
      if (!IsJdkFrame(f.text)) {
        frame = f.text;  // the application's own frame says more than Unsafe.park
        break;
      }
    }
    StuckThread st{t.name, t.state, std::move(frame), {static_cast<int>(i)}};
    bool same = true;
    for (size_t k = 1; k < dumps.size() && same; ++k) {
      auto it = index[k].find(id);
      same = it != index[k].end() && SameStack(t, dumps[k]->threads[it->second]);
      if (same) st.thread_per_dump.push_back(it->second);
    }
    if (same) s.stuck.push_back(std::move(st));
  }
  for (const JavaThread& t : last.threads) {
    std::string id = Identity(t);
    if (!index.front().contains(id)) s.appeared.push_back(id);
  }
  std::set<std::string> before = CycleThreads(*dumps[0], *graphs[0]);
  for (size_t k = 1; k < dumps.size() && s.deadlock_formed_at < 0; ++k) {
    std::set<std::string> now = CycleThreads(*dumps[k], *graphs[k]);
    for (const std::string& name : now) {
      if (!before.contains(name)) s.forming_threads.push_back(name);
    }
    if (!s.forming_threads.empty()) s.deadlock_formed_at = static_cast<int>(k);
    before = std::move(now);
  }
  return s;
}

}  // namespace inquest
