// hs_err times on the UTC clock: the zone each log writes (after the time on a "Time:" line, or
// on a "timezone:" line) is applied, ambiguous abbreviations take their documented default and
// are flagged, and --assume-tz covers logs that write none.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/time.h"
#include "base/zone_table.h"
#include "dumps/java/hs_err.h"
#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"
#include "tests/support/test_time.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::string utc;    // the instant, worked out by hand from the lines named
  bool zone_written;  // the log names its zone
  bool ambiguous;     // ... with an abbreviation of several meanings
};

// Every dated file of the krashpad set. Each comment names the line(s) that give the time and
// the zone, and the arithmetic.
const std::map<std::string, Expected>& Table() {
  static const std::map<std::string, Expected> t = {
      // 373 "time: Tue Nov 10 10:20:10 2020", 374 "timezone: +08": 10:20:10 - 8h.
      {"28", {"2020-11-10T02:20:10Z", true, false}},
      // 696 "time: Mon Oct 19 08:47:24 2020", 697 "timezone: UTC".
      {"31", {"2020-10-19T08:47:24Z", true, false}},
      // 303 "time: Wed Dec 16 17:22:51 2020", 304 "timezone: UTC".
      {"34", {"2020-12-16T17:22:51Z", true, false}},
      // 282 "time: Thu Nov  1 12:31:00 2020", 283 "timezone: EDT" (UTC-4): +4h.
      {"37", {"2020-11-01T16:31:00Z", true, false}},
      // 47 "time: Thu May  7 17:24:12 2020", 48 "timezone: UTC".
      {"4", {"2020-05-07T17:24:12Z", true, false}},
      // 501 "time: Thu Aug 27 07:54:45 2020", 502 "timezone: CDT": ambiguous (Cuba writes CDT
      // too), the default is US Central daylight (UTC-5): +5h.
      {"40", {"2020-08-27T12:54:45Z", true, true}},
      // 904 "time: Fri Oct 25 16:25:33 2019", no zone anywhere: read as UTC and said.
      {"43", {"2019-10-25T16:25:33Z", false, false}},
      // 691 "time: Thu May  7 17:24:12 2020", 692 "timezone: UTC".
      {"46", {"2020-05-07T17:24:12Z", true, false}},
      // 246 "time: Mon Jan 11 09:46:05 2021", no zone: read as UTC and said.
      {"49", {"2021-01-11T09:46:05Z", false, false}},
      // 1122 "time: Wed Feb  3 18:01:03 2021", 1123 "timezone: CET" (UTC+1): -1h.
      {"52", {"2021-02-03T17:01:03Z", true, false}},
      // 175 "time: Thu Feb 25 14:14:53 2021", 176 "timezone: CST": ambiguous, the default is
      // US Central (UTC-6): +6h.
      {"55", {"2021-02-25T20:14:53Z", true, true}},
      // 482 "time: Wed Mar 17 16:45:42 2021", 483 "timezone: CET" (UTC+1): -1h.
      {"58", {"2021-03-17T15:45:42Z", true, false}},
      // 501 "time: Mon Aug 30 16:25:26 2021", 502 "timezone: UTC".
      {"61", {"2021-08-30T16:25:26Z", true, false}},
      // 245 "time: Thu Oct  7 17:01:47 2021", 246 "timezone: CEST" (UTC+2): -2h.
      {"67", {"2021-10-07T15:01:47Z", true, false}},
      // 22 "Time: Mon Nov 29 06:26:33 2021 EST elapsed time: ..." (UTC-5): +5h.
      {"70", {"2021-11-29T11:26:33Z", true, false}},
      // 516 "time: Wed May 11 07:34:32 2022", 517 "timezone: PET" (Peru, UTC-5): +5h.
      {"76", {"2022-05-11T12:34:32Z", true, false}},
      // 33 "Time: Mon Aug 22 18:38:16 2022 IDT elapsed time: ..." (Israel daylight, UTC+3): -3h.
      {"79", {"2022-08-22T15:38:16Z", true, false}},
      // 22 "Time: Wed Sep 28 11:06:07 2022 W. Australia Standard Time elapsed time: ...": the
      // Windows name of Australia/Perth, UTC+8 (no DST in 2022): -8h.
      {"82", {"2022-09-28T03:06:07Z", true, false}},
      // 22 "Time: Wed Nov 19 11:35:33 2025 UTC elapsed time: ...".
      {"94", {"2025-11-19T11:35:33Z", true, false}},
  };
  return t;
}

