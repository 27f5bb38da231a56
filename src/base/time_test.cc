#include "base/time.h"

#include <gtest/gtest.h>

#include <ctime>

namespace inquest {
namespace {

// Reference conversion through the C library, independent of the parsers under test.
TimePoint Ref(int y, int mo, int d, int h, int mi, int s, int64_t ns = 0, int off_s = 0) {
  struct tm tm = {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return (static_cast<int64_t>(timegm(&tm)) - off_s) * kNanosPerSecond + ns;
}

TimePoint Parse(std::string_view s, const TimeContext& ctx = {}) {
  ParsedTime pt;
  if (!ParseTimePrefix(s, ctx, &pt)) return kNoTime;
  return pt.time;
}

TEST(TimeTest, Rfc3339Variants) {
  EXPECT_EQ(Parse("2026-05-29T14:11:08.114Z"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
  EXPECT_EQ(Parse("2026-05-29 14:11:08.114Z"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
  EXPECT_EQ(Parse("2026-05-29T14:11:08Z"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("2026-05-29T14:11:08.123456789Z"), Ref(2026, 5, 29, 14, 11, 8, 123456789));
  EXPECT_EQ(Parse("2026-05-29T14:11:08.1Z"), Ref(2026, 5, 29, 14, 11, 8, 100000000));
  // More than nine fractional digits: the extra ones are dropped, not an error.
  EXPECT_EQ(Parse("2026-05-29T14:11:08.1234567891Z"), Ref(2026, 5, 29, 14, 11, 8, 123456789));
  EXPECT_EQ(Parse("2026-05-29T16:11:08+02:00"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("2026-05-29T07:11:08-0700"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("2026-05-29T16:11:08+02"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("2026-05-29 14:11:08 UTC"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("2026-05-29 14:11:08,114 INFO x"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
}

TEST(TimeTest, ZoneLessTimesAreMarkedAssumed) {
  ParsedTime pt;
  ASSERT_TRUE(ParseTimePrefix("2026-05-29 14:11:08,114 INFO", {}, &pt));
  EXPECT_TRUE(pt.zone_assumed);
  EXPECT_EQ(pt.consumed, 23u);
  ASSERT_TRUE(ParseTimePrefix("2026-05-29T14:11:08Z", {}, &pt));
  EXPECT_FALSE(pt.zone_assumed);
}

TEST(TimeTest, AssumedZoneIsApplied) {
  Result<TimeZone> plus2 = TimeZone::Parse("+02:00");
  ASSERT_TRUE(plus2.ok());
  TimeContext ctx;
  ctx.zone = &*plus2;
  EXPECT_EQ(Parse("2026-05-29 16:11:08", ctx), Ref(2026, 5, 29, 14, 11, 8));
  // An explicit zone in the text wins over the assumption.
  EXPECT_EQ(Parse("2026-05-29T14:11:08Z", ctx), Ref(2026, 5, 29, 14, 11, 8));
}

TEST(TimeTest, NamedZoneFollowsDaylightSaving) {
  Result<TimeZone> cph = TimeZone::Parse("Europe/Copenhagen");
  if (!cph.ok()) GTEST_SKIP() << "no zoneinfo on this machine";
  TimeContext ctx;
  ctx.zone = &*cph;
  EXPECT_EQ(Parse("2026-01-15 12:00:00", ctx), Ref(2026, 1, 15, 11, 0, 0));  // CET, +1
  EXPECT_EQ(Parse("2026-07-15 12:00:00", ctx), Ref(2026, 7, 15, 10, 0, 0));  // CEST, +2
  EXPECT_FALSE(TimeZone::Parse("Mars/Olympus").ok());
}

TEST(TimeTest, Epochs) {
  EXPECT_EQ(Parse("1780063868"), Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_EQ(Parse("1780063868.114"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
  EXPECT_EQ(Parse("1780063868114"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
  EXPECT_EQ(Parse("1780063868114000"), Ref(2026, 5, 29, 14, 11, 8, 114000000));
  EXPECT_EQ(Parse("1780063868114000123"), Ref(2026, 5, 29, 14, 11, 8, 114000123));
  ParsedTime pt;
  EXPECT_FALSE(ParseEpoch("12345", &pt));         // not a plausible epoch length
  EXPECT_FALSE(ParseEpoch("17800638681x", &pt));  // junk after digits
  // Values past int64 nanoseconds are not epochs (and must not overflow).
  EXPECT_FALSE(ParseEpoch("9999999999", &pt));
  EXPECT_FALSE(ParseEpoch("9999999999999999999", &pt));
  EXPECT_FALSE(ParseEpoch("9999999999999", &pt));
}

TEST(TimeTest, ApacheAndNginx) {
  EXPECT_EQ(Parse("[10/Oct/2000:13:55:36 -0700] \"GET"), Ref(2000, 10, 10, 20, 55, 36));
  ParsedTime pt;
  ASSERT_TRUE(ParseClf("29/May/2026:14:11:08 +0000", {}, &pt));
  EXPECT_EQ(pt.time, Ref(2026, 5, 29, 14, 11, 8));
  EXPECT_FALSE(pt.zone_assumed);
}

TEST(TimeTest, SyslogWithoutYear) {
  TimeContext ctx;
  ctx.default_year = 2005;
  ParsedTime pt;
  ASSERT_TRUE(ParseTimePrefix("Jun 14 15:16:01 combo sshd", ctx, &pt));
  EXPECT_EQ(pt.time, Ref(2005, 6, 14, 15, 16, 1));
  EXPECT_TRUE(pt.year_assumed);
  ASSERT_TRUE(ParseTimePrefix("Jun  4 05:06:07 host", ctx, &pt));
  EXPECT_EQ(pt.time, Ref(2005, 6, 4, 5, 6, 7));
  EXPECT_EQ(pt.consumed, 15u);
}

TEST(TimeTest, Log4jAndLoghubFamilies) {
  EXPECT_EQ(Parse("2015-10-18 18:01:47,978 INFO [main]"), Ref(2015, 10, 18, 18, 1, 47, 978000000));
  EXPECT_EQ(Parse("081109 203615 148 INFO dfs"), Ref(2008, 11, 9, 20, 36, 15));
  EXPECT_EQ(Parse("17/06/09 20:10:40 INFO executor"), Ref(2017, 6, 9, 20, 10, 40));
  EXPECT_EQ(Parse("[Sun Dec 04 04:47:44 2005] [notice]"), Ref(2005, 12, 4, 4, 47, 44));
  EXPECT_EQ(Parse("Sun Dec  4 04:47:44 2005"), Ref(2005, 12, 4, 4, 47, 44));
}

TEST(TimeTest, RejectsNonTimes) {
  for (std::string_view s :
       {"", "hello", "2026-13-01T00:00:00Z", "2026-05-32T00:00:00Z", "2026-05-29T25:00:00Z",
        "Foo 14 15:16:01", "[10/Oct/2000:13:55:36", "2026-05-29T14:11:08Zulu", "99/99/99 99:99:99"})
    EXPECT_EQ(Parse(s), kNoTime) << s;
}

TEST(TimeTest, YearsATimePointCannotHoldAreRejected) {
  EXPECT_EQ(Parse("9762-05-29T14:11:08Z"), kNoTime);
  EXPECT_EQ(Parse("1000-01-01 00:00:00"), kNoTime);
  EXPECT_EQ(Parse("[29/May/9999:14:11:08 +0000]"), kNoTime);
  EXPECT_EQ(Parse("Sun Dec 04 04:47:44 9999"), kNoTime);
  EXPECT_FALSE(ParseUserTime("3000-01-01").ok());
  EXPECT_EQ(Parse("2261-12-31T23:59:59Z"), Ref(2261, 12, 31, 23, 59, 59));
  TimeContext ctx;
  ctx.default_year = 9999;  // never applied: out of range
  ParsedTime pt;
  ASSERT_TRUE(ParseSyslogTime("Jun 14 15:16:01", ctx, &pt));
  EXPECT_EQ(pt.time, Ref(1970, 6, 14, 15, 16, 1));
}

TEST(TimeTest, FormatRoundTrip) {
  TimePoint t = Ref(2026, 5, 29, 14, 11, 8, 114000000);
  EXPECT_EQ(FormatTime(t), "2026-05-29T14:11:08.114000000Z");
  EXPECT_EQ(FormatTime(t, 3), "2026-05-29T14:11:08.114Z");
  EXPECT_EQ(FormatTime(t, 0), "2026-05-29T14:11:08Z");
  EXPECT_EQ(FormatClock(t), "14:11:08.114");
  EXPECT_EQ(Parse(FormatTime(t)), t);
  EXPECT_EQ(FormatTime(Ref(1969, 12, 31, 23, 59, 59, 500000000), 1), "1969-12-31T23:59:59.5Z");
}

TEST(TimeTest, DaysFromCivilMatchesTimegm) {
  for (int y : {1970, 1999, 2000, 2024, 2100})
    for (int m = 1; m <= 12; ++m)
      EXPECT_EQ(DaysFromCivil(y, m, 28) * 86400 * kNanosPerSecond, Ref(y, m, 28, 0, 0, 0));
}

TEST(TimeTest, Durations) {
  EXPECT_EQ(*ParseDuration("1m"), 60 * kNanosPerSecond);
  EXPECT_EQ(*ParseDuration("250ms"), 250 * kNanosPerMilli);
  EXPECT_EQ(*ParseDuration("1.5s"), 1500 * kNanosPerMilli);
  EXPECT_EQ(*ParseDuration("30"), 30 * kNanosPerSecond);
  EXPECT_FALSE(ParseDuration("5 parsecs").ok());
  EXPECT_FALSE(ParseDuration("0s").ok());
  EXPECT_EQ(FormatDuration(4019 * kNanosPerMilli), "4019ms");
  EXPECT_EQ(FormatDuration(6 * 60 * kNanosPerSecond), "6m00s");
}

TEST(TimeTest, UserTimes) {
  EXPECT_EQ(*ParseUserTime("2026-05-29T14:11:00Z"), Ref(2026, 5, 29, 14, 11, 0));
  EXPECT_EQ(*ParseUserTime("2026-05-29"), Ref(2026, 5, 29, 0, 0, 0));
  Result<TimePoint> bad = ParseUserTime("yesterday-ish");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ExitCode(), 2);
}

}  // namespace
}  // namespace inquest
