#include <gtest/gtest.h>

#include <ostream>

#include "logs/formats.h"
#include "logs/log_file.h"
#include "logs/registry.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

ParseContext Context(Arena* arena) {
  ParseContext ctx;
  ctx.arena = arena;
  ctx.time.default_year = 2026;
  return ctx;
}

// The formats and an arena for the text their events point into.
struct Parser {
  FormatRegistry registry;
  Arena arena;
  LineKind Parse(std::string_view format, std::string_view line, Event* ev, std::string* why) {
    const LogFormat* f = registry.Find(format);
    EXPECT_NE(f, nullptr) << format;
    return f ? f->ParseLine(line, Context(&arena), ev, why) : LineKind::kMalformed;
  }
};

// Names parameterised cases by their `name` field.
template <typename Case>
std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

// One line and the fields every text format fills: level, time, service, host and message.
struct RecordCase {
  const char* name;
  const char* format;
  const char* line;
  Level level;
  const char* time;  // FormatTime(time, 3)
  const char* service;
  const char* host;
  const char* message;
};

void PrintTo(const RecordCase& c, std::ostream* os) { *os << c.format << ": " << c.line; }

class TextRecordTest : public ::testing::TestWithParam<RecordCase> {};

TEST_P(TextRecordTest, FillsTheCoreFields) {
  const RecordCase& c = GetParam();
  Parser parser;
  Event ev;
  std::string why;
  ASSERT_EQ(parser.Parse(c.format, c.line, &ev, &why), LineKind::kRecord) << why;
  EXPECT_EQ(ev.level, c.level);
  EXPECT_EQ(FormatTime(ev.time, 3), c.time);
  EXPECT_EQ(ev.service, c.service);
  EXPECT_EQ(ev.host, c.host);
  EXPECT_EQ(ev.message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, TextRecordTest,
    ::testing::Values(
        RecordCase{"Syslog3164WithPri", "syslog",
                   "<34>Oct 11 22:14:15 mymachine su[77]: 'su root' failed for lonvick",
                   Level::kFatal,  // severity 2, crit
                   "2026-10-11T22:14:15.000Z", "su", "mymachine", "'su root' failed for lonvick"},
        RecordCase{"Syslog3164WithoutHost", "syslog", "Jun  4 01:02:03 kernel: boot",
                   Level::kUnknown, "2026-06-04T01:02:03.000Z", "kernel", "", "boot"},
        RecordCase{"Syslog5424", "syslog-rfc5424",
                   "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                   "[exampleSDID@32473 iut=\"3\" request_id=\"abc\"] An application event",
                   Level::kNotice, "2003-10-11T22:14:15.003Z", "evntslog", "mymachine.example.com",
                   "An application event"},
        RecordCase{"AccessCombinedWithExtras", "access",
                   "10.0.0.7 - alice [29/May/2026:14:11:08 +0000] \"POST /checkout HTTP/1.1\" 503 "
                   "91 \"-\" \"curl/8.0\" rt=4.019 request_id=req-42 \"1.2.3.4\"",
                   Level::kError, "2026-05-29T14:11:08.000Z", "", "", "POST /checkout HTTP/1.1"},
        RecordCase{"AccessCommonWithOffset", "access",
                   "1.2.3.4 - - [29/May/2026:14:11:08 +0200] \"GET /x HTTP/1.0\" 404 -",
                   Level::kWarn, "2026-05-29T12:11:08.000Z", "", "", "GET /x HTTP/1.0"},
        RecordCase{"Log4j", "log4j",
                   "2026-05-29 14:11:08,114 ERROR [http-nio-8080-exec-7] com.shop.PricingClient "
                   "- pool exhausted after 4019 ms",
                   Level::kError, "2026-05-29T14:11:08.114Z", "", "",
                   "pool exhausted after 4019 ms"},
        RecordCase{"Logback", "log4j",
                   "2026-05-29 14:11:08.114 [main] WARN  c.s.CacheLoader - slow", Level::kWarn,
                   "2026-05-29T14:11:08.114Z", "", "", "slow"},
        RecordCase{"Hadoop", "hadoop",
                   "2015-10-18 18:01:47,978 INFO [main] "
                   "org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster",
                   Level::kInfo, "2015-10-18T18:01:47.978Z", "", "", "Created MRAppMaster"},
        RecordCase{"Zookeeper", "zookeeper",
                   "2015-07-29 17:41:44,747 - INFO  "
                   "[QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - "
                   "Notification time out: 3200",
                   Level::kInfo, "2015-07-29T17:41:44.747Z", "", "", "Notification time out: 3200"},
        RecordCase{"TimestampedWithLevel", "timestamped",
                   "2026-05-29T14:11:08Z [warn] disk almost full", Level::kWarn,
                   "2026-05-29T14:11:08.000Z", "", "", "disk almost full"},
        RecordCase{"TimestampedWithoutLevel", "timestamped",
                   "2026-05-29 14:11:08 I think therefore", Level::kUnknown,
                   "2026-05-29T14:11:08.000Z", "", "", "I think therefore"}),
    CaseName<RecordCase>);

// Lines a format must refuse, with a reason.
struct RejectCase {
  const char* name;
  const char* format;
  const char* line;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.format << ": " << c.line; }

class TextRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(TextRejectTest, IsMalformedWithAReason) {
  const RejectCase& c = GetParam();
  Parser parser;
  Event ev;
  std::string why;
  EXPECT_EQ(parser.Parse(c.format, c.line, &ev, &why), LineKind::kMalformed);
  EXPECT_FALSE(why.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Formats, TextRejectTest,
    ::testing::Values(RejectCase{"SyslogPriOutOfRange", "syslog", "<999>Jun  4 01:02:03 h p: x"},
                      RejectCase{"SyslogProse", "syslog", "hello world"},
                      RejectCase{"Syslog5424UnterminatedData", "syslog-rfc5424",
                                 "<13>1 2003-10-11T22:14:15Z h a p m [unterminated"},
                      RejectCase{"AccessStatusNotANumber", "access",
                                 "1.2.3.4 - - [29/May/2026:14:11:08 +0200] \"GET /x\" abc 1"},
                      RejectCase{"Log4jStackFrame", "log4j", "\tat com.shop.Foo.bar(Foo.java:12)"},
                      RejectCase{
                          "HadoopWithoutLoggerColon", "hadoop",
                          "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.App started"},
                      RejectCase{"ZookeeperWithoutDashAfterTime", "zookeeper",
                                 "2015-07-29 17:41:44,747 INFO [main:A@1] - x"}),
    CaseName<RejectCase>);

// What is particular to each format: its attributes and correlation ids.
class TextFormatsTest : public ::testing::Test {
 protected:
  Event Record(std::string_view format, std::string_view line) {
    Event ev;
    std::string why;
    EXPECT_EQ(parser_.Parse(format, line, &ev, &why), LineKind::kRecord) << why;
    return ev;
  }
  std::string Detect(std::string_view data) {
    Detection d = parser_.registry.Detect(data, Context(&parser_.arena));
    return d.format ? std::string(d.format->name()) : "none";
  }
  Parser parser_;
};

TEST_F(TextFormatsTest, SyslogFacilityPidAndAssumedYear) {
  Event e = Record("syslog", "<34>Oct 11 22:14:15 mymachine su[77]: 'su root' failed for lonvick");
  EXPECT_EQ(e.Attribute("facility"), "auth");
  EXPECT_EQ(e.Attribute("pid"), "77");
  EXPECT_TRUE(e.year_assumed);
}

// A zone written after the time is read, not taken for the host; an application's level
// opening the message is the record's level; key=value tokens become attributes and ids.
TEST_F(TextFormatsTest, SyslogZoneLevelWordAndMessageFields) {
  Event e = Record("syslog",
                   "Sep 25 00:32:00 MST ip-10-100-114-111 orders[9562]: INFO request started "
                   "req_id=be6f9087 path=/pay");
  EXPECT_EQ(e.host, "ip-10-100-114-111");
  EXPECT_EQ(e.service, "orders");
  EXPECT_FALSE(e.zone_assumed);
  EXPECT_EQ(FormatTime(e.time, 0), "2026-09-25T07:32:00Z");  // MST is UTC-7
  EXPECT_EQ(e.level, Level::kInfo);
  EXPECT_EQ(e.message, "request started req_id=be6f9087 path=/pay");
  EXPECT_EQ(e.request_id, "be6f9087");
  // PRI's severity stands; the message stays whole.
  Event p = Record("syslog", "<11>Sep 25 00:32:00 host app: INFO not the level");
  EXPECT_EQ(p.level, Level::kError);
  EXPECT_EQ(p.message, "INFO not the level");
  // A word that is no zone is the host, as before.
  Event h = Record("syslog", "Sep 25 00:32:00 DBX app: ok");
  EXPECT_EQ(h.host, "DBX");
  EXPECT_TRUE(h.zone_assumed);
}

// "Sep 10 02:51:47 GMT ERROR pid=..." starts like syslog with a zone, but the word after the
// zone is a level: no host is named like one, so it is not syslog (layout inference reads it).
TEST_F(TextFormatsTest, SyslogRejectsALevelWhereTheHostGoes) {
  Event ev;
  std::string why;
  EXPECT_EQ(
      parser_.Parse("syslog", "Sep 10 02:51:47 GMT ERROR pid=22762 request failed", &ev, &why),
      LineKind::kMalformed);
  EXPECT_NE(why.find("'ERROR' after the timestamp is a level"), std::string::npos) << why;
  EXPECT_EQ(parser_.Parse("syslog", "Sep 10 02:51:47 info worker[3]: started", &ev, &why),
            LineKind::kMalformed);
  // A syslog severity digit is not a word: a host named "7" stays a host.
  EXPECT_EQ(Record("syslog", "Sep 10 02:51:47 7 app: ok").host, "7");
}

TEST_F(TextFormatsTest, Syslog5424StructuredData) {
  Event e = Record("syslog-rfc5424",
                   "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                   "[exampleSDID@32473 iut=\"3\" request_id=\"abc\"] An application event");
  EXPECT_EQ(e.Attribute("msgid"), "ID47");
  EXPECT_EQ(e.Attribute("iut"), "3");
  EXPECT_EQ(e.request_id, "abc");
  EXPECT_EQ(e.Attribute("request_id"), "");       // a correlation id, not also an attribute
  Record("syslog-rfc5424", "<13>1 - - - - - -");  // every header field nil
}

TEST_F(TextFormatsTest, AccessLogExtrasAndRequestId) {
  Event e = Record("access",
                   "10.0.0.7 - alice [29/May/2026:14:11:08 +0000] \"POST /checkout HTTP/1.1\" "
                   "503 91 \"-\" \"curl/8.0\" rt=4.019 request_id=req-42 service=edge "
                   "\"1.2.3.4\"");
  EXPECT_EQ(e.request_id, "req-42");
  EXPECT_EQ(e.Attribute("rt"), "4.019");
  EXPECT_EQ(e.Attribute("method"), "POST");
  EXPECT_EQ(e.Attribute("path"), "/checkout");
  EXPECT_EQ(e.Attribute("user"), "alice");
  EXPECT_EQ(e.Attribute("forwarded_for"), "1.2.3.4");
  // Extras may add ids; the message and service come from the access-log fields only.
  EXPECT_EQ(e.Attribute("service"), "edge");
  EXPECT_EQ(e.service, "");
}

TEST_F(TextFormatsTest, AccessLogQuotedFieldsWithEscapesLongAndCut) {
  // Escaped quotes and backslashes, before and after the first 32 bytes of a field.
  std::string agent = "Mozilla/5.0 (X11; Linux x86_64) \\\"quoted\\\" AppleWebKit/537.36 \\\\";
  // The event's fields point into the line: it lives as long as they are read.
  const std::string line =
      "10.0.0.7 - - [29/May/2026:14:11:08 +0000] \"GET /a\\\"b HTTP/1.1\" 200 5 "
      "\"https://x.example/\" \"" +
      agent + "\" rt=0.1";
  Event e = Record("access", line);
  EXPECT_EQ(e.Attribute("path"), "/a\\\"b");
  EXPECT_EQ(e.Attribute("agent"), agent);
  EXPECT_EQ(e.Attribute("rt"), "0.1");
  // A user agent cut off at the end of the line takes the rest of it.
  e = Record("access",
             "10.0.0.7 - - [29/May/2026:14:11:08 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
             "\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 cut \\");
  EXPECT_EQ(e.Attribute("agent"), "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 cut \\");
}

TEST(FindEitherTest, FirstOfTwoBytesAtAnyPosition) {
  std::string s(100, 'x');
  for (size_t at = 0; at < s.size(); ++at) {
    std::string t = s;
    t[at] = '"';
    EXPECT_EQ(FindEither(t, 0, '"', '\\'), at);
    EXPECT_EQ(FindEither(t, at, '"', '\\'), at);
    EXPECT_EQ(FindEither(t, at + 1, '"', '\\'), t.size());
  }
  EXPECT_EQ(FindEither("", 0, 'a', 'b'), 0u);
  EXPECT_EQ(FindEither("abc", 5, 'a', 'b'), 5u);  // from past the end: from
}

TEST_F(TextFormatsTest, Log4jFamilyThreadAndLogger) {
  Event e = Record("log4j",
                   "2026-05-29 14:11:08,114 ERROR [http-nio-8080-exec-7] com.shop.PricingClient - "
                   "pool exhausted after 4019 ms");
  EXPECT_EQ(e.Attribute("thread"), "http-nio-8080-exec-7");
  EXPECT_EQ(e.Attribute("logger"), "com.shop.PricingClient");
  EXPECT_TRUE(e.zone_assumed);
  e = Record("hadoop",
             "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: "
             "Created MRAppMaster");
  EXPECT_EQ(e.Attribute("thread"), "main");
  EXPECT_EQ(e.Attribute("logger"), "org.apache.hadoop.mapreduce.v2.app.MRAppMaster");
  e = Record("zookeeper",
             "2015-07-29 17:41:44,747 - INFO  "
             "[QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - x");
  EXPECT_EQ(e.Attribute("thread"), "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181");
  EXPECT_EQ(e.Attribute("logger"), "FastLeaderElection");
  EXPECT_EQ(e.Attribute("source_line"), "774");
}

TEST_F(TextFormatsTest, DetectionPicksTheSpecificFormat) {
  EXPECT_EQ(Detect("2026-05-29 14:11:08,114 INFO [main] com.A - x\n"
                   "2026-05-29 14:11:09,114 ERROR [main] com.A - y\n"),
            "log4j");
  EXPECT_EQ(Detect("ts=2026-05-29T14:11:08Z level=info msg=hi\n"), "logfmt");
  EXPECT_EQ(Detect("{\"ts\":\"2026-05-29T14:11:08Z\"}\n"), "jsonl");
  EXPECT_EQ(Detect("2026-05-29T14:11:08Z something happened\n"), "timestamped");
  EXPECT_EQ(Detect("just some prose\nwith no times\n"), "none");
}

TEST(LogReaderTest, FoldsJavaAndPythonTraces) {
  FormatRegistry reg;
  std::string data =
      "2026-05-29 14:11:08,114 ERROR [main] com.A - boom\n"
      "java.lang.IllegalStateException: pool exhausted\n"
      "\tat com.A.run(A.java:10)\n"
      "Caused by: java.io.IOException: x\n"
      "\t... 12 more\n"
      "2026-05-29 14:11:09,000 INFO [main] com.A - next\n"
      "Traceback (most recent call last):\n"
      "  File \"a.py\", line 1, in <module>\n"
      "ValueError: bad\n"
      "this line is nothing\n";
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  IssueLog issues("t.log");
  LogReader r(data, *reg.Find("log4j"), ctx, 0, &issues);
  Event ev;
  ASSERT_TRUE(r.Next(&ev));
  EXPECT_EQ(ev.message, "boom");
  EXPECT_EQ(ev.extra_lines, 4u);
  EXPECT_TRUE(ev.raw.ends_with("... 12 more"));
  ASSERT_TRUE(r.Next(&ev));
  EXPECT_EQ(ev.message, "next");
  EXPECT_EQ(ev.line, 6u);
  EXPECT_EQ(ev.extra_lines, 3u);
  EXPECT_FALSE(r.Next(&ev));
  EXPECT_EQ(issues.count(), 1u);
  EXPECT_EQ(issues.samples()[0].line, 10u);
  EXPECT_EQ(r.continuation_lines(), 7u);
  EXPECT_EQ(r.records(), 2u);
}

TEST(LogReaderTest, RunawayTraceIsCut) {
  FormatRegistry reg;
  std::string data = "2026-05-29 14:11:08,114 ERROR [main] com.A - boom\n";
  for (uint32_t i = 0; i < kMaxRecordLines + 10; ++i) data += "\tat x\n";
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  IssueLog issues("t.log");
  LogReader r(data, *reg.Find("log4j"), ctx, 0, &issues);
  Event ev;
  ASSERT_TRUE(r.Next(&ev));
  EXPECT_LT(ev.extra_lines, kMaxRecordLines);
  ASSERT_TRUE(r.Next(&ev));
  EXPECT_EQ(ev.time, kNoTime);
}

}  // namespace
}  // namespace inquest
