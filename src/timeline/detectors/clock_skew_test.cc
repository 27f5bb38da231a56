#include "timeline/detectors/clock_skew.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "timeline/detectors/detector_test_util.h"

namespace inquest {
namespace {

using testing_util::Events;
using testing_util::T;

// A gateway (file 0) calls three replicas of one service (files 1-3, all named "api", no host
// in the records): the replica in file 2 runs `skew` seconds off and logs to the second only.
// Its records name no host, so its clock is its file's; the service name would merge the three.
TEST(ClockSkewDetectorTest, FindsTheSkewedFileAmongReplicasOfOneService) {
  for (double skew : {-3.2, 2.5}) {
    Events ev;
    std::mt19937 rng(7);
    for (int r = 0; r < 60; ++r) {
      std::string id = "req-" + std::to_string(1000 + r);
      double t0 = r * 2.0 + (rng() % 100) / 1000.0;
      uint32_t replica = 1 + r % 3;
      double call = t0 + 0.01, answer = t0 + 0.2 + (rng() % 50) / 1000.0;
      ev.Add(T(t0), "gw", Level::kInfo, "request started", {{"request_id", id}}, 0);
      double off = replica == 2 ? skew : 0;
      double written = call + 0.05 + off;
      if (replica == 2) written = static_cast<double>(static_cast<int64_t>(written + 1e6) - 1e6);
      ev.Add(T(written), "api", Level::kInfo, "handled", {{"request_id", id}}, replica);
      ev.Add(T(answer), "gw", Level::kInfo, "request done", {{"request_id", id}}, 0);
    }
    DetectorInput in = ev.Input();
    std::vector<const Event*> all = in.events;
    std::vector<std::string> names = {"gw.log", "api-a.log", "api-b.log", "api-c.log"};
    LogSkewReport report = EstimateLogSkew(all, kLogSkewThresholdNs, names);
    std::vector<Finding> fs = DetectLogClockSkew(in, report, names, false);
    ASSERT_EQ(fs.size(), 1u) << "skew " << skew;
    EXPECT_EQ(fs[0].kind, "clock-skew");
    EXPECT_NE(fs[0].title.find("api-b.log"), std::string::npos) << fs[0].title;
    EXPECT_NE(fs[0].title.find(skew < 0 ? "behind" : "ahead of"), std::string::npos) << fs[0].title;
    const HostClock* h = report.Find("api-b.log");
    ASSERT_NE(h, nullptr);
    EXPECT_NEAR(static_cast<double>(h->offset_ns) / kNanosPerSecond, skew, 0.5);
    ASSERT_EQ(fs[0].evidence.size(), 2u);  // a shared request's line on each side
  }
}

TEST(ClockSkewDetectorTest, NothingWhenClocksAgree) {
  Events ev;
  for (int r = 0; r < 30; ++r) {
    std::string id = "r" + std::to_string(r);
    ev.Add(T(r), "gw", Level::kInfo, "start", {{"request_id", id}}, 0);
    ev.Add(T(r + 0.05), "api", Level::kInfo, "handled", {{"request_id", id}}, 1);
    ev.Add(T(r + 0.1), "gw", Level::kInfo, "done", {{"request_id", id}}, 0);
  }
  DetectorInput in = ev.Input();
  std::vector<std::string> names = {"gw.log", "api.log"};
  LogSkewReport report = EstimateLogSkew(in.events, kLogSkewThresholdNs, names);
  EXPECT_TRUE(DetectLogClockSkew(in, report, names, false).empty());
}

}  // namespace
}  // namespace inquest
