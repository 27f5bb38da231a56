// A Java thread dump of 10,000 threads parsed and analysed with deadlock detection (the goal:
// under 50 ms). The dump is generated here in jstack's JDK 21 form: pool workers parked on a
// condition, request threads blocked in queues behind a few lock holders (j.u.c. and monitor
// locks), RUNNABLE threads in socket reads, and deadlock cycles of two and three threads.
//
//   java_dump_benchmark                         # Google Benchmark figures
//   java_dump_benchmark --write=FILE [--threads=N]   # writes the dump and exits (for
//                                                     # bench/java_dump_compare.sh)
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "dumps/java/java_readers.h"
#include "dumps/java/lock_graph.h"
#include "dumps/java/stack_groups.h"
#include "dumps/java/thread_dump_parser.h"

namespace inquest {
namespace {

constexpr int kThreads = 10'000;
// One thread in kCycleEvery starts a deadlock cycle; every kHolderEvery-th thread holds a lock
// that the threads after it queue behind.
constexpr int kCycleEvery = 500;
constexpr int kHolderEvery = 50;

std::string Header(int i, std::string_view name, std::string_view what) {
  return fmt::format(
      "\"{}\" #{} [{}] daemon prio=5 os_prio=0 cpu={}.{:02}ms elapsed={}.{:02}s "
      "allocated={}K defined_classes={} tid=0x00007f{:010x} nid={} {}  [0x00007f{:010x}]\n",
      name, i + 20, 40000 + i, i % 900, i % 97, 1000 + i % 300, i % 89, i % 4096, i % 31,
      0x1000 * i, 40000 + i, what, 0x2000 * i);
}

void Frames(std::string* out, std::string_view top, int depth, int variant) {
  *out += fmt::format("\tat {}\n", top);
  for (int d = 1; d < depth; ++d) {
    *out += fmt::format("\tat com.acme.service.Layer{}.handle{}(Layer{}.java:{})\n", d, variant % 7,
                        d, 100 + d * 3 + variant % 5);
  }
  *out += "\tat java.lang.Thread.run(java.base@21/Thread.java:1583)\n";
}

std::string GenerateDump(int threads) {
  std::string s;
  s.reserve(static_cast<size_t>(threads) * 2300);
  s += "2026-05-29 14:14:02\nFull thread dump OpenJDK 64-Bit Server VM (21.0.2+13-LTS mixed "
       "mode, sharing):\n\n";
  for (int i = 0; i < threads; ++i) {
    int kind = i % 10;
    if (i % kCycleEvery == 0 && i + 2 < threads) {
      // A cycle of three monitors: i -> i+1 -> i+2 -> i.
      for (int k = 0; k < 3; ++k) {
        int t = i + k;
        s += Header(t, fmt::format("cycle-{}-{}", i, k), "waiting for monitor entry");
        s += "   java.lang.Thread.State: BLOCKED (on object monitor)\n";
        s += fmt::format("\tat com.acme.ledger.Book.post(Book.java:{})\n", 40 + k);
        s += fmt::format("\t- waiting to lock <0x00000007{:08x}> (a com.acme.ledger.Book)\n",
                         0x100000 + (i + (k + 1) % 3));
        s += fmt::format("\t- locked <0x00000007{:08x}> (a com.acme.ledger.Book)\n", 0x100000 + t);
        Frames(&s, "com.acme.ledger.Book.transfer(Book.java:80)", 12, t);
        s += "\n   Locked ownable synchronizers:\n\t- None\n\n";
      }
      i += 2;
      continue;
    }
    int holder = i - i % kHolderEvery;
    if (i % kHolderEvery == 0) {
      s += Header(i, fmt::format("db-writer-{}", i), "runnable");
      s += "   java.lang.Thread.State: RUNNABLE\n";
      Frames(&s, "java.net.SocketInputStream.socketRead0(java.base@21/Native Method)", 20, i);
      s += "\n   Locked ownable synchronizers:\n";
      s += fmt::format(
          "\t- <0x00000006{:08x}> (a java.util.concurrent.locks.ReentrantLock$"
          "NonfairSync)\n\n",
          holder);
    } else if (kind < 4) {
      s += Header(i, fmt::format("http-nio-8080-exec-{}", i), "waiting on condition");
      s += "   java.lang.Thread.State: WAITING (parking)\n";
      s += "\tat jdk.internal.misc.Unsafe.park(java.base@21/Native Method)\n";
      s += fmt::format(
          "\t- parking to wait for  <0x00000006{:08x}> (a java.util.concurrent.locks."
          "ReentrantLock$NonfairSync)\n",
          holder);
      Frames(&s, "java.util.concurrent.locks.LockSupport.park(java.base@21/LockSupport.java:371)",
             24, i);
      s += "\n   Locked ownable synchronizers:\n\t- None\n\n";
    } else if (kind < 8) {
      s += Header(i, fmt::format("pool-1-thread-{}", i), "waiting on condition");
      s += "   java.lang.Thread.State: WAITING (parking)\n";
      s += "\tat jdk.internal.misc.Unsafe.park(java.base@21/Native Method)\n";
      s += "\t- parking to wait for  <0x0000000500001000> (a java.util.concurrent.locks."
           "AbstractQueuedSynchronizer$ConditionObject)\n";
      Frames(&s,
             "java.util.concurrent.LinkedBlockingQueue.take(java.base@21/"
             "LinkedBlockingQueue.java:435)",
             10, 0);
      s += "\n   Locked ownable synchronizers:\n\t- None\n\n";
    } else {
      s += Header(i, fmt::format("reader-{}", i), "runnable");
      s += "   java.lang.Thread.State: RUNNABLE\n";
      Frames(&s, "sun.nio.ch.EPoll.wait(java.base@21/Native Method)", 16, i % 3);
      s += "\n   Locked ownable synchronizers:\n\t- None\n\n";
    }
  }
  s += "JNI global refs: 120, weak refs: 0\n";
  return s;
}

const std::string& Dump() {
  static const std::string d = GenerateDump(kThreads);
  return d;
}

// Parse only.
void BM_ParseJavaDump(benchmark::State& state) {
  const std::string& d = Dump();
  for (auto _ : state) {
    std::vector<std::string> diags;
    auto dumps = ParseJavaThreadDumps(d, &diags);
    benchmark::DoNotOptimize(dumps);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * d.size()));
}
BENCHMARK(BM_ParseJavaDump)->Unit(benchmark::kMillisecond);

// Parse, wait-for graph with deadlock cycles, chains and contention, stack groups.
void BM_ParseAndDetectDeadlocks(benchmark::State& state) {
  const std::string& d = Dump();
  size_t cycles = 0;
  for (auto _ : state) {
    std::vector<std::string> diags;
    auto dumps = ParseJavaThreadDumps(d, &diags);
    LockGraph g = BuildLockGraph(dumps[0]);
    auto groups = GroupJavaStacks(dumps[0], StackSimilarity::kIgnoreWaitTime);
    cycles = g.cycles.size();
    benchmark::DoNotOptimize(groups);
  }
  state.counters["cycles"] = static_cast<double>(cycles);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * d.size()));
}
BENCHMARK(BM_ParseAndDetectDeadlocks)->Unit(benchmark::kMillisecond);

// The whole reader as `inquest dump` runs it: verdicts, text, Markdown and JSON rendered.
void BM_JavaReaderAnalyze(benchmark::State& state) {
  const std::string& d = Dump();
  DumpReader reader = JavaThreadDumpReader();
  DumpOptions options;
  options.bundle_time = 0;
  for (auto _ : state) {
    Result<DumpAnalysis> a = reader.analyze("bench.txt", d, options);
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * d.size()));
}
BENCHMARK(BM_JavaReaderAnalyze)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest

int main(int argc, char** argv) {
  const char* write = nullptr;
  int threads = inquest::kThreads;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--write=", 8) == 0) write = argv[i] + 8;
    if (std::strncmp(argv[i], "--threads=", 10) == 0) threads = std::atoi(argv[i] + 10);
  }
  if (write) {
    std::string d = inquest::GenerateDump(threads);
    FILE* f = std::fopen(write, "wb");
    if (!f || std::fwrite(d.data(), 1, d.size(), f) != d.size() || std::fclose(f) != 0) {
      std::perror(write);
      return 1;
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
