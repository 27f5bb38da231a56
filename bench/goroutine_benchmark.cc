// Reading and grouping a Go goroutine dump: ReadGoDump (parse + group by hashing) over a file of
// about a million goroutines. bench/goroutine_compare.sh runs it beside DataDog's gostackparse
// on the same bytes.
//
//   INQUEST_GOROUTINE_DUMP=million.txt ./goroutine_benchmark
// Without the variable, a dump of 200,000 goroutines in five stack shapes is built in memory.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "base/mapped_file.h"
#include "dumps/go/go_dump.h"

namespace inquest {
namespace {

// Goroutines in the in-memory dump: enough that a run takes well over the timer's resolution.
constexpr int kSyntheticGoroutines = 200000;

std::string Synthetic() {
  std::string out;
  for (int i = 0; i < kSyntheticGoroutines; ++i) {
    int shape = i % 5;
    out += fmt::format("goroutine {} [{}, {} minutes]:\n", i + 1,
                       shape < 3 ? "chan receive" : "semacquire", i % 90);
    out +=
        "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/lib/go/src/runtime/proc.go:363 "
        "+0xd6\n";
    out += fmt::format(
        "main.handler{}({{0x4b2f40, 0x{:x}}}, 0xc0000{:x}?)\n\t/srv/app/h.go:{} +0x2a\n", shape, i,
        i, 10 + shape);
    out += "created by main.serve in goroutine 1\n\t/srv/app/main.go:40 +0x45\n\n";
  }
  return out;
}

void BM_ReadGoDump(benchmark::State& state) {
  const char* path = std::getenv("INQUEST_GOROUTINE_DUMP");
  std::string synthetic;
  std::string_view bytes;
  Result<MappedFile> file = Status::NotFound("");
  if (path != nullptr) {
    file = MappedFile::Open(path);
    if (!file.ok()) {
      state.SkipWithError(file.status().ToString().c_str());
      return;
    }
    bytes = file->data();
  } else {
    synthetic = Synthetic();
    bytes = synthetic;
  }
  uint64_t goroutines = 0, groups = 0;
  for (auto _ : state) {
    GoDump dump = ReadGoDump(bytes, static_cast<StackSimilarity>(state.range(0)));
    goroutines = dump.goroutines;
    groups = dump.groups.size();
    benchmark::DoNotOptimize(dump.groups.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["goroutines"] = static_cast<double>(goroutines);
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["goroutines/s"] = benchmark::Counter(
      static_cast<double>(goroutines), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReadGoDump)
    ->Arg(static_cast<int>(StackSimilarity::kExact))
    ->Arg(static_cast<int>(StackSimilarity::kIgnoreWaitTime))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
