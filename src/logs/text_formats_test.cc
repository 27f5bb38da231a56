#include <gtest/gtest.h>

#include "logs/formats.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {
namespace {

struct Parsed {
  LineKind kind;
  Event ev;
  std::string why;
};

Parsed ParseWith(const FormatRegistry& reg, std::string_view format, std::string_view line,
                 Arena* arena) {
  ParseContext ctx;
  ctx.arena = arena;
  ctx.time.default_year = 2026;
  Parsed p;
  const LogFormat* f = reg.Find(format);
  EXPECT_NE(f, nullptr) << format;
  p.kind = f ? f->ParseLine(line, ctx, &p.ev, &p.why) : LineKind::kMalformed;
  return p;
}

class TextFormatsTest : public ::testing::Test {
 protected:
  Parsed P(std::string_view format, std::string_view line) {
    return ParseWith(reg_, format, line, &arena_);
  }
  std::string Detect(std::string_view data) {
    ParseContext ctx;
    ctx.arena = &arena_;
    Detection d = reg_.Detect(data, ctx);
    return d.format ? std::string(d.format->name()) : "none";
  }
  FormatRegistry reg_;
  Arena arena_;
};

TEST_F(TextFormatsTest, Syslog3164WithPriAndWithoutHost) {
  Parsed p = P("syslog", "<34>Oct 11 22:14:15 mymachine su[77]: 'su root' failed for lonvick");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(p.ev.level, Level::kFatal);  // severity 2, crit
  EXPECT_EQ(p.ev.Attribute("facility"), "auth");
  EXPECT_EQ(p.ev.host, "mymachine");
  EXPECT_EQ(p.ev.service, "su");
  EXPECT_EQ(p.ev.Attribute("pid"), "77");
  EXPECT_EQ(p.ev.message, "'su root' failed for lonvick");
  EXPECT_TRUE(p.ev.year_assumed);
  EXPECT_EQ(FormatTime(p.ev.time, 0), "2026-10-11T22:14:15Z");
  p = P("syslog", "Jun  4 01:02:03 kernel: boot");
  ASSERT_EQ(p.kind, LineKind::kRecord);
  EXPECT_EQ(p.ev.host, "");
  EXPECT_EQ(p.ev.service, "kernel");
  EXPECT_EQ(P("syslog", "<999>Jun  4 01:02:03 h p: x").kind, LineKind::kMalformed);
  EXPECT_EQ(P("syslog", "hello world").kind, LineKind::kMalformed);
}

TEST_F(TextFormatsTest, Syslog5424) {
  Parsed p = P("syslog-rfc5424",
               "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
               "[exampleSDID@32473 iut=\"3\" request_id=\"abc\"] An application event");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(p.ev.level, Level::kNotice);
  EXPECT_EQ(p.ev.host, "mymachine.example.com");
  EXPECT_EQ(p.ev.service, "evntslog");
  EXPECT_EQ(p.ev.Attribute("msgid"), "ID47");
  EXPECT_EQ(p.ev.Attribute("iut"), "3");
  EXPECT_EQ(p.ev.request_id, "abc");
  EXPECT_EQ(p.ev.message, "An application event");
  EXPECT_EQ(FormatTime(p.ev.time, 3), "2003-10-11T22:14:15.003Z");
  p = P("syslog-rfc5424", "<13>1 - - - - - -");
  EXPECT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(P("syslog-rfc5424", "<13>1 2003-10-11T22:14:15Z h a p m [unterminated").kind,
            LineKind::kMalformed);
}

TEST_F(TextFormatsTest, AccessLogExtrasAndRequestId) {
  Parsed p = P("access",
               "10.0.0.7 - alice [29/May/2026:14:11:08 +0000] \"POST /checkout HTTP/1.1\" 503 "
               "91 \"-\" \"curl/8.0\" rt=4.019 request_id=req-42 \"1.2.3.4\"");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(p.ev.level, Level::kError);
  EXPECT_EQ(p.ev.request_id, "req-42");
  EXPECT_EQ(p.ev.Attribute("rt"), "4.019");
  EXPECT_EQ(p.ev.Attribute("method"), "POST");
  EXPECT_EQ(p.ev.Attribute("path"), "/checkout");
  EXPECT_EQ(p.ev.Attribute("user"), "alice");
  EXPECT_EQ(p.ev.Attribute("forwarded_for"), "1.2.3.4");
  p = P("access", "1.2.3.4 - - [29/May/2026:14:11:08 +0200] \"GET /x HTTP/1.0\" 404 -");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;  // common log format
  EXPECT_EQ(p.ev.level, Level::kWarn);
  EXPECT_EQ(FormatTime(p.ev.time, 0), "2026-05-29T12:11:08Z");
  EXPECT_EQ(P("access", "1.2.3.4 - - [29/May/2026:14:11:08 +0200] \"GET /x\" abc 1").kind,
            LineKind::kMalformed);
}

TEST_F(TextFormatsTest, Log4jAndLogback) {
  Parsed p = P("log4j",
               "2026-05-29 14:11:08,114 ERROR [http-nio-8080-exec-7] com.shop.PricingClient - "
               "pool exhausted after 4019 ms");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(p.ev.level, Level::kError);
  EXPECT_EQ(p.ev.Attribute("thread"), "http-nio-8080-exec-7");
  EXPECT_EQ(p.ev.Attribute("logger"), "com.shop.PricingClient");
  EXPECT_EQ(p.ev.message, "pool exhausted after 4019 ms");
  EXPECT_TRUE(p.ev.zone_assumed);
  p = P("log4j", "2026-05-29 14:11:08.114 [main] WARN  c.s.CacheLoader - slow");
  ASSERT_EQ(p.kind, LineKind::kRecord) << p.why;
  EXPECT_EQ(p.ev.level, Level::kWarn);
  EXPECT_EQ(p.ev.message, "slow");
  EXPECT_EQ(P("log4j", "\tat com.shop.Foo.bar(Foo.java:12)").kind, LineKind::kMalformed);
}

TEST_F(TextFormatsTest, TimestampPrefixFallback) {
  Parsed p = P("timestamped", "2026-05-29T14:11:08Z [warn] disk almost full");
  ASSERT_EQ(p.kind, LineKind::kRecord);
  EXPECT_EQ(p.ev.level, Level::kWarn);
  EXPECT_EQ(p.ev.message, "disk almost full");
  p = P("timestamped", "2026-05-29 14:11:08 I think therefore");
  EXPECT_EQ(p.ev.level, Level::kUnknown);
  EXPECT_EQ(p.ev.message, "I think therefore");
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
