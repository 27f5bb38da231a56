// Line parse throughput of the structured formats (JSON lines with simdjson On Demand, logfmt)
// through LogReader, over an in-memory buffer of realistic lines: bytes per second is the
// figure to compare with the issue's 1 GB/s on two cores (one core here).
#include <benchmark/benchmark.h>

#include <string>

#include "logs/formats.h"
#include "logs/log_reader.h"

namespace inquest {
namespace {

// Bytes of generated log per benchmark input.
constexpr size_t kInputBytes = 32 << 20;

std::string JsonLines() {
  std::string out;
  for (int i = 0; out.size() < kInputBytes; ++i) {
    out += "{\"ts\":\"2026-05-29T14:11:";
    out += std::to_string(10 + i % 50);
    out += ".114Z\",\"level\":\"";
    out += i % 17 == 0 ? "error" : "info";
    out += "\",\"service\":\"checkout\",\"msg\":\"GET /api/cart served\",\"request_id\":\"req-";
    out += std::to_string(100000 + i);
    out += "\",\"http\":{\"status\":200,\"method\":\"GET\"},\"duration_ms\":";
    out += std::to_string(i % 900);
    out += ",\"cache\":\"hit\",\"user\":\"u-42\"}\n";
  }
  return out;
}

std::string LogfmtLines() {
  std::string out;
  for (int i = 0; out.size() < kInputBytes; ++i) {
    out += "ts=2026-05-29T14:11:";
    out += std::to_string(10 + i % 50);
    out += ".114Z level=";
    out += i % 17 == 0 ? "error" : "info";
    out += " service=pricing msg=\"quote computed for cart\" request_id=req-";
    out += std::to_string(100000 + i);
    out += " status=200 duration_ms=";
    out += std::to_string(i % 900);
    out += " pool=db-main waiters=0\n";
  }
  return out;
}

void Run(benchmark::State& state, const LogFormat& format, const std::string& data) {
  for (auto _ : state) {
    Arena arena;
    ParseContext ctx;
    ctx.arena = &arena;
    IssueLog issues("bench");
    LogReader reader(data, format, ctx, 0, &issues);
    Event ev;
    uint64_t n = 0;
    while (reader.Next(&ev)) n += ev.attrs.size();
    benchmark::DoNotOptimize(n);
    if (issues.count() != 0) state.SkipWithError("malformed lines in generated input");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_JsonLines(benchmark::State& state) {
  static const std::string data = JsonLines();
  static const auto format = NewJsonLinesFormat();
  Run(state, *format, data);
}
BENCHMARK(BM_JsonLines)->Unit(benchmark::kMillisecond);

void BM_Logfmt(benchmark::State& state) {
  static const std::string data = LogfmtLines();
  static const auto format = NewLogfmtFormat();
  Run(state, *format, data);
}
BENCHMARK(BM_Logfmt)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
