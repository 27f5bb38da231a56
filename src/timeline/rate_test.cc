#include "timeline/rate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "tests/support/test_files.h"
#include "timeline/window_counter.h"

namespace inquest {
namespace {

TEST(ParseDurationMsTest, ReadsUnitsAndBareNumbers) {
  double ms = 0;
  ASSERT_TRUE(ParseDurationMs("4019ms", 1, &ms));
  EXPECT_DOUBLE_EQ(ms, 4019);
  ASSERT_TRUE(ParseDurationMs("1.5s", 1, &ms));
  EXPECT_DOUBLE_EQ(ms, 1500);
  ASSERT_TRUE(ParseDurationMs("250us", 1, &ms));
  EXPECT_DOUBLE_EQ(ms, 0.25);
  ASSERT_TRUE(ParseDurationMs("1m30.5s", 1, &ms));
  EXPECT_DOUBLE_EQ(ms, 90'500);
  ASSERT_TRUE(ParseDurationMs("0.248", 1000, &ms));  // nginx request_time in seconds
  EXPECT_DOUBLE_EQ(ms, 248);
  ASSERT_TRUE(ParseDurationMs("\"12\"", 1, &ms));
  EXPECT_DOUBLE_EQ(ms, 12);
  EXPECT_FALSE(ParseDurationMs("15d", 1, &ms));  // a retention setting, not a latency
  EXPECT_FALSE(ParseDurationMs("-", 1000, &ms));
  EXPECT_FALSE(ParseDurationMs("fast", 1, &ms));
  EXPECT_FALSE(ParseDurationMs("", 1, &ms));
  EXPECT_FALSE(ParseDurationMs("5 10", 1, &ms));
}

TEST(EventDurationMsTest, FindsKnownKeys) {
  Event e;
  double ms = 0;
  EXPECT_FALSE(EventDurationMs(e, &ms));
  e.attrs = {{"status", "200"}, {"request_time", "0.004"}};
  ASSERT_TRUE(EventDurationMs(e, &ms));
  EXPECT_DOUBLE_EQ(ms, 4);
  e.attrs = {{"upstream_response_time", "0.010, 0.002"}};
  ASSERT_TRUE(EventDurationMs(e, &ms));
  EXPECT_DOUBLE_EQ(ms, 10);
  e.attrs = {{"after", "4019ms"}};
  ASSERT_TRUE(EventDurationMs(e, &ms));
  EXPECT_DOUBLE_EQ(ms, 4019);
  e.attrs = {{"duration_ms", "12.5"}};
  ASSERT_TRUE(EventDurationMs(e, &ms));
  EXPECT_DOUBLE_EQ(ms, 12.5);
  e.attrs = {{"duration", "15d"}};  // Prometheus retention
  EXPECT_FALSE(EventDurationMs(e, &ms));
}

TEST(LatencyHistogramTest, PercentilesWithinTheDocumentedError) {
  LatencyHistogram h;
  std::vector<double> values;
  std::mt19937 rng(7);
  std::lognormal_distribution<double> dist(3.0, 1.2);
  for (int i = 0; i < 50'000; ++i) {
    double v = dist(rng);
    values.push_back(v);
    h.Add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99}) {
    double exact = values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    double got = h.Percentile(q);
    EXPECT_NEAR(got, exact, exact / (2.0 * LatencyHistogram::kSubBuckets) + 1e-9) << q;
  }
  EXPECT_DOUBLE_EQ(h.Percentile(1), values.back());
  LatencyHistogram a, b;
  for (size_t i = 0; i < values.size(); ++i) (i % 2 ? a : b).Add(values[i]);
  a.Merge(b);
  EXPECT_EQ(a.count(), h.count());
  EXPECT_DOUBLE_EQ(a.Percentile(0.9), h.Percentile(0.9));
}

Event At(int64_t seconds, Level level, std::string_view service = "") {
  Event e;
  e.time = seconds * kNanosPerSecond;
  e.level = level;
  e.service = service;
  return e;
}

TEST(WindowCounterTest, CountsPerWindowAndGroupAndKeepsEmptyWindows) {
  RateOptions opts;
  opts.group_by = "service";
  WindowCounter c(opts);
  c.Add(At(0, Level::kInfo, "a"));
  c.Add(At(30, Level::kError, "b"));
  c.Add(At(59, Level::kWarn, "a"));
  c.Add(At(185, Level::kError, "a"));
  Event no_time = At(0, Level::kInfo, "a");
  no_time.time = kNoTime;
  c.Add(no_time);
  auto s = c.Finish();
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 3u);  // totals, a, b
  const Series& all = (*s)[0];
  ASSERT_EQ(all.windows.size(), 4u);  // 0, 60, 120 (empty), 180
  EXPECT_EQ(all.windows[0].total, 3u);
  EXPECT_EQ(all.windows[0].errors, 1u);
  EXPECT_EQ(all.windows[0].warnings, 1u);
  EXPECT_EQ(all.windows[2].total, 0u);
  EXPECT_EQ(all.windows[3].start, 180 * kNanosPerSecond);
  EXPECT_EQ((*s)[1].group, "a");
  EXPECT_EQ((*s)[1].windows[3].errors, 1u);
  EXPECT_EQ((*s)[2].group, "b");
  EXPECT_EQ((*s)[2].windows.size(), 4u);
  EXPECT_EQ(c.untimed(), 1u);
  EXPECT_EQ(WindowIndex(-1, 60), -1);
}

TEST(WindowCounterTest, MergeEqualsOneCounter) {
  RateOptions opts;
  opts.group_by = "service";
  WindowCounter one(opts), left(opts), right(opts);
  for (int i = 0; i < 1000; ++i) {
    Event e = At(i * 7, i % 13 == 0 ? Level::kError : Level::kInfo, i % 3 ? "x" : "y");
    std::string d = std::to_string(i % 50);
    e.attrs = {{"duration_ms", d}};
    one.Add(e);
    (i < 400 ? left : right).Add(e);
  }
  left.Merge(std::move(right));
  auto a = one.Finish();
  auto b = left.Finish();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t g = 0; g < a->size(); ++g) {
    ASSERT_EQ((*a)[g].windows.size(), (*b)[g].windows.size());
    for (size_t i = 0; i < (*a)[g].windows.size(); ++i) {
      EXPECT_EQ((*a)[g].windows[i].total, (*b)[g].windows[i].total);
      EXPECT_EQ((*a)[g].windows[i].errors, (*b)[g].windows[i].errors);
      EXPECT_EQ((*a)[g].windows[i].LatencyPercentile(0.9),
                (*b)[g].windows[i].LatencyPercentile(0.9));
      EXPECT_LE((*b)[g].windows[i].latencies_ms.size(), kMaxLatencySamples);
    }
  }
}

