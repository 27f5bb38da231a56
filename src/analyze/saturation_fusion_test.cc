// FuseSaturationWithDumps (state_evidence.h): a log-side saturation episode and a dump's
// pool-exhausted verdict of the same class of resource, close in time, become one finding.
#include <gtest/gtest.h>

#include <random>

#include "analyze/state_evidence.h"

namespace inquest {
namespace {

constexpr int64_t kMinute = 60 * kNanosPerSecond;
constexpr TimePoint kStart = 1'780'000'000LL * kNanosPerSecond;

Finding Saturation(std::string subject, std::string title, TimePoint from, TimePoint to) {
  Finding f;
  f.kind = "saturation";
  f.severity = Severity::kError;
  f.subject = std::move(subject);
  f.title = std::move(title);
  f.time = from;
  f.end = to;
  f.confidence = 0.6;
  f.evidence.push_back({"logs/app.jsonl:901", "db pool exhausted: timed out"});
  return f;
}

Finding PoolVerdict(std::string subject, std::string title, TimePoint at) {
  Finding f;
  f.kind = "pool-exhausted";
  f.severity = Severity::kError;
  f.subject = std::move(subject);
  f.title = std::move(title);
  f.time = at;
  f.confidence = 0.8;
  f.evidence.push_back({"dumps/goroutines.txt:214", "goroutine 28 [select]:"});
  return f;
}

Finding Other(std::string kind, TimePoint at) {
  Finding f;
  f.kind = std::move(kind);
  f.title = "title of " + f.kind;
  f.time = at;
  return f;
}

TEST(SaturationFusion, SameResourceCloseInTimeBecomesOneFinding) {
  std::vector<Finding> fs = {
      Other("onset", kStart),
      Saturation("db pool", "Resource saturation: reports db pool from 10:00 to 10:10", kStart,
                 kStart + 10 * kMinute),
      Other("retry-storm", kStart + kMinute),
      PoolVerdict("database/sql",
                  "pool exhausted: 48 goroutines wait for a database/sql connection",
                  kStart + 12 * kMinute),
      Other("detection-gap", kStart + 2 * kMinute),
  };
  EXPECT_EQ(FuseSaturationWithDumps(&fs), 1u);
  ASSERT_EQ(fs.size(), 4u);
  // The findings not fused are untouched, in their order.
  EXPECT_EQ(fs[0].title, "title of onset");
  EXPECT_EQ(fs[2].title, "title of retry-storm");
  EXPECT_EQ(fs[3].title, "title of detection-gap");
  const Finding& sat = fs[1];
  EXPECT_EQ(sat.kind, "saturation");
  EXPECT_NE(sat.title.find("the dump dumps/goroutines.txt at"), std::string::npos) << sat.title;
  EXPECT_NE(sat.title.find("48 goroutines wait for a database/sql connection"), std::string::npos);
  ASSERT_EQ(sat.evidence.size(), 2u);
  EXPECT_EQ(sat.evidence[0].source, "logs/app.jsonl:901");
  EXPECT_EQ(sat.evidence[1].source, "dumps/goroutines.txt:214");
  EXPECT_GT(sat.confidence, 0.8);
}

TEST(SaturationFusion, OnlyInsideTheWindowAndForTheSameClassOfResource) {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    int64_t offset = static_cast<int64_t>(rng() % 120) - 30;  // minutes after the start
    bool http = rng() % 3 == 0;
    TimePoint end = kStart + 10 * kMinute;
    std::vector<Finding> fs = {
        Saturation("db pool", "Resource saturation: orders db pool", kStart, end),
        PoolVerdict(http ? "net/http transport" : "HikariCP",
                    http ? "pool exhausted: 9 goroutines wait for an HTTP client connection"
                         : "pool exhausted: 30 threads wait for a HikariCP connection",
                    kStart + offset * kMinute),
    };
    TimePoint at = fs[1].time;
    bool in_window = at >= kStart - kFuseLeadNs && at <= end + kFuseLagNs;
    size_t fused = FuseSaturationWithDumps(&fs);
    SCOPED_TRACE(::testing::Message() << "offset " << offset << " min, http " << http);
    EXPECT_EQ(fused, in_window && !http ? 1u : 0u);
    EXPECT_EQ(fs.size(), fused == 1 ? 1u : 2u);
  }
}

TEST(SaturationFusion, AResourceTheLogDoesNotClassifyFusesWithAnyPool) {
  std::vector<Finding> fs = {
      Saturation("primary", "Resource saturation: api primary", kStart, kStart + kMinute),
      PoolVerdict("a Semaphore permit", "semaphore exhausted: 30 threads wait for a permit",
                  kStart + 2 * kMinute),
  };
  EXPECT_EQ(FuseSaturationWithDumps(&fs), 1u);
  EXPECT_EQ(fs.size(), 1u);
  // Without a saturation finding the dump's verdict stays as it is.
  std::vector<Finding> alone = {PoolVerdict("x", "pool exhausted: 5 threads wait", kStart)};
  EXPECT_EQ(FuseSaturationWithDumps(&alone), 0u);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].title, "pool exhausted: 5 threads wait");
}

}  // namespace
}  // namespace inquest
