#include "base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace inquest {
namespace {

TEST(ResultTest, ValueOfAnErrorThrowsWithTheStatus) {
  Result<int> r = Status::BadInput("log.txt:3: no timestamp");
  ASSERT_FALSE(r.ok());
  try {
    (void)r.value();
    FAIL() << "no exception";
  } catch (const UncheckedResultError& e) {
    EXPECT_NE(std::string(e.what()).find("log.txt:3: no timestamp"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)*r, UncheckedResultError);
  EXPECT_THROW((void)std::move(r).value(), UncheckedResultError);
}

TEST(ResultTest, ValueOfASuccessIsTheValue) {
  Result<std::string> r = std::string("ok");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "ok");
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(std::move(r).value(), "ok");
}

}  // namespace
}  // namespace inquest
