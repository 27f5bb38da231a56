#include "logs/user_format.h"

#include <gtest/gtest.h>

#include "logs/log_file.h"

namespace inquest {
namespace {

TEST(StrftimeTest, Patterns) {
  TimeContext ctx;
  ParsedTime pt;
  ASSERT_TRUE(ParseWithStrftime("2026-05-29 14:11:08", "%Y-%m-%d %H:%M:%S", ctx, &pt));
  EXPECT_EQ(FormatTime(pt.time, 0), "2026-05-29T14:11:08Z");
  EXPECT_TRUE(pt.zone_assumed);
  ASSERT_TRUE(ParseWithStrftime("29/May/2026:14:11:08.250 +0200", "%d/%b/%Y:%T.%f %z", ctx, &pt));
  EXPECT_EQ(FormatTime(pt.time, 3), "2026-05-29T12:11:08.250Z");
  EXPECT_FALSE(pt.zone_assumed);
  ctx.default_year = 2024;
  ASSERT_TRUE(ParseWithStrftime("May 29 14:11:08", "%b %e %T", ctx, &pt));
  EXPECT_TRUE(pt.year_assumed);
  EXPECT_EQ(YearOf(pt.time), 2024);
  EXPECT_FALSE(ParseWithStrftime("2026-13-01", "%F", ctx, &pt));
  EXPECT_FALSE(ParseWithStrftime("2026-05-29 extra", "%F", ctx, &pt));
  EXPECT_FALSE(ParseWithStrftime("", "%Y", ctx, &pt));
}

TEST(UserFormatTest, RegexGroupsBecomeFields) {
  Result<std::unique_ptr<LogFormat>> f = NewUserFormat(
      "checkout",
      R"(^(?P<time>\S+ \S+) \[(?P<level>\w+)\] (?P<service>\w+) rid=(?P<request_id>\S+) )"
      R"(shard=(?P<shard>\d+) (?P<body>.*)$)",
      "%Y-%m-%d %H:%M:%S");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  Event ev;
  std::string why;
  ASSERT_EQ((*f)->ParseLine("2026-05-29 14:11:08 [ERROR] checkout rid=r-9 shard=3 pool exhausted",
                            ctx, &ev, &why),
            LineKind::kRecord)
      << why;
  EXPECT_EQ(ev.level, Level::kError);
  EXPECT_EQ(ev.service, "checkout");
  EXPECT_EQ(ev.request_id, "r-9");
  EXPECT_EQ(ev.Attribute("shard"), "3");
  EXPECT_EQ(ev.message, "pool exhausted");
  EXPECT_EQ(FormatTime(ev.time, 0), "2026-05-29T14:11:08Z");
  ev.Clear();
  EXPECT_EQ((*f)->ParseLine("nothing like it", ctx, &ev, &why), LineKind::kMalformed);
}

TEST(UserFormatTest, BadDefinitionsAreErrors) {
  EXPECT_FALSE(NewUserFormat("a", "(unclosed", "").ok());
  EXPECT_FALSE(NewUserFormat("a", "(?P<level>\\w+)", "").ok());  // no time group
  EXPECT_FALSE(NewUserFormat("a", "(?P<time>\\S+)", "dd/mm").ok());
}

TEST(UserFormatTest, ConfigRegistersFormatsFirstAndAddsFieldNames) {
  Result<Config> c = ParseConfig(R"(
[fields]
request_id = ["x-req"]

[formats.myapp]
regex = '^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?P<level>\w+) (?P<message>.*)$'
time-format = "%Y-%m-%d %H:%M:%S"
)",
                                 "inquest.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  FormatRegistry reg;
  FieldNames fields;
  ASSERT_TRUE(ApplyLogsConfig(*c, &reg, &fields).ok());
  EXPECT_EQ(fields.RoleOf("x-req"), FieldRole::kRequestId);
  ASSERT_NE(reg.Find("myapp"), nullptr);
  EXPECT_EQ(reg.formats().front()->name(), "myapp");
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ctx.fields = &fields;
  Detection d = reg.Detect("2026-05-29 14:11:08 ERROR boom\n2026-05-29 14:11:09 INFO ok\n", ctx);
  ASSERT_NE(d.format, nullptr);
  EXPECT_EQ(d.format->name(), "myapp");
  Result<Config> bad = ParseConfig("[formats.x]\nregex = '(?P<time>'\n", "inquest.toml");
  ASSERT_TRUE(bad.ok());
  Status s = ApplyLogsConfig(*bad, &reg, &fields);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("[formats.x]"), std::string::npos);
}

}  // namespace
}  // namespace inquest