std::string HsErrDir() { return TestFixturesDir() + "/dumps/hs_err"; }

TEST(HsErrZoneTest, EveryDatedFileIsOnTheRightInstant) {
  if (!fs::exists(HsErrDir())) GTEST_SKIP() << "fixtures not present: " << HsErrDir();
  size_t dated = 0;
  for (const auto& e : fs::directory_iterator(HsErrDir())) {
    std::string name = e.path().filename().string();
    std::string num = name.substr(16, name.size() - 20);  // krashpad-dataset<N>.txt
    SCOPED_TRACE(name);
    std::string text = ReadTestFile(e.path());
    HsErrLog log = ParseHsErr(text, nullptr);
    auto it = Table().find(num);
    if (it == Table().end()) {
      // Undated files must really have no time line.
      EXPECT_EQ(log.time, kNoTime) << log.time_text;
      continue;
    }
    ++dated;
    const Expected& x = it->second;
    Result<DumpAnalysis> a = HsErrReader().analyze(e.path().string(), text, DumpOptions{});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(FormatTime(a->time, 0), x.utc) << a->time_source;
    // The verdict is on the same UTC instant as the dump, not on its wall clock.
    ASSERT_FALSE(a->verdicts.empty());
    EXPECT_EQ(a->verdicts.front().time, a->time) << e.path();
    EXPECT_EQ(!log.time_zone.empty(), x.zone_written) << log.time_zone;
    if (x.zone_written) {
      EXPECT_NE(a->time_source.find("zone " + log.time_zone), std::string::npos) << a->time_source;
    } else {
      EXPECT_NE(a->time_source.find("written without a zone, read as UTC"), std::string::npos)
          << a->time_source;
    }
    bool flagged = false;
    for (const std::string& d : a->diagnostics)
      flagged |= d.find("is ambiguous") != std::string::npos;
    EXPECT_EQ(flagged, x.ambiguous) << a->time_source;
    EXPECT_EQ(a->time_source.find("is ambiguous") != std::string::npos, x.ambiguous);
  }
  EXPECT_EQ(dated, Table().size());
}

// --assume-tz chooses among an ambiguous abbreviation's meanings (CST as China's) and gives the
// zone of a log that writes none; a log's own offset is never overridden.
TEST(HsErrZoneTest, AssumeTzResolvesAmbiguityAndFillsMissingZones) {
  if (!fs::exists(HsErrDir())) GTEST_SKIP() << "fixtures not present: " << HsErrDir();
  auto analyze = [&](std::string_view num, const TimeZone& zone) {
    fs::path p = fs::path(HsErrDir()) / fmt::format("krashpad-dataset{}.txt", num);
    DumpOptions o;
    o.zone = &zone;
    Result<DumpAnalysis> a = HsErrReader().analyze(p.string(), ReadTestFile(p), o);
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : DumpAnalysis{};
  };
  TimeZone shanghai = *TimeZone::Parse("Asia/Shanghai");
  DumpAnalysis cst = analyze("55", shanghai);
  EXPECT_EQ(cst.time, Utc("2021-02-25T06:14:53Z")) << cst.time_source;
  EXPECT_NE(cst.time_source.find("matches --assume-tz Asia/Shanghai"), std::string::npos)
      << cst.time_source;
  // A zone that matches no meaning of CST: the default, still flagged.
  TimeZone paris = *TimeZone::Parse("Europe/Paris");
  DumpAnalysis cst_paris = analyze("55", paris);
  EXPECT_EQ(cst_paris.time, Utc("2021-02-25T20:14:53Z"));
  EXPECT_NE(cst_paris.time_source.find("documented default"), std::string::npos);
  // No zone written: Europe/Paris applies (CEST, UTC+2, on 2019-10-25).
  DumpAnalysis none = analyze("43", paris);
  EXPECT_EQ(none.time, Utc("2019-10-25T14:25:33Z")) << none.time_source;
  EXPECT_NE(none.time_source.find("read in Europe/Paris"), std::string::npos);
  // Written as +08: the assumed zone does not matter.
  DumpAnalysis plus8 = analyze("28", paris);
  EXPECT_EQ(plus8.time, Utc("2020-11-10T02:20:10Z"));
}

