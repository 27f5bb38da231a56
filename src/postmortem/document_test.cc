#include "postmortem/document.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "postmortem/pm_test_util.h"
#include "postmortem/pm_time.h"

namespace inquest {
namespace {

TEST(PmDocumentTest, ReadsThePrimersWorkedExample) {
  std::string text = PrimerWorkedExample();
  if (text.empty()) GTEST_SKIP() << "no primer at " << PrimerPath();
  Result<PmDocument> r = ParsePmDocument(text, "primer.md");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const PmDocument& d = *r;
  EXPECT_EQ(d.title.text, "Checkout cache stampede");
  EXPECT_EQ(d.title.line, 1);
  EXPECT_EQ(d.sev.text, "SEV-2");
  EXPECT_EQ(d.sev_level, 2);
  EXPECT_EQ(d.date.text, "2026-05-29");
  EXPECT_EQ(d.status.text, "Final");
  EXPECT_EQ(d.author.text, "checkout on-call");
  EXPECT_EQ(d.reviewers.text, "pricing, SRE");
  EXPECT_EQ(d.trigger.text, "TTL 30s→300s deploy.");
  EXPECT_NE(d.summary.text.find("cache stampede on pricing-service"), std::string::npos);
  EXPECT_EQ(d.timeline_zone.text, "UTC");

  ASSERT_EQ(d.timeline.size(), 7u);
  EXPECT_EQ(d.timeline[0].time_text, "13:58");
  EXPECT_EQ(d.timeline[0].event, "PR #4412 merged: cache TTL 30s → 300s.");
  EXPECT_EQ(FormatTime(d.timeline[0].time, 0), "2026-05-29T13:58:00Z");
  EXPECT_EQ(d.timeline[1].source, "deploy bot");
  EXPECT_EQ(d.timeline[3].time_text, "14:11:30");
  EXPECT_EQ(d.timeline[3].source, "Tempo trace 9f2…");
  EXPECT_EQ(d.timeline[0].line + 6, d.timeline[6].line);
  for (const TimelineRow& row : d.timeline) {
    EXPECT_TRUE(row.has_clock) << row.time_text;
    EXPECT_FALSE(row.zone_not_utc);
    EXPECT_FALSE(row.zone_assumed);
  }

  ASSERT_EQ(d.actions.size(), 4u);
  EXPECT_EQ(d.actions[0].id, "AI-1");
  EXPECT_EQ(d.actions[0].action, "Add singleflight to pricing origin fetch");
  EXPECT_EQ(d.actions[0].owner, "pricing");
  EXPECT_EQ(d.actions[0].due, "2026-06-12");
  EXPECT_EQ(d.actions[0].status, "open");
  EXPECT_TRUE(d.actions[0].from_table);
  EXPECT_FALSE(d.actions[0].has_ticket_column);
  EXPECT_EQ(d.actions[3].action, "Alert on pricing DB pool > 80% for 5m");
  EXPECT_EQ(d.actions[3].due, "2026-06-05");
  EXPECT_EQ(d.actions[1].line, d.actions[0].line + 1);

  EXPECT_GE(d.FindSection({"causal analysis"}), 0);
  EXPECT_EQ(d.sections[d.FindSection({"impact"})].heading, "Impact");
  EXPECT_GT(d.words, 300);
}

TEST(PmDocumentTest, StatedTimesServicesAndTasklistItems) {
  const char* md =
      "# Incident: Queue backlog\n"
      "Severity: SEV-3    Date: 2026-02-03\n"
      "\n"
      "## Details\n"
      "- Started: 09:58 UTC\n"
      "- Detected: 2026-02-03 10:04\n"
      "- Resolved: 11:30 UTC\n"
      "- Services: billing, queue-worker\n"
      "\n"
      "## Action items\n"
      "- [x] Add a lag alert on the billing queue > 5 min; owner: billing on-call; due "
      "2026-02-10 (OPS-12)\n"
      "- [ ] DevEx will pin the worker image, see https://example.com/t/9\n";
  Result<PmDocument> r = ParsePmDocument(md, "doc.md");
  ASSERT_TRUE(r.ok());
  const PmDocument& d = *r;
  EXPECT_EQ(d.title.text, "Queue backlog");
  EXPECT_EQ(d.sev.text, "SEV-3");
  EXPECT_EQ(d.date.text, "2026-02-03");
  EXPECT_EQ(FormatTime(d.started.time, 0), "2026-02-03T09:58:00Z");
  EXPECT_FALSE(d.started.zone_assumed);
  EXPECT_EQ(FormatTime(d.detected.time, 0), "2026-02-03T10:04:00Z");
  EXPECT_TRUE(d.detected.zone_assumed);
  EXPECT_EQ(d.detected.field.line, 6);
  EXPECT_EQ(FormatTime(d.resolved.time, 0), "2026-02-03T11:30:00Z");
  ASSERT_EQ(d.services.size(), 2u);
  EXPECT_EQ(d.services[1].text, "queue-worker");
  ASSERT_EQ(d.actions.size(), 2u);
  EXPECT_EQ(d.actions[0].status, "done");
  EXPECT_EQ(d.actions[0].owner, "billing on-call");
  EXPECT_EQ(d.actions[0].due, "2026-02-10");
  EXPECT_EQ(d.actions[0].ticket, "OPS-12");
  EXPECT_EQ(d.actions[0].line, 11);
  EXPECT_EQ(d.actions[1].status, "open");
  EXPECT_EQ(d.actions[1].owner, "DevEx");
  EXPECT_EQ(d.actions[1].ticket, "https://example.com/t/9");
}

TEST(PmDocumentTest, TimelineTableWithZoneInHeaderAndPlaceholders) {
  const char* md =
      "# X\n\n## Timeline\n\n"
      "| Date and Time in CET | Event | Source |\n"
      "|---|---|---|\n"
      "| 2020-01-20 13:50 | disk full | node log |\n"
      "| 2020-01-22 HH:mm | pod killed |  |\n"
      "| 10:39 | restarted | chat |\n";
  Result<PmDocument> r = ParsePmDocument(md, "t.md");
  ASSERT_TRUE(r.ok());
  const PmDocument& d = *r;
  EXPECT_EQ(d.timeline_zone.text, "CET");
  EXPECT_TRUE(d.timeline_has_source_column);
  ASSERT_EQ(d.timeline.size(), 3u);
  EXPECT_EQ(FormatTime(d.timeline[0].time, 0), "2020-01-20T12:50:00Z");  // CET is UTC+1
  EXPECT_TRUE(d.timeline[0].zone_not_utc);
  EXPECT_EQ(d.timeline[0].source, "node log");
  EXPECT_FALSE(d.timeline[1].has_clock);
  EXPECT_TRUE(d.timeline[1].has_date);
  EXPECT_EQ(d.timeline[1].source, "");
  // A clock without a date takes the previous row's date.
  EXPECT_EQ(FormatTime(d.timeline[2].time, 0), "2020-01-22T09:39:00Z");
  EXPECT_EQ(d.timeline[2].line, 9);
}

TEST(PmDocumentTest, TimedSubHeadingsInAnotherZone) {
  const char* md =
      "# Y\n\n## Timeline (times in BST)\n\n### July 11, 2025, 12:42 PM\nIncident declared\n\n"
      "### 1:06 PM\n- first\n- second\n";
  Result<PmDocument> r = ParsePmDocument(md, "t.md");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->timeline.size(), 2u);
  EXPECT_EQ(FormatTime(r->timeline[0].time, 0), "2025-07-11T11:42:00Z");
  EXPECT_EQ(r->timeline[0].event, "Incident declared");
  EXPECT_EQ(FormatTime(r->timeline[1].time, 0), "2025-07-11T12:06:00Z");
  EXPECT_EQ(r->timeline[1].event, "first second");
  EXPECT_TRUE(r->timeline[1].zone_not_utc);
}

TEST(PmDocumentTest, HeadingsInCodeBlocksAreNotSections) {
  Result<PmDocument> r =
      ParsePmDocument("# T\n\n```\n## Not a heading\n```\n\n## Real\ntext\n", "c.md");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->sections.size(), 2u);
  EXPECT_EQ(r->sections[1].heading, "Real");
  EXPECT_TRUE(r->sections[0].has_code);
}

