// Java thread dump timestamps on the UTC clock: a zone written after the timestamp line or
// inside a date(1)-style line is applied; without one, --assume-tz or UTC, said either way.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/time.h"
#include "dumps/java/java_readers.h"
#include "dumps/java/thread_dump_parser.h"
#include "tests/support/test_time.h"

namespace inquest {
namespace {

std::string Dump(std::string_view time_line) {
  return fmt::format(
      "{}\n"
      "Full thread dump OpenJDK 64-Bit Server VM (21.0.1+12-LTS mixed mode, sharing):\n"
      "\n"
      "\"main\" #1 prio=5 os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x1 nid=0x2 runnable\n"
      "   java.lang.Thread.State: RUNNABLE\n"
      "\tat com.acme.Main.main(Main.java:1)\n"
      "\n",
      time_line);
}

DumpAnalysis Analyze(std::string_view text, const DumpOptions& o = {}) {
  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("t.txt", text, o);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? *a : DumpAnalysis{};
}

TEST(ThreadDumpZoneTest, ZonesWrittenWithTheTimestampAreApplied) {
  struct Case {
    std::string_view line, utc, zone_words;
  } cases[] = {
      {"2025-12-21 11:28:04 CET", "2025-12-21T10:28:04Z", "zone CET"},
      {"2025-07-21 11:28:04 W. Europe Standard Time", "2025-07-21T09:28:04Z",
       "zone W. Europe Standard Time"},
      {"2025-07-21 11:28:04 America/New_York", "2025-07-21T15:28:04Z", "zone America/New_York"},
      {"Thu Oct 21 14:29:11 CEST 2010", "2010-10-21T12:29:11Z", "zone CEST"},
      {"2025-12-21 11:28:04 UTC+05:30", "2025-12-21T05:58:04Z", "the dump's own timestamp"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    std::vector<std::string> diags;
    std::vector<JavaThreadDump> dumps = ParseJavaThreadDumps(Dump(c.line), &diags);
    ASSERT_EQ(dumps.size(), 1u);
    DumpAnalysis a = Analyze(Dump(c.line));
    EXPECT_EQ(a.time, Utc(c.utc)) << a.time_source;
    EXPECT_NE(a.time_source.find(c.zone_words), std::string::npos) << a.time_source;
  }
}

TEST(ThreadDumpZoneTest, ZoneLessTimestampsFollowAssumeTz) {
  std::string text = Dump("2025-12-21 11:28:04");
  DumpAnalysis utc = Analyze(text);
  EXPECT_EQ(utc.time, Utc("2025-12-21T11:28:04Z"));
  EXPECT_EQ(utc.time_source, "the dump's own timestamp (written without a zone, read as UTC)");
  TimeZone tokyo = *TimeZone::Parse("Asia/Tokyo");
  DumpOptions o;
  o.zone = &tokyo;
  DumpAnalysis local = Analyze(text, o);
  EXPECT_EQ(local.time, Utc("2025-12-21T02:28:04Z"));
  EXPECT_NE(local.time_source.find("read in Asia/Tokyo as --assume-tz says"), std::string::npos);
  // An ambiguous abbreviation with the timestamp: flagged, and --assume-tz picks the meaning.
  DumpAnalysis ist = Analyze(Dump("2025-12-21 11:28:04 IST"));
  EXPECT_EQ(ist.time, Utc("2025-12-21T05:58:04Z"));
  ASSERT_FALSE(ist.diagnostics.empty());
  EXPECT_NE(ist.diagnostics.back().find("IST is ambiguous"), std::string::npos);
  TimeZone jerusalem = *TimeZone::Parse("Asia/Jerusalem");
  o.zone = &jerusalem;
  EXPECT_EQ(Analyze(Dump("2025-12-21 11:28:04 IST"), o).time, Utc("2025-12-21T09:28:04Z"));
}

// A line that starts like a timestamp but goes on with words that are not a zone is not taken
// for the dump's time.
TEST(ThreadDumpZoneTest, WordsAfterATimeThatAreNoZoneAreNotATimestamp) {
  std::vector<std::string> diags;
  std::vector<JavaThreadDump> dumps =
      ParseJavaThreadDumps(Dump("2025-12-21 11:28:04 starting the dump now"), &diags);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].time, kNoTime);
}

}  // namespace
}  // namespace inquest