// A zone the table does not know is said, not silently dropped; a user's [zones] row fixes it.
TEST(HsErrZoneTest, UnknownZoneIsSaidAndTheUserTableResolvesIt) {
  std::string text =
      "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
      "#  SIGSEGV (0xb) at pc=0x0000000000000001, pid=1, tid=2\n#\n"
      "---------------  S U M M A R Y ------------\n\n"
      "Time: Mon Mar  2 10:00:00 2026 XYZT elapsed time: 1 seconds (0d 0h 0m 1s)\n\nEND.\n";
  Result<DumpAnalysis> a = HsErrReader().analyze("x.log", text, DumpOptions{});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->time, Utc("2026-03-02T10:00:00Z"));
  EXPECT_NE(a->time_source.find("\"XYZT\" (line 8) is not known"), std::string::npos)
      << a->time_source;
  ASSERT_FALSE(a->diagnostics.empty());
  EXPECT_NE(a->diagnostics.back().find("x.log: time zone \"XYZT\""), std::string::npos);

  ZoneTable table = ZoneTable::Builtin();
  toml::table cfg = toml::parse("[zones]\nXYZT = \"+03:00\"\n");
  ASSERT_TRUE(table.AddFromConfig(cfg, "inquest.toml").ok());
  DumpOptions o;
  o.zones = &table;
  Result<DumpAnalysis> b = HsErrReader().analyze("x.log", text, o);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->time, Utc("2026-03-02T07:00:00Z")) << b->time_source;
}

// A wall-clock time that a DST change skipped or repeated is resolved by the documented rule and
// said.
TEST(HsErrZoneTest, TimesInAGapOrFoldAreResolvedAndSaid) {
  auto make = [](std::string_view when) {
    return fmt::format(
        "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
        "#  SIGSEGV (0xb) at pc=0x0000000000000001, pid=1, tid=2\n#\n"
        "time: {}\ntimezone: Romance Standard Time\nEND.\n",
        when);
  };
  // 2026-03-29 02:30 never happened in Paris: read with CET (+01:00).
  Result<DumpAnalysis> gap = HsErrReader().analyze("g.log", make("Sun Mar 29 02:30:00 2026"), {});
  ASSERT_TRUE(gap.ok());
  EXPECT_EQ(gap->time, Utc("2026-03-29T01:30:00Z"));
  EXPECT_NE(gap->time_source.find("never happened in Europe/Paris"), std::string::npos)
      << gap->time_source;
  // 2026-10-25 02:30 happened twice: the first, CEST (+02:00).
  Result<DumpAnalysis> fold = HsErrReader().analyze("f.log", make("Sun Oct 25 02:30:00 2026"), {});
  ASSERT_TRUE(fold.ok());
  EXPECT_EQ(fold->time, Utc("2026-10-25T00:30:00Z"));
  EXPECT_NE(fold->time_source.find("happened twice"), std::string::npos) << fold->time_source;
  bool said = false;
  for (const std::string& d : fold->diagnostics) said |= d.find("happened twice") != d.npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace inquest
