#include "timeline/onset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tests/support/test_files.h"
#include "timeline/rate.h"

namespace inquest {
namespace {

// A series of 1-minute windows with `totals[i]` events of which `errors[i]` failed.
Series Make(const std::vector<uint64_t>& totals, const std::vector<uint64_t>& errors) {
  Series s;
  s.width_ns = 60 * kNanosPerSecond;
  for (size_t i = 0; i < totals.size(); ++i) {
    Window w;
    w.start = static_cast<int64_t>(i) * s.width_ns;
    w.total = totals[i];
    w.errors = errors[i];
    s.windows.push_back(w);
  }
  return s;
}

// Binomial noise around `ratio` on `n` events per window (fixed seed).
Series Noisy(size_t windows, uint64_t n, std::vector<double> ratio, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::vector<uint64_t> totals(windows, n), errors(windows);
  for (size_t i = 0; i < windows; ++i) {
    std::binomial_distribution<uint64_t> d(n, ratio[i]);
    errors[i] = d(rng);
  }
  return Make(totals, errors);
}

TEST(OnsetTest, FlatSeriesHasNoOnset) {
  Onset o = DetectOnset(Make(std::vector<uint64_t>(60, 100), std::vector<uint64_t>(60, 2)));
  EXPECT_FALSE(o.found);
  EXPECT_EQ(o.signal, "error ratio");
}

TEST(OnsetTest, NoErrorsAtAll) {
  Onset o = DetectOnset(Make(std::vector<uint64_t>(30, 100), std::vector<uint64_t>(30, 0)));
  EXPECT_FALSE(o.found);
  EXPECT_NE(o.explanation.find("no errors"), std::string::npos);
}

TEST(OnsetTest, NoisyBaselineHasNoOnset) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    Onset o = DetectOnset(Noisy(120, 200, std::vector<double>(120, 0.05), seed));
    EXPECT_FALSE(o.found) << "seed " << seed << ": " << o.explanation;
  }
}

TEST(OnsetTest, StepIsFoundWithRecovery) {
  std::vector<double> r(60, 0.01);
  for (size_t i = 30; i < 37; ++i) r[i] = 0.12;  // the primer's ~12% for ~6 minutes
  Onset o = DetectOnset(Noisy(60, 300, r));
  ASSERT_TRUE(o.found) << o.explanation;
  EXPECT_EQ(o.time, 30 * 60 * kNanosPerSecond);
  EXPECT_EQ(o.recovery, 37 * 60 * kNanosPerSecond);
  EXPECT_GT(o.confidence, 0.8);
  EXPECT_NEAR(o.baseline, 0.01, 0.01);
  EXPECT_GT(o.peak, 0.09);
}

// A burst, then a long plateau far above normal but under a quarter of the peak (a cache
// stampede's aftermath): still the incident; recovery is when it is back near the baseline.
TEST(OnsetTest, PlateauAboveNormalIsNotRecovery) {
  std::vector<double> r(60, 0.002);
  r[20] = 0.12;
  r[21] = 0.40;
  for (size_t i = 22; i < 40; ++i) r[i] = 0.06;
  Onset o = DetectOnset(Noisy(60, 700, r, 7));
  ASSERT_TRUE(o.found) << o.explanation;
  EXPECT_EQ(o.time, 20 * 60 * kNanosPerSecond);
  EXPECT_EQ(o.recovery, 40 * 60 * kNanosPerSecond) << o.explanation;
  EXPECT_NE(o.explanation.find("back within"), std::string::npos) << o.explanation;
  // A signal that never returns near normal: the wide band says when the worst was over.
  for (size_t i = 40; i < 60; ++i) r[i] = 0.06;
  o = DetectOnset(Noisy(60, 700, r, 7));
  ASSERT_TRUE(o.found);
  EXPECT_EQ(o.recovery, 22 * 60 * kNanosPerSecond) << o.explanation;
  EXPECT_NE(o.explanation.find("never back within"), std::string::npos) << o.explanation;
}

TEST(OnsetTest, OneWindowSpikeIsFoundWithLowConfidence) {
  std::vector<uint64_t> totals(40, 100), errors(40, 1);
  errors[25] = 40;
  Onset o = DetectOnset(Make(totals, errors));
  ASSERT_TRUE(o.found);
  EXPECT_EQ(o.time, 25 * 60 * kNanosPerSecond);
  EXPECT_LT(o.confidence, 0.3);
  EXPECT_EQ(o.recovery, 26 * 60 * kNanosPerSecond);
}

TEST(OnsetTest, SlowRampIsFoundInsideTheRamp) {
  std::vector<double> r(80, 0.02);
  for (size_t i = 30; i < 80; ++i) r[i] = 0.02 + 0.004 * static_cast<double>(i - 30);
  Onset o = DetectOnset(Noisy(80, 400, r));
  ASSERT_TRUE(o.found) << o.explanation;
  EXPECT_GT(o.time, 30 * 60 * kNanosPerSecond);
  EXPECT_LT(o.time, 55 * 60 * kNanosPerSecond);
  EXPECT_EQ(o.recovery, kNoTime);
}

TEST(OnsetTest, NoBaselineToLeave) {
  Onset short_series = DetectOnset(Make({100, 100, 100}, {1, 50, 50}));
  EXPECT_FALSE(short_series.found);
  EXPECT_NE(short_series.explanation.find("usable windows"), std::string::npos);
}

TEST(OnsetTest, AllErrorsIsNotAChange) {
  Onset o = DetectOnset(Make(std::vector<uint64_t>(30, 50), std::vector<uint64_t>(30, 50)));
  EXPECT_FALSE(o.found);
}

TEST(OnsetTest, LowTrafficUsesTheErrorCount) {
  std::vector<uint64_t> totals(30, 5), errors(30, 0);
  for (size_t i = 20; i < 25; ++i) errors[i] = 5;
  Onset o = DetectOnset(Make(totals, errors));
  EXPECT_EQ(o.signal, "error count");
  ASSERT_TRUE(o.found);
  EXPECT_EQ(o.time, 20 * 60 * kNanosPerSecond);
  EXPECT_EQ(o.recovery, 25 * 60 * kNanosPerSecond);
}

// Real data: the Apache error log of the Loghub sample, counted per hour. Whatever the method
// finds must be where the data says: the onset window's errors above the baseline it reports.
TEST(OnsetTest, RealApacheErrorLog) {
  std::string path = TestFixturesDir() + "/logs/loghub/Apache_2k.log";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "fixtures not present";
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  opts.width_ns = 3600 * kNanosPerSecond;
  auto r = ComputeRates(std::vector<std::string>{path}, registry, load, opts, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Series& s = r->series[0];
  Onset o = DetectOnset(s);
  EXPECT_FALSE(o.explanation.empty());
  if (o.found) {
    auto it = std::find_if(s.windows.begin(), s.windows.end(),
                           [&](const Window& w) { return w.start == o.time; });
    ASSERT_NE(it, s.windows.end());
    double v = o.signal == "error ratio" ? it->error_ratio() : static_cast<double>(it->errors);
    EXPECT_GT(v, o.baseline);
    EXPECT_GE(o.peak, v);
    EXPECT_GT(o.confidence, 0);
    EXPECT_LE(o.confidence, 1);
  }
}

}  // namespace
}  // namespace inquest
