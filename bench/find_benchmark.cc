// FindSubstring (base/find.h) against glibc's memmem and std::boyer_moore_horspool_searcher on
// the same log text, searching for a request id that is not there (a full scan).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

#include "base/find.h"

namespace inquest {
namespace {

// Bytes of generated JSON-lines log per benchmark input.
constexpr size_t kInputBytes = 64 << 20;

const std::string& Log() {
  static const std::string log = [] {
    std::string s;
    for (int i = 0; s.size() < kInputBytes; ++i)
      s += "{\"ts\":\"2026-05-29T14:11:" + std::to_string(10 + i % 50) +
           ".114Z\",\"level\":\"info\",\"service\":\"checkout\",\"msg\":\"request.start\","
           "\"request_id\":\"" +
           std::to_string(100000 + i % 800000) + "\",\"endpoint\":\"/cart/checkout\"}\n";
    return s;
  }();
  return log;
}

constexpr std::string_view kNeedle = "640a40";

void BM_FindSubstring(benchmark::State& state) {
  const std::string& log = Log();
  for (auto _ : state) benchmark::DoNotOptimize(FindSubstring(log, kNeedle));
  state.SetBytesProcessed(state.iterations() * log.size());
}
BENCHMARK(BM_FindSubstring)->Unit(benchmark::kMillisecond);

void BM_Memmem(benchmark::State& state) {
  const std::string& log = Log();
  for (auto _ : state)
    benchmark::DoNotOptimize(memmem(log.data(), log.size(), kNeedle.data(), kNeedle.size()));
  state.SetBytesProcessed(state.iterations() * log.size());
}
BENCHMARK(BM_Memmem)->Unit(benchmark::kMillisecond);

void BM_BoyerMooreHorspool(benchmark::State& state) {
  const std::string& log = Log();
  std::boyer_moore_horspool_searcher searcher(kNeedle.begin(), kNeedle.end());
  for (auto _ : state) benchmark::DoNotOptimize(std::search(log.begin(), log.end(), searcher));
  state.SetBytesProcessed(state.iterations() * log.size());
}
BENCHMARK(BM_BoyerMooreHorspool)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
