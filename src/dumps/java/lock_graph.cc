#include "dumps/java/lock_graph.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

namespace inquest {
namespace {

bool IsWait(LockAction a) {
  return a == LockAction::kWaitingToLock || a == LockAction::kWaitingToRelock ||
         a == LockAction::kParkedOn;
}

}  // namespace

bool IsSynchronizerClass(std::string_view c) {
  return c.starts_with("java.util.concurrent.") || c.find("Sync") != std::string_view::npos;
}

LockGraph BuildLockGraph(const JavaThreadDump& dump) {
  LockGraph g;
  g.dump = &dump;
  const auto& threads = dump.threads;
  const int n = static_cast<int>(threads.size());
  g.edge_of.assign(n, -1);

  // Who holds what. A monitor a thread waits on (Object.wait) or waits to re-enter after it is
  // not held even though its "- locked" line is printed lower in the same stack.
  struct Owner {
    int thread;
    const LockRef* line;
  };
  std::unordered_map<std::string_view, Owner> owners;
  owners.reserve(threads.size());
  std::vector<std::string_view> released;
  for (int t = 0; t < n; ++t) {
    released.clear();
    for (const LockRef& l : threads[t].locks) {
      if (l.action == LockAction::kWaitingOn || l.action == LockAction::kWaitingToRelock) {
        released.push_back(l.address);
      }
    }
    for (const LockRef& l : threads[t].locks) {
      if (l.address.empty()) continue;
      if (l.action != LockAction::kLocked && l.action != LockAction::kOwnsSynchronizer) continue;
      if (std::find(released.begin(), released.end(), l.address) != released.end()) continue;
      owners.try_emplace(l.address, Owner{t, &l});
    }
  }

  // One wait per thread: the first wait line (the top of its stack).
  std::map<std::string_view, size_t> contended_index;
  auto contended = [&](const LockRef& l, int holder, const LockRef* held) -> ContendedLock& {
    auto [it, fresh] = contended_index.try_emplace(l.address, g.contended.size());
    if (fresh) g.contended.push_back({l.address, l.class_name, holder, {}, held});
    return g.contended[it->second];
  };
  for (int t = 0; t < n; ++t) {
    for (const LockRef& l : threads[t].locks) {
      if (!IsWait(l.action) || l.address.empty()) continue;
      auto it = owners.find(l.address);
      if (it == owners.end()) {
        // Parked on a condition or a lock held shared (read locks, semaphores) is not a wait
        // for an owner, and JDK 11+ prints "waiting to re-lock" for threads still inside
        // Object.wait(); a monitor nobody holds while a thread is BLOCKED on it is worth saying.
        if (l.action == LockAction::kWaitingToLock) {
          g.orphan_waits.push_back(&l);
          contended(l, -1, nullptr).waiters.push_back(t);
        }
        break;
      }
      if (it->second.thread == t) break;  // re-entrant: waits for nobody
      g.edge_of[t] = static_cast<int>(g.edges.size());
      g.edges.push_back({t, it->second.thread, &l, it->second.line});
      contended(l, it->second.thread, it->second.line).waiters.push_back(t);
      break;
    }
  }
  auto next = [&](int t) { return g.edge_of[t] < 0 ? -1 : g.edges[g.edge_of[t]].holder; };

  // Cycles: walk each path once; a path that meets itself closes a cycle.
  std::vector<uint8_t> color(n, 0);  // 0 unseen, 1 on the current path, 2 done
  std::vector<uint8_t> in_cycle(n, 0);
  std::vector<int> path;
  for (int s = 0; s < n; ++s) {
    if (color[s] != 0 || g.edge_of[s] < 0) continue;
    path.clear();
    int t = s;
    while (t >= 0 && color[t] == 0) {
      color[t] = 1;
      path.push_back(t);
      t = next(t);
    }
    if (t >= 0 && color[t] == 1) {
      WaitCycle c;
      auto start = std::find(path.begin(), path.end(), t);
      for (auto it = start; it != path.end(); ++it) {
        c.threads.push_back(*it);
        const WaitEdge* e = &g.edges[g.edge_of[*it]];
        c.edges.push_back(e);
        in_cycle[*it] = 1;
        if (e->wait->action == LockAction::kParkedOn || IsSynchronizerClass(e->wait->class_name)) {
          c.through_synchronizer = true;
        }
      }
      g.cycles.push_back(std::move(c));
    }
    for (int p : path) color[p] = 2;
  }

  // Chains start at waiters nobody waits for.
  std::vector<int> waited_for(n, 0);
  for (const WaitEdge& e : g.edges) ++waited_for[e.holder];
  // The graph has out-degree one, so a chain's tail is fixed by its second thread: chains that
  // share it are one chain with several starts, walked once.
  std::unordered_map<int, size_t> by_second;
  for (int s = 0; s < n; ++s) {
    if (g.edge_of[s] < 0 || waited_for[s] > 0 || in_cycle[s]) continue;
    int second = next(s);
    if (auto it = by_second.find(second); it != by_second.end()) {
      if (it->second != SIZE_MAX) ++g.chains[it->second].other_starts;
      continue;
    }
    std::vector<int> chain{s};
    for (int t = second; t >= 0; t = next(t)) {
      chain.push_back(t);
      if (in_cycle[t] || chain.size() > static_cast<size_t>(n)) break;
    }
    if (chain.size() < 3) {
      by_second.emplace(second, SIZE_MAX);  // too short to list
      continue;
    }
    by_second.emplace(second, g.chains.size());
    g.chains.push_back({std::move(chain), 0});
  }
  std::stable_sort(g.chains.begin(), g.chains.end(), [](const WaitChain& a, const WaitChain& b) {
    return a.threads.size() > b.threads.size();
  });
  std::stable_sort(g.contended.begin(), g.contended.end(),
                   [](const ContendedLock& a, const ContendedLock& b) {
                     return a.waiters.size() > b.waiters.size();
                   });
  return g;
}

}  // namespace inquest
