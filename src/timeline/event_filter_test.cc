#include "timeline/event_filter.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

Event Make(Level level, std::string_view service, std::vector<Attr> attrs = {}) {
  Event e;
  e.time = 100 * kNanosPerSecond;
  e.level = level;
  e.service = service;
  e.raw = "the raw record with req-42 inside";
  e.attrs = std::move(attrs);
  return e;
}

TEST(WhereTest, ParsesOperators) {
  auto w = ParseWhere("status>=500");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->field, "status");
  EXPECT_EQ(w->op, WhereClause::Op::kGe);
  EXPECT_EQ(w->value, "500");
  ASSERT_TRUE(ParseWhere("service!=nginx").ok());
  EXPECT_EQ(ParseWhere("service!=nginx")->op, WhereClause::Op::kNe);
  EXPECT_EQ(ParseWhere("a<3")->op, WhereClause::Op::kLt);
  EXPECT_EQ(ParseWhere("a==3")->value, "3");
  EXPECT_FALSE(ParseWhere("nonsense").ok());
  EXPECT_FALSE(ParseWhere("=x").ok());
  EXPECT_FALSE(ParseWhere("level>=loud").ok());
}

TEST(WhereTest, ComparesNumbersLevelsAndText) {
  Event e = Make(Level::kWarn, "checkout", {{"status", "503"}, {"path", "/cart"}});
  EXPECT_TRUE(ParseWhere("status>=500")->Matches(e));
  EXPECT_FALSE(ParseWhere("status<500")->Matches(e));
  EXPECT_TRUE(ParseWhere("status=503.0")->Matches(e));
  EXPECT_TRUE(ParseWhere("level>=warn")->Matches(e));
  EXPECT_FALSE(ParseWhere("level>=error")->Matches(e));
  EXPECT_TRUE(ParseWhere("service=checkout")->Matches(e));
  EXPECT_TRUE(ParseWhere("path!=/login")->Matches(e));
  // An absent field is neither above nor below a number.
  EXPECT_FALSE(ParseWhere("latency>=1")->Matches(e));
  EXPECT_FALSE(ParseWhere("latency<1")->Matches(e));
}

TEST(EventFilterTest, CombinesEveryCondition) {
  EventFilter f;
  EXPECT_TRUE(f.empty());
  f.since = 50 * kNanosPerSecond;
  f.until = 150 * kNanosPerSecond;
  f.services = {"Checkout"};
  f.min_level = Level::kWarn;
  f.grep = "req-42";
  ASSERT_TRUE(f.SetGrepRegex(R"(req-\d+)").ok());
  EXPECT_FALSE(f.empty());
  Event e = Make(Level::kError, "checkout");
  EXPECT_TRUE(f.Matches(e));
  Event info = Make(Level::kInfo, "checkout");
  EXPECT_FALSE(f.Matches(info));
  Event other = Make(Level::kError, "pricing");
  EXPECT_FALSE(f.Matches(other));
  Event late = e;
  late.time = 150 * kNanosPerSecond;  // until is exclusive
  EXPECT_FALSE(f.Matches(late));
  Event no_time = e;
  no_time.time = kNoTime;
  EXPECT_FALSE(f.Matches(no_time));
  f.grep = "req-43";
  EXPECT_FALSE(f.Matches(e));
  EXPECT_FALSE(f.SetGrepRegex("(unclosed").ok());
}

}  // namespace
}  // namespace inquest
