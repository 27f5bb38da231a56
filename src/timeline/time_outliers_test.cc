#include "timeline/time_outliers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace inquest {
namespace {

constexpr TimePoint kDay = 24 * 3600 * kNanosPerSecond;
constexpr TimePoint kIncident = 20'600 * kDay;  // 2026-05-25

// `n` records one second apart from the incident's start.
std::vector<TimePoint> Burst(size_t n, TimePoint start = kIncident) {
  std::vector<TimePoint> t;
  for (size_t i = 0; i < n; ++i) t.push_back(start + static_cast<TimePoint>(i) * kNanosPerSecond);
  return t;
}

TEST(TimeBulkTest, AStrayRecordAYearEarlierIsLeftOut) {
  std::vector<TimePoint> t = Burst(5000);
  t.insert(t.begin(), kIncident - 365 * kDay);
  TimeBulk b = FindTimeBulk(t);
  EXPECT_EQ(b.outliers(), 1u);
  EXPECT_FALSE(b.Holds(0));
  EXPECT_TRUE(b.Holds(1));
  EXPECT_TRUE(b.Holds(5000));
}

TEST(TimeBulkTest, ExtremesOfTheRangeOnBothSidesDoNotOverflow) {
  std::vector<TimePoint> t = Burst(1000);
  t.insert(t.begin(), INT64_MIN + 1);  // a clock read as the far past
  t.push_back(INT64_MAX - 1);          // and one read as the far future
  TimeBulk b = FindTimeBulk(t);
  EXPECT_EQ(b.outliers(), 2u);
  EXPECT_EQ(b.begin, 1u);
  EXPECT_EQ(b.end, 1001u);
}

TEST(TimeBulkTest, TwoRealBurstsDaysApartAreBothKept) {
  std::vector<TimePoint> t = Burst(3000);
  std::vector<TimePoint> later = Burst(800, kIncident + 3 * kDay);
  t.insert(t.end(), later.begin(), later.end());
  TimeBulk b = FindTimeBulk(t);
  EXPECT_EQ(b.outliers(), 0u);
  EXPECT_EQ(b.end - b.begin, t.size());
}

TEST(TimeBulkTest, QuietHoursInsideTheIncidentDoNotCutIt) {
  std::vector<TimePoint> t = Burst(100);
  std::vector<TimePoint> after = Burst(100, kIncident + 20 * 3600 * kNanosPerSecond);
  t.insert(t.end(), after.begin(), after.end());
  EXPECT_EQ(FindTimeBulk(t).outliers(), 0u);
}

TEST(TimeBulkTest, RandomStraysAroundABurstAreAllFoundAndNothingElse) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 50; ++round) {
    size_t n = 2000 + rng() % 20000;
    std::vector<TimePoint> t = Burst(n);
    size_t strays = rng() % (n / 100 + 1);  // within the 1% share
    for (size_t k = 0; k < strays; ++k) {
      TimePoint away = static_cast<TimePoint>(2 + rng() % 3000) * kDay;
      t.push_back(rng() % 2 ? kIncident - away : kIncident + away);
    }
    std::sort(t.begin(), t.end());
    TimeBulk b = FindTimeBulk(t);
    ASSERT_EQ(b.outliers(), strays) << "round " << round;
    for (size_t i = b.begin; i < b.end; ++i) {
      ASSERT_GE(t[i], kIncident);
      ASSERT_LT(t[i], kIncident + static_cast<TimePoint>(n) * kNanosPerSecond);
    }
  }
}

TEST(TimeBulkTest, OneStrayInASmallBundleIsStillAStray) {
  std::vector<TimePoint> t = Burst(40);
  t.push_back(kIncident + 400 * kDay);
  TimeBulk b = FindTimeBulk(t);
  EXPECT_EQ(b.outliers(), 1u);
  EXPECT_EQ(b.end, 40u);
  // Two records a week apart: neither is the bulk's stray.
  EXPECT_EQ(FindTimeBulk({kIncident, kIncident + 7 * kDay}).outliers(), 0u);
  // Ten records split four and six: a second burst, not strays.
  std::vector<TimePoint> split = Burst(6);
  std::vector<TimePoint> other = Burst(4, kIncident + 5 * kDay);
  split.insert(split.end(), other.begin(), other.end());
  EXPECT_EQ(FindTimeBulk(split).outliers(), 0u);
}

TEST(TimeBulkTest, EmptyAndSingleInputsAreTheirOwnBulk) {
  EXPECT_EQ(FindTimeBulk({}).outliers(), 0u);
  EXPECT_EQ(FindTimeBulk({kIncident}).outliers(), 0u);
}

TEST(TimeBulkTest, CountedWindowsGiveTheSameBulkAsTheirRecords) {
  std::mt19937_64 rng(23);
  for (int round = 0; round < 30; ++round) {
    size_t n = 500 + rng() % 5000;
    std::vector<TimePoint> t = Burst(n);
    size_t strays = rng() % (n / 100 + 1);
    for (size_t k = 0; k < strays; ++k) {
      TimePoint away = static_cast<TimePoint>(2 + rng() % 3000) * kDay;
      t.push_back(rng() % 2 ? kIncident - away : kIncident + away);
    }
    std::sort(t.begin(), t.end());
    // The same records as minute windows with counts.
    std::vector<TimePoint> starts;
    std::vector<uint64_t> counts;
    for (TimePoint x : t) {
      TimePoint w = x - x % (60 * kNanosPerSecond);
      if (starts.empty() || starts.back() != w) {
        starts.push_back(w);
        counts.push_back(0);
      }
      ++counts.back();
    }
    TimeBulk by_record = FindTimeBulk(t);
    TimeBulk by_window = FindTimeBulk(starts, counts);
    ASSERT_EQ(by_window.total, t.size());
    ASSERT_EQ(by_window.outliers(), by_record.outliers()) << "round " << round;
    ASSERT_EQ(starts[by_window.begin],
              t[by_record.begin] - t[by_record.begin] % (60 * kNanosPerSecond));
  }
}

}  // namespace
}  // namespace inquest
