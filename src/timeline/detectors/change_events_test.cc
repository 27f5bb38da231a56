#include "timeline/detectors/change_events.h"

#include <gtest/gtest.h>

#include <string>

#include "timeline/detectors/detector_test_util.h"

namespace inquest {
namespace {

using testing_util::Events;
using testing_util::T;

// A line logged every five minutes all morning is routine; a one-off config reload is not; a
// line that says nothing changed is no change at all.
TEST(ChangeEventsTest, RoutineLinesAreDemotedAndNoOpsAreNotChanges) {
  Events ev;
  for (int i = 0; i < 12; ++i)
    ev.Add(T(i * 300), "web", Level::kInfo,
           "feature flags refreshed (" + std::to_string(40 + i) + " flags)");
  ev.Add(T(3590), "web", Level::kInfo, "reloaded config from /etc/web.yaml");
  ev.Add(T(3595), "web", Level::kInfo, "reloaded config: no keys changed");
  DetectorInput in = ev.Input();
  std::vector<Change> lifted = LiftChangeEvents(in, T(3600));
  ASSERT_EQ(lifted.size(), 13u);
  size_t routine = 0;
  for (const Change& c : lifted) {
    EXPECT_EQ(c.what.find("no keys changed"), std::string::npos);
    if (c.what.find("feature flags refreshed") != std::string::npos) {
      EXPECT_NEAR(c.prior, kLiftedPrior * kRoutinePrior, 1e-9);
      EXPECT_NE(c.prior_reason.find("routine"), std::string::npos);
      ++routine;
    } else {
      EXPECT_NEAR(c.prior, kLiftedPrior, 1e-9);
    }
  }
  EXPECT_EQ(routine, 12u);
}

}  // namespace
}  // namespace inquest
