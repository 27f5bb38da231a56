// The hand-written timestamp parsers (base/time.h) against the C library's strptime + timegm on
// the same strings. The anchor is strptime: a parser that is not clearly faster than it has no
// reason to exist.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

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

// Zone-less times read in a named zone (--assume-tz Europe/Paris): the zone's rules are looked up
// for every time. "Sequential" is a log's order (a day, minute by minute); "scattered" jumps
// across a year, so no per-hour memo helps; Threads(2) shows whether readers contend.
const std::vector<std::string>& LocalStrings(bool scattered) {
  static const std::vector<std::string> seq = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 1024; ++i) {
      int minute = i * 1440 / 1024;
      out.push_back(fmt::format("2026-03-29 {:02}:{:02}:08.114", minute / 60, minute % 60));
    }
    return out;
  }();
  static const std::vector<std::string> scat = [] {
    std::vector<std::string> out;
    uint32_t x = 12345;
    for (int i = 0; i < 1024; ++i) {
      x = x * 1103515245u + 12345u;
      out.push_back(fmt::format("2026-{:02}-{:02} {:02}:{:02}:08.114", 1 + (x >> 8) % 12,
                                1 + (x >> 12) % 28, (x >> 16) % 24, (x >> 20) % 60));
    }
    return out;
  }();
  return scattered ? scat : seq;
}

void BM_ParseIsoAssumedZone(benchmark::State& state) {
  static const TimeZone zone = *TimeZone::Parse("Europe/Paris");
  const auto& in = LocalStrings(state.range(0) != 0);
  TimeContext ctx;
  ctx.zone = &zone;
  size_t i = 0;
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseIso8601(in[i++ & 1023], ctx, &pt));
    benchmark::DoNotOptimize(pt.time);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseIsoAssumedZone)->ArgName("scattered")->Arg(0)->Arg(1)->Threads(1)->Threads(2);

void BM_ParseIsoFixedOffset(benchmark::State& state) {
  static const TimeZone zone = *TimeZone::Parse("+02:00");
  const auto& in = LocalStrings(true);
  TimeContext ctx;
  ctx.zone = &zone;
  size_t i = 0;
  for (auto _ : state) {
    ParsedTime pt;
    benchmark::DoNotOptimize(ParseIso8601(in[i++ & 1023], ctx, &pt));
    benchmark::DoNotOptimize(pt.time);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseIsoFixedOffset);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
