// Read throughput of an inferred layout against the registered format of the same family, on
// the same bytes: a Loghub sample (INQUEST_BENCH_LOG, default the HDFS one in the shared
// fixtures) repeated to kInputBytes in memory. The registered formats are the anchor: inference
// costs a generic walk over fields and a pattern-driven time parser per line.
//
//   INQUEST_BENCH_LOG=../shared/fixtures/logs/loghub/Hadoop_2k.log \
//     build/bench/layout_parse_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "logs/layout.h"
#include "logs/log_reader.h"
#include "logs/registry.h"

namespace inquest {
namespace {

// Bytes of log per benchmark input.
constexpr size_t kInputBytes = 64 << 20;

const std::string& Input() {
  static const std::string data = [] {
    const char* env = std::getenv("INQUEST_BENCH_LOG");
    std::string path = env ? env : "../shared/fixtures/logs/loghub/HDFS_2k.log";
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string one = ss.str(), out;
    if (one.empty()) return out;
    if (one.back() != '\n') one += '\n';
    while (out.size() < kInputBytes) out += one;
    return out;
  }();
  return data;
}

void Run(benchmark::State& state, const LogFormat* format) {
  const std::string& data = Input();
  if (data.empty() || !format) {
    state.SkipWithError("no input log (set INQUEST_BENCH_LOG) or no format");
    return;
  }
  for (auto _ : state) {
    Arena arena;
    ParseContext ctx;
    ctx.arena = &arena;
    ctx.time.default_year = 2005;
    IssueLog issues("bench");
    LogReader reader(data, *format, ctx, 0, &issues);
    Event ev;
    uint64_t n = 0;
    while (reader.Next(&ev)) n += static_cast<uint64_t>(ev.level);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

// The format detection picks with every built-in format registered.
void BM_RegisteredFormat(benchmark::State& state) {
  static const FormatRegistry registry;
  ParseContext ctx;
  Arena arena;
  ctx.arena = &arena;
  const LogFormat* f = registry.Detect(Input(), ctx).format;
  if (f) state.SetLabel(std::string(f->name()));
  Run(state, f);
}
BENCHMARK(BM_RegisteredFormat)->Unit(benchmark::kMillisecond);

// The layout inferred from the first lines.
void BM_InferredLayout(benchmark::State& state) {
  TimeContext tc;
  tc.default_year = 2005;
  Result<InferredLayout> layout = InferLayout(HeadLines(Input(), kProbeLines), tc);
  if (!layout.ok()) {
    state.SkipWithError(layout.status().message().c_str());
    return;
  }
  state.SetLabel(layout->Describe());
  std::unique_ptr<LogFormat> f = NewInferredFormat(*std::move(layout));
  Run(state, f.get());
}
BENCHMARK(BM_InferredLayout)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest
BENCHMARK_MAIN();
