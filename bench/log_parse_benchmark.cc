// Line parse throughput of the structured formats (JSON lines with simdjson On Demand, logfmt)
// through LogReader, over an in-memory buffer of realistic lines: bytes per second is the
// figure to compare with the issue's 1 GB/s on two cores (one core here).
//
// JSON lines also in the shape most services log (bench/service_jsonl_gen.py: numeric status
// and latency_ms), read three ways: LogReader as `rate` reads it (attributes projected to the
// ones rate reads), the same with every attribute, and simdjson alone touching every key and
// value with no roles or attributes (its document stream over windows of lines: the ceiling).
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
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

// Lines as bench/service_jsonl_gen.py writes them (fixed seed), plus simdjson's padding after
// the last one (not counted in the size the benchmarks report).
std::string ServiceJsonLines() {
  static const char* kPaths[] = {"/api/cart", "/api/checkout", "/api/items", "/api/user",
                                 "/healthz"};
  std::string out;
  uint64_t rng = 7;
  auto next = [&rng] {
    return (rng = rng * 6364136223846793005ULL + 1442695040888963407ULL) >> 33;
  };
  int64_t ms = 0;
  while (out.size() < kInputBytes) {
    ms += 1 + next() % 4;
    bool err = next() % 100 == 0;
    char line[320];
    int n = snprintf(line, sizeof(line),
                     "{\"time\":\"2026-05-29T%02lld:%02lld:%02lld.%03lldZ\",\"level\":\"%s\","
                     "\"msg\":\"%s\",\"request_id\":\"%016llx\",\"path\":\"%s\",\"status\":%d,"
                     "\"latency_ms\":%llu,\"pod\":\"api-%llu\"}\n",
                     static_cast<long long>(9 + ms / 3600000 % 24),
                     static_cast<long long>(ms / 60000 % 60),
                     static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000),
                     err ? "error" : "info", err ? "upstream failed" : "request served",
                     static_cast<unsigned long long>(next() << 31 ^ next()), kPaths[next() % 5],
                     err ? 503 : 200, static_cast<unsigned long long>(next() % (err ? 4000 : 180)),
                     static_cast<unsigned long long>(next() % 8));
    out.append(line, static_cast<size_t>(n));
  }
  return out;
}

// Reads `data` (followed by `padding` readable bytes) with LogReader.
void Run(benchmark::State& state, const LogFormat& format, std::string_view data,
         const FieldNames* fields = nullptr, size_t padding = 0) {
  for (auto _ : state) {
    Arena arena;
    ParseContext ctx;
    ctx.arena = &arena;
    if (fields) ctx.fields = fields;
    IssueLog issues("bench");
    LogReader reader(data, format, ctx, 0, &issues, 1, 0, padding);
    Event ev;
    uint64_t n = 0;
    while (reader.Next(&ev)) n += ev.attrs.size();
    benchmark::DoNotOptimize(n);
    if (issues.count() != 0) state.SkipWithError("malformed lines in generated input");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

// The service lines with simdjson's padding after them, as the scan's buffers have.
struct Padded {
  std::string bytes = ServiceJsonLines();
  size_t size = bytes.size();
  Padded() { bytes.append(simdjson::SIMDJSON_PADDING, ' '); }
  std::string_view data() const { return {bytes.data(), size}; }
};
const Padded& ServiceInput() {
  static const Padded p;
  return p;
}

// The attributes `rate` reads (timeline/rate.cc: its duration keys).
const FieldNames& RateProjection() {
  static const FieldNames names = [] {
    KeyIndex keys;
    for (const char* k : {"duration_ms",
                          "latency_ms",
                          "elapsed_ms",
                          "took_ms",
                          "time_ms",
                          "response_time_ms",
                          "request_time_ms",
                          "waited_ms",
                          "duration",
                          "latency",
                          "elapsed",
                          "took",
                          "time_taken",
                          "response_time",
                          "after",
                          "duration_s",
                          "elapsed_s",
                          "latency_s",
                          "duration_us",
                          "duration_ns",
                          "request_time",
                          "upstream_response_time",
                          "upstream_time",
                          "rt",
                          "urt"})
      keys.Add(k);
    return DefaultFieldNames().Projected(keys);
  }();
  return names;
}

void BM_JsonLines(benchmark::State& state) {
  static const std::string data = JsonLines();
  static const auto format = NewJsonLinesFormat();
  Run(state, *format, data);
}
BENCHMARK(BM_JsonLines)->Unit(benchmark::kMillisecond);

void BM_ServiceJsonLinesAsRateReadsThem(benchmark::State& state) {
  static const auto format = NewJsonLinesFormat();
  Run(state, *format, ServiceInput().data(), &RateProjection(), simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_ServiceJsonLinesAsRateReadsThem)->Unit(benchmark::kMillisecond);

void BM_ServiceJsonLinesEveryAttribute(benchmark::State& state) {
  static const auto format = NewJsonLinesFormat();
  Run(state, *format, ServiceInput().data(), nullptr, simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_ServiceJsonLinesEveryAttribute)->Unit(benchmark::kMillisecond);

// The ceiling: simdjson's document stream touching every key and value, nothing kept.
void BM_ServiceJsonLinesSimdjsonStreamOnly(benchmark::State& state) {
  std::string_view data = ServiceInput().data();
  simdjson::ondemand::parser parser;
  parser.threaded = false;
  constexpr size_t kWindow = 256 << 10;
  for (auto _ : state) {
    uint64_t n = 0;
    for (size_t pos = 0; pos < data.size();) {
      size_t end = std::min(data.size(), pos + kWindow);
      if (end < data.size()) end = data.rfind('\n', end - 1) + 1;
      simdjson::ondemand::document_stream stream;
      if (parser.iterate_many(data.data() + pos, end - pos, kWindow).get(stream)) break;
      for (auto doc : stream) {
        simdjson::ondemand::object obj;
        if (doc.get_object().get(obj)) break;
        for (auto field : obj) {
          simdjson::ondemand::raw_json_string key;
          if (field.key().get(key)) break;
          std::string_view token;
          if (field.value().raw_json_token().get(token)) break;
          n += token.size();
        }
      }
      pos = end;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_ServiceJsonLinesSimdjsonStreamOnly)->Unit(benchmark::kMillisecond);

void BM_Logfmt(benchmark::State& state) {
  static const std::string data = LogfmtLines();
  static const auto format = NewLogfmtFormat();
  Run(state, *format, data);
}
BENCHMARK(BM_Logfmt)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
