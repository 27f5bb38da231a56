// The hand-written timestamp parsers (base/time.h) against the C library's strptime + timegm on
// the same strings. The anchor is strptime: a parser that is not clearly faster than it has no
// reason to exist.
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>
#include <vector>

#include "base/time.h"

namespace inquest {
namespace {

const std::vector<std::string>& IsoStrings() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 1024; ++i)
      out.push_back("2026-05-" + std::to_string(10 + i % 18) +
                    "T14:" + std::to_string(10 + i % 50) + ":08.114Z");
    return out;
  }();
  return v;
}

void BM_ParseIso8601(benchmark::State& state) {
  const auto& in = IsoStrings();
  TimeContext ctx;
  size_t i = 0;
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseIso8601(in[i++ & 1023], ctx, &pt));
    benchmark::DoNotOptimize(pt.time);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseIso8601);

void BM_ParseTimePrefixIso(benchmark::State& state) {
  const auto& in = IsoStrings();
  TimeContext ctx;
  size_t i = 0;
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseTimePrefix(in[i++ & 1023], ctx, &pt));
    benchmark::DoNotOptimize(pt.time);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimePrefixIso);

void BM_StrptimeTimegmIso(benchmark::State& state) {
  const auto& in = IsoStrings();
  size_t i = 0;
  for (auto _ : state) {
    struct tm tm = {};
    const char* rest = strptime(in[i++ & 1023].c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    benchmark::DoNotOptimize(rest);
    benchmark::DoNotOptimize(timegm(&tm));  // the fraction and zone are not even handled here
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StrptimeTimegmIso);

const std::vector<std::string>& ClfStrings() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 1024; ++i)
      out.push_back(std::to_string(10 + i % 18) + "/Oct/2000:13:" + std::to_string(10 + i % 50) +
                    ":36 -0700");
    return out;
  }();
  return v;
}

void BM_ParseTimePrefixClf(benchmark::State& state) {
  const auto& in = ClfStrings();
  TimeContext ctx;
  size_t i = 0;
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseTimePrefix(in[i++ & 1023], ctx, &pt));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimePrefixClf);

void BM_StrptimeTimegmClf(benchmark::State& state) {
  const auto& in = ClfStrings();
  size_t i = 0;
  for (auto _ : state) {
    struct tm tm = {};
    benchmark::DoNotOptimize(strptime(in[i++ & 1023].c_str(), "%d/%b/%Y:%H:%M:%S %z", &tm));
    benchmark::DoNotOptimize(timegm(&tm));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StrptimeTimegmClf);

void BM_ParseTimePrefixSyslog(benchmark::State& state) {
  TimeContext ctx;
  ctx.default_year = 2026;
  std::string s = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure";
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseTimePrefix(s, ctx, &pt));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimePrefixSyslog);

void BM_StrptimeTimegmSyslog(benchmark::State& state) {
  std::string s = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure";
  for (auto _ : state) {
    struct tm tm = {};
    tm.tm_year = 126;
    benchmark::DoNotOptimize(strptime(s.c_str(), "%b %d %H:%M:%S", &tm));
    benchmark::DoNotOptimize(timegm(&tm));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StrptimeTimegmSyslog);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
