// Test helper: an instant written as text ("2026-03-02T10:00:00Z", "2021-02-25T06:14:53Z").
#ifndef INQUEST_TESTS_SUPPORT_TEST_TIME_H_
#define INQUEST_TESTS_SUPPORT_TEST_TIME_H_

#include <gtest/gtest.h>

#include <string_view>

#include "base/time.h"

namespace inquest {

// The UTC instant `iso` names; a text that does not parse fails the test and gives kNoTime.
inline TimePoint Utc(std::string_view iso) {
  Result<TimePoint> t = ParseUserTime(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : kNoTime;
}

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_TEST_TIME_H_