TEST(PmDocumentTest, BinaryAndHugeInputAreBadInput) {
  std::string binary("# T\n\0\x01\x02", 7);
  Result<PmDocument> r = ParsePmDocument(binary, "b.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
  EXPECT_TRUE(r.status().where().has_offset);
  EXPECT_EQ(r.status().where().byte_offset, 4u);
  EXPECT_NE(r.status().ToString().find("b.bin"), std::string::npos);

  std::string huge(kMaxPmDocumentBytes + 1, 'a');
  r = ParsePmDocument(huge, "huge.md");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
}

TEST(PmDocumentTest, InvalidUtf8AndBrokenTablesStillParse) {
  std::string md = "# T \xff\xfe\n\n## Action items\n| ID | Action |\n|--|\n| AI-1 | x | y | z |\n";
  Result<PmDocument> r = ParsePmDocument(md, "u.md");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->title.text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

TEST(PmDocumentTest, MissingFileIsAnErrorNamingIt) {
  Result<PmDocument> r = ReadPmDocument("/nonexistent/pm.md");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("/nonexistent/pm.md"), std::string::npos);
}

TEST(PmTimeTest, FormsPeopleWrite) {
  PmTimeText t = ReadPmTime("14:11:30 UTC pricing p99");
  EXPECT_TRUE(t.has_clock);
  EXPECT_FALSE(t.has_date);
  EXPECT_EQ(t.zone, "UTC");
  EXPECT_EQ(t.hour * 3600 + t.minute * 60 + t.second, 14 * 3600 + 11 * 60 + 30);

  t = ReadPmTime("2:35 PM");
  EXPECT_EQ(t.hour, 14);
  t = ReadPmTime("12:10 AM");
  EXPECT_EQ(t.hour, 0);
  t = ReadPmTime("14:12 ALERT fires");  // capitals after a clock are text, not a zone
  EXPECT_TRUE(t.has_clock);
  EXPECT_TRUE(t.zone.empty());
  t = ReadPmTime("11 July 2025 09:00 +02:00");
  EXPECT_TRUE(t.has_date);
  EXPECT_EQ(t.month, 7);
  EXPECT_EQ(t.offset_seconds, 7200);
  t = ReadPmTime("25:99");
  EXPECT_FALSE(t.found());
  t = ReadPmTime("No time here");
  EXPECT_FALSE(t.found());
  int offset = 0;
  EXPECT_TRUE(PmZoneOffset("UTC+1", &offset));
  EXPECT_EQ(offset, 3600);
  EXPECT_FALSE(PmZoneOffset("IST", &offset));  // ambiguous: India, Israel, Ireland
}

}  // namespace
}  // namespace inquest
