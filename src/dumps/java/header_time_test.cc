#include "dumps/java/header_time.h"

#include <gtest/gtest.h>

#include <string>

#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace header_time_test {

std::string Read(std::string_view line, std::string* zone = nullptr) {
  HeaderTime t;
  if (!ReadLocalHeaderTime(line, &t)) return "unread";
  if (zone) *zone = t.zone;
  return FormatTime(t.time, 0) + (t.zone_assumed ? "" : " (offset applied)");
}

TEST(HeaderTimeTest, ReadsTheLocalSpellingsOfADate) {
  // Year first with other separators; Windows %date% %time% (day first, a fraction); US order
  // told by a day over 12; AM/PM.
  EXPECT_EQ(Read("2021/11/29 06:26:33"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("29.11.2021  6:26:33,12"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("Mon 11/29/2021  6:26:33.12"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("11/29/2021 06:26:33 PM"), "2021-11-29T18:26:33Z");
  EXPECT_EQ(Read("2021. 11. 29. (월) 오후 06:26:33"), "2021-11-29T18:26:33Z");
  // date(1) in other locales: names of months and days, the zone kept to be applied later.
  std::string zone;
  EXPECT_EQ(Read("lun. 29 nov. 2021 06:26:33 CET", &zone), "2021-11-29T06:26:33Z");
  EXPECT_EQ(zone, "CET");
  EXPECT_EQ(Read("Mo 29. Nov 06:26:33 CET 2021"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("lunes, 29 de noviembre de 2021, 06:26:33 CET"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("seg 29 nov 2021 06:26:33 -03"), "2021-11-29T09:26:33Z (offset applied)");
  EXPECT_EQ(Read("пн 29 ноя 2021 06:26:33 MSK", &zone), "2021-11-29T06:26:33Z");
  EXPECT_EQ(zone, "MSK");
  EXPECT_EQ(Read("2021年 11月 29日 星期一 06:26:33 CST"), "2021-11-29T06:26:33Z");
  EXPECT_EQ(Read("2021年11月29日 6時26分33秒"), "2021-11-29T06:26:33Z");
  // "mar" is Tuesday as well as March: the word after the weekday is the month.
  EXPECT_EQ(Read("mar. 30 nov. 2021 06:26:33 CET"), "2021-11-30T06:26:33Z");
  EXPECT_EQ(Read("mar 30 mar 2021 06:26:33"), "2021-03-30T06:26:33Z");
  // jstack's own line still reads as before.
  EXPECT_EQ(Read("2025-12-21 11:28:04"), "2025-12-21T11:28:04Z");
}

TEST(HeaderTimeTest, DoesNotGuessAndSaysWhatLooksLikeATime) {
  EXPECT_EQ(Read("11/10/2021 06:26:33"), "unread");  // 11 October or 10 November
  EXPECT_EQ(Read("2021/13/45 06:26:33"), "unread");
  EXPECT_EQ(Read("Thread dump at 2021/11/29 06:26:33"), "unread");
  EXPECT_EQ(Read("JNI global refs: 5, weak refs: 0"), "unread");
  EXPECT_TRUE(LooksLikeTimeLine("11/10/2021 06:26:33"));
  EXPECT_TRUE(LooksLikeTimeLine("2021/13/45 06:26:33"));
  EXPECT_FALSE(LooksLikeTimeLine("Full thread dump OpenJDK 64-Bit Server VM (25+36-LTS):"));
  EXPECT_FALSE(LooksLikeTimeLine("\"main\" #1 prio=5 elapsed=0.61s 12:30"));
  EXPECT_FALSE(LooksLikeTimeLine("JNI global refs: 5, weak refs: 0"));
  EXPECT_FALSE(LooksLikeTimeLine("06:26:33"));  // a clock alone: no date to be unreadable
  // A console log's line before a SIGQUIT dump is not the dump's time line.
  EXPECT_FALSE(LooksLikeTimeLine("2021-11-29 06:26:33,123 INFO [main] c.a.Server - started up"));
}

// A real dump with its header time line replaced: read when it is a time in another spelling,
// said to be unreadable (with its line) when it is not, never "no timestamp".
TEST(HeaderTimeTest, TheDumpSaysWhatItDidWithItsTimeLine) {
  std::string whole = ReadTestFile(TestFixturesDir() + "/dumps/java/dumpling/openjdk-1.8.log");
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  ASSERT_TRUE(whole.starts_with("2014-08-10 04:08:44\n"));
  std::string body = whole.substr(whole.find('\n'));
  auto analyze = [&](std::string_view line) {
    Result<DumpAnalysis> a =
        JavaThreadDumpReader().analyze("t.log", std::string(line) + body, DumpOptions{});
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : DumpAnalysis{};
  };
  DumpAnalysis a = analyze("2014/08/10 04:08:44");
  EXPECT_EQ(FormatTime(a.time, 0), "2014-08-10T04:08:44Z");
  EXPECT_TRUE(a.time_source.starts_with("the dump's own timestamp")) << a.time_source;
  a = analyze("So 10. Aug 04:08:44 CEST 2014");
  EXPECT_EQ(FormatTime(a.time, 0), "2014-08-10T02:08:44Z");  // CEST applied
  a = analyze("10/08/2014 04:08:44");
  EXPECT_NE(a.time_source.find("unreadable timestamp '10/08/2014 04:08:44' on line 1"),
            std::string::npos)
      << a.time_source;
  EXPECT_EQ(a.time_source.find("no timestamp"), std::string::npos);
}

}  // namespace header_time_test
}  // namespace inquest
