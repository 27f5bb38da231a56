// The detectors as streaming aggregations: they find their patterns from what Observe shows
// them alone (the input's own record list left empty), their state stays bounded past
// kMaxDetectorKeys keys, and they say when keys went untracked.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "timeline/detectors/cache_stampede.h"
#include "timeline/detectors/clock_skew.h"
#include "timeline/detectors/detector_test_util.h"
#include "timeline/detectors/exceptions.h"
#include "timeline/detectors/retry_storm.h"
#include "timeline/detectors/saturation.h"

namespace inquest {
namespace {

using testing_util::Events;
using testing_util::T;

// Feeds `records` one by one to a detector built on a context that holds no records.
std::vector<Finding> Stream(StreamDetector& d, const DetectorInput& records) {
  for (const Event* e : records.events) d.Observe(*e);
  return d.Finish();
}

DetectorInput ContextOf(const DetectorInput& in) {
  DetectorInput ctx = in;
  ctx.events.clear();
  return ctx;
}

TEST(StreamDetectorTest, SaturationFromObservedRecordsAloneWithEpisodesSplitByQuiet) {
  Events ev;
  for (int episode = 0; episode < 2; ++episode)
    for (int i = 0; i < 8; ++i)
      ev.Add(T(episode * 900 + i), "checkout", i % 2 ? Level::kError : Level::kWarn,
             i % 2 ? "acquire connection timed out" : "waiting for connection",
             {{"pool", "orders-db"}});
  DetectorInput in = ev.Input();
  DetectorInput ctx = ContextOf(in);
  SaturationDetector d(ctx);
  std::vector<Finding> f = Stream(d, in);
  ASSERT_EQ(f.size(), 2u);  // 15 minutes of quiet end the first episode
  EXPECT_EQ(f[0].subject, "orders-db");
  EXPECT_EQ(f[0].time, T(0));
  EXPECT_EQ(f[0].end, T(7));
  EXPECT_EQ(f[1].time, T(900));
  EXPECT_NE(f[0].title.find("8 waits, 4 of them"), std::string::npos) << f[0].title;
  // The first record, the first failures, then the last record.
  ASSERT_EQ(f[0].evidence.size(), kMaxEvidencePerFinding);
  EXPECT_EQ(f[0].evidence.front().source, "f0.log:1");
  EXPECT_EQ(f[0].evidence[1].source, "f0.log:2");
  EXPECT_EQ(f[0].evidence.back().source, "f0.log:8");
}

TEST(StreamDetectorTest, CacheStampedeStaysBoundedPastTheKeyLimitAndSaysSo) {
  Events ev;
  // The stampede's key is seen first; then more distinct keys than are tracked.
  ev.Add(T(0), "pricing", Level::kInfo, "cache miss", {{"key", "hot"}});
  for (size_t i = 0; i < kMaxDetectorKeys + 500; ++i)
    ev.Add(T(1 + i * 0.001), "pricing", Level::kInfo, "cache miss",
           {{"key", "k" + std::to_string(i)}});
  for (int i = 0; i < 40; ++i)
    ev.Add(T(100 + i * 0.01), "pricing", Level::kInfo, "cache miss", {{"key", "hot"}});
  // A burst on a key first seen past the limit is not tracked.
  for (int i = 0; i < 40; ++i)
    ev.Add(T(200 + i * 0.01), "pricing", Level::kInfo, "cache miss", {{"key", "late"}});
  DetectorInput in = ev.Input();
  DetectorInput ctx = ContextOf(in);
  CacheStampedeDetector d(ctx);
  std::vector<Finding> f = Stream(d, in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject, "hot");
  EXPECT_NE(f[0].title.find("40 misses"), std::string::npos) << f[0].title;
  // "hot" and 9,999 others are tracked: 501 keys' misses and the late key's 40 are not.
  EXPECT_NE(f[0].explanation.find("541 misses of keys past the first 10000"), std::string::npos)
      << f[0].explanation;
}

TEST(StreamDetectorTest, CacheStampedeUsualRateFromASampleOfManyWindows) {
  Events ev;
  // Three misses a second for two hours: more windows than the per-key sample holds.
  for (int s = 0; s < 7200; ++s)
    for (int k = 0; k < 3; ++k)
      ev.Add(T(s + k * 0.3), "pricing", Level::kInfo, "cache miss", {{"key", "busy"}});
  // A burst of 40 in one window: 13x usual -> a stampede.
  for (int i = 0; i < 40; ++i)
    ev.Add(T(7300 + i * 0.02), "pricing", Level::kInfo, "cache miss", {{"key", "busy"}});
  DetectorInput in = ev.Input();
  std::vector<Finding> f = DetectCacheStampede(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].explanation.find("against a usual 3 per second"), std::string::npos)
      << f[0].explanation;
  // Twelve in a window is only 4x the usual three: no stampede.
  Events calm;
  for (int s = 0; s < 7200; ++s)
    for (int k = 0; k < 3; ++k)
      calm.Add(T(s + k * 0.3), "pricing", Level::kInfo, "cache miss", {{"key", "busy"}});
  for (int i = 0; i < 12; ++i)
    calm.Add(T(7300 + i * 0.02), "pricing", Level::kInfo, "cache miss", {{"key", "busy"}});
  EXPECT_TRUE(DetectCacheStampede(calm.Input()).empty());
}

TEST(StreamDetectorTest, RetryStormEvidenceIsTheLongestRequestsFirstAttempts) {
  Events ev;
  // Background: one retry every two minutes for an hour.
  for (int i = 0; i < 30; ++i)
    ev.Add(T(i * 120), "gateway", Level::kWarn, "retrying call",
           {{"request_id", "bg" + std::to_string(i)}});
  // 60 requests retry 3 times 500 ms apart at minute 70; one retries 8 times.
  for (int r = 0; r < 60; ++r) {
    int attempts = r == 17 ? 8 : 3;
    for (int a = 0; a < attempts; ++a)
      ev.Add(T(4200 + r * 0.1 + a * 0.5), "gateway", Level::kWarn, "retrying call",
             {{"request_id", "r" + std::to_string(r)}, {"attempt", std::to_string(a + 2)}});
  }
  DetectorInput in = ev.Input();
  DetectorInput ctx = ContextOf(in);
  RetryStormDetector d(ctx);
  std::vector<Finding> f = Stream(d, in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject, "no jitter");
  EXPECT_NE(f[0].title.find("fixed at a median 500 ms"), std::string::npos) << f[0].title;
  ASSERT_EQ(f[0].evidence.size(), kMaxEvidencePerFinding);
  size_t of_longest = 0;
  for (const EvidenceRef& r : f[0].evidence)
    of_longest += r.excerpt.find("request_id=r17") != std::string::npos;
  EXPECT_EQ(of_longest, kMaxEvidencePerFinding);
}

TEST(StreamDetectorTest, ExceptionsGroupAsTheyCome) {
  Events ev;
  std::string trace =
      "java.lang.IllegalStateException: pool closed\n"
      "\tat com.shop.orders.OrderRepo.save(OrderRepo.java:41)\n"
      "\tat com.shop.orders.OrderService.place(OrderService.java:88)\n";
  for (int i = 0; i < 5; ++i)
    ev.Add(T(600 + i), "orders", Level::kError, "order failed", {{"stack_trace", trace}});
  DetectorInput in = ev.Input();
  in.onset.found = true;
  in.onset.time = T(590);
  DetectorInput ctx = ContextOf(in);
  ExceptionsDetector d(ctx);
  std::vector<Finding> f = Stream(d, in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].title.find("IllegalStateException"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("5 times"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].evidence.front().source, "f0.log:1");
  EXPECT_EQ(f[0].evidence.back().source, "f0.log:5");
}

}  // namespace
}  // namespace inquest