TEST(WindowCounterTest, RefusesAnAbsurdSpan) {
  RateOptions opts;
  WindowCounter c(opts);
  c.Add(At(0, Level::kInfo));
  c.Add(At(1'800'000'000, Level::kInfo));  // 2027 vs 1970
  EXPECT_FALSE(c.Finish().ok());
}

std::vector<InputFile> Inputs(const std::string& data, const std::string& name) {
  std::vector<InputFile> v;
  v.push_back(InputFile::FromString(data, name));
  return v;
}

std::string JsonLines(int n) {
  std::string data;
  for (int i = 0; i < n; ++i) {
    int sec = i / 10;  // 10 events per second
    data += "{\"ts\":\"2026-05-29T14:" + std::to_string(10 + sec / 60) + ":" +
            (sec % 60 < 10 ? "0" : "") + std::to_string(sec % 60) + ".000Z\",\"level\":\"" +
            (i % 17 == 0 ? "error" : "info") + "\",\"service\":\"" +
            (i % 2 ? "checkout" : "pricing") +
            "\",\"msg\":\"m\",\"duration_ms\":" + std::to_string(i % 100) + "}\n";
  }
  return data;
}

TEST(ComputeRatesTest, ThreadsDoNotChangeTheCounts) {
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  opts.group_by = "service";
  std::string data = JsonLines(20'000);
  auto one = ComputeRates(Inputs(data, "a.jsonl"), registry, load, opts, 1);
  auto two = ComputeRates(Inputs(data, "a.jsonl"), registry, load, opts, 2);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(one->counted, 20'000u);
  EXPECT_EQ(two->counted, 20'000u);
  EXPECT_EQ(two->files[0].records, 20'000u);
  EXPECT_EQ(two->files[0].lines, 20'000u);
  ASSERT_EQ(one->series.size(), 3u);
  uint64_t errors = 0;
  for (const Window& w : two->series[0].windows) errors += w.errors;
  EXPECT_EQ(errors, (20'000u + 16) / 17);
  for (size_t g = 0; g < one->series.size(); ++g)
    for (size_t i = 0; i < one->series[g].windows.size(); ++i) {
      EXPECT_EQ(one->series[g].windows[i].total, two->series[g].windows[i].total);
      EXPECT_EQ(one->series[g].windows[i].errors, two->series[g].windows[i].errors);
    }
  EXPECT_GT(two->series[0].windows[0].LatencyPercentile(0.5), 40);
  EXPECT_LT(two->series[0].windows[0].LatencyPercentile(0.5), 60);
}

TEST(ComputeRatesTest, ReportsMalformedLinesWithTheirLineNumbers) {
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  std::string data = JsonLines(100);
  data += "{\"ts\": oops\n";
  data += JsonLines(3);
  auto r = ComputeRates(Inputs(data, "b.jsonl"), registry, load, opts, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counted, 103u);
  EXPECT_EQ(r->files[0].malformed, 1u);
  ASSERT_EQ(r->files[0].samples.size(), 1u);
  EXPECT_EQ(r->files[0].samples[0].line, 101u);
}

TEST(ComputeRatesTest, NginxAccessLogLatencyAndStatus) {
  std::string path = TestFixturesDir() + "/logs/access/apache_combined_10k.log";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "fixtures not present";
  // Independent count of 5xx responses with a plain scan of the status field.
  std::ifstream in(path);
  std::string line;
  uint64_t lines = 0, server_errors = 0;
  while (std::getline(in, line)) {
    ++lines;
    size_t q = line.find("\" ", line.find('"') + 1);
    if (q != std::string::npos && line.size() > q + 2 && line[q + 2] == '5') ++server_errors;
  }
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  opts.width_ns = 3600 * kNanosPerSecond;
  auto r = ComputeRates(std::vector<std::string>{path}, registry, load, opts, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counted + r->files[0].malformed, lines);
  uint64_t errors = 0;
  for (const Window& w : r->series[0].windows) errors += w.errors;
  EXPECT_EQ(errors, server_errors);
  // --where on the status field agrees.
  RateOptions where = opts;
  ASSERT_TRUE(where.filter.AddWhere("status>=500").ok());
  auto w = ComputeRates(std::vector<std::string>{path}, registry, load, where, 2);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->counted, server_errors);
}

TEST(ComputeRatesTest, AStrayRecordIsLeftOutNotFatal) {
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  std::string data = JsonLines(600);
  data += "{\"ts\":\"2024-01-01T00:00:00.000Z\",\"level\":\"info\",\"msg\":\"clock reset\"}\n";
  auto r = ComputeRates(Inputs(data, "a.jsonl"), registry, load, opts, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->left_out, 1u);
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_LE(r->series[0].windows.size(), 2u);  // one minute of records, not two years
  uint64_t total = 0;
  for (const Window& w : r->series[0].windows) total += w.total;
  EXPECT_EQ(total, 600u);
}

}  // namespace
}  // namespace inquest
