#!/usr/bin/env python3
"""Writes the C++ program bench/core_compare.sh dumps: UNITS translation units of templated,
STL-heavy code (large DWARF: every unit instantiates maps, vectors, strings and its own class
templates), a chain of calls across the units with inlined helpers at -O2, and a main that
parks 63 threads at the end of different call chains on a condition variable and then crashes
on a null pointer in the 64th.

    core_bench_gen.py OUTDIR [UNITS]
"""
import os
import sys

out = sys.argv[1]
units = int(sys.argv[2]) if len(sys.argv) > 2 else 24
FUNCS = 40  # functions per unit
os.makedirs(out, exist_ok=True)

common = r"""
#pragma once
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>
namespace bench {
extern std::mutex mu;
extern std::condition_variable cv;
extern bool released;
using Step = long (*)(int depth, long seed);
extern Step steps[];
extern int nsteps;
long park(int depth, long seed);
}
"""
open(os.path.join(out, "bench.h"), "w").write(common)

for u in range(units):
    lines = ['#include "bench.h"', "#include <algorithm>", "#include <numeric>", "namespace bench {",
             f"namespace u{u} {{",
             "template <typename K, typename V> struct Ledger {",
             "  std::map<K, std::vector<V>> rows;",
             "  std::string name;",
             "  void add(const K& k, V v) { rows[k].push_back(v); }",
             "  V total() const { V t{}; for (auto& [k, v] : rows) t += std::accumulate(v.begin(), v.end(), V{}); return t; }",
             "};",
             "static inline long mix(long a, long b) { return (a * 31) ^ (b + 7); }"]
    for f in range(FUNCS):
        lines.append(f"static inline long inner_{f}(long x) {{ Ledger<std::string, long> l; "
                     f"l.name = \"u{u}f{f}\"; l.add(l.name, x); l.add(std::to_string(x), {f}); "
                     f"return mix(l.total(), {f}); }}")
    for f in range(FUNCS):
        lines.append(f"long step_{f}(int depth, long seed) {{")
        lines.append(f"  Ledger<int, double> d; d.add(depth, seed * 0.5);")
        lines.append(f"  long v = inner_{f}(seed) + static_cast<long>(d.total());")
        lines.append(f"  if (depth <= 0) return park(depth, v);")
        lines.append(f"  long r = steps[(seed + {f} + depth) % nsteps](depth - 1, v);")
        lines.append(f"  return r + inner_{(f + 1) % FUNCS}(v);")
        lines.append("}")
    lines.append("}  // namespace")
    lines.append("}  // namespace bench")
    open(os.path.join(out, f"unit{u}.cc"), "w").write("\n".join(lines) + "\n")

decls = "\n".join(f"namespace u{u} {{ long step_{f}(int, long); }}"
                  for u in range(units) for f in range(FUNCS))
table = ",\n".join(f"  u{u}::step_{f}" for u in range(units) for f in range(FUNCS))
main = r"""
#include <cstdio>
#include <cstdlib>
#include <thread>
#include "bench.h"
namespace bench {
@DECLS@
std::mutex mu;
std::condition_variable cv;
bool released = false;
Step steps[] = {
@TABLE@
};
int nsteps = sizeof(steps) / sizeof(steps[0]);
static int parked = 0;
long park(int depth, long seed) {
  std::unique_lock<std::mutex> lock(mu);
  ++parked;
  cv.notify_all();
  cv.wait(lock, [] { return released; });
  return seed + depth;
}
struct Order { long id; long amount; };
__attribute__((noinline)) long settle(Order* order) { return order->amount * 2; }
__attribute__((noinline)) long crash_chain(int depth, long seed) {
  if (depth == 0) {
    Order* order = seed == 42 ? new Order{1, 2} : nullptr;
    return settle(order);
  }
  return crash_chain(depth - 1, seed + 1) + 1;
}
}  // namespace bench

constexpr int kThreads = 63;
constexpr int kDepth = 12;

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([i] { bench::steps[i % 3](kDepth, i % 3); });
  }
  {
    std::unique_lock<std::mutex> lock(bench::mu);
    bench::cv.wait(lock, [] { return bench::parked == kThreads; });
  }
  std::printf("%ld\n", bench::crash_chain(kDepth, 0));
  return 0;
}
""".replace("@DECLS@", decls).replace("@TABLE@", table)
open(os.path.join(out, "main.cc"), "w").write(main)
