#include "timeline/detection_records.h"

#include <gtest/gtest.h>

#include "evidence/flat_records.h"
#include "evidence/record_corpus_test_util.h"

namespace inquest {
namespace {

TEST(DetectionRecordsTest, AlertsPagesTicketsAndBadLines) {
  InputFile f = InputFile::FromString(
      R"({"startsAt":"2026-05-29T14:12:04Z","status":"firing","labels":{"alertname":"CheckoutErrorRateHigh","service":"checkout"},"annotations":{"summary":"checkout error rate > 5% for 1m"}})"
      "\n"
      R"({"startsAt":"2026-05-29T14:12:04Z","endsAt":"2026-05-29T14:19:04Z","status":"resolved","labels":{"alertname":"CheckoutErrorRateHigh"}})"
      "\n"
      R"({"created_at":"2026-05-29T14:12:10Z","incident":"INC-1","event":"acknowledged","summary":"ack","service":"checkout"})"
      "\n"
      R"({"opened":"2026-05-29T14:11:31Z","ticket":"SUP-1","channel":"chat","summary":"checkout spins"})"
      "\n"
      "not json at all\n"
      R"({"ticket":"SUP-2","summary":"no time"})"
      "\n"
      R"({"opened":"2026-05-29T14:20:00Z","ticket":)"
      "\n",
      "records.jsonl");
  IssueLog issues("records.jsonl");
  std::vector<Signal> s =
      ReadDetectionRecords(f, "exports/r.jsonl", DetectionSource::kUnknown, {}, &issues);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(issues.count(), 3u);
  // Time order: the ticket came first.
  EXPECT_EQ(s[0].kind, Signal::Kind::kTicket);
  EXPECT_TRUE(s[0].from_customer);
  EXPECT_EQ(s[0].name, "SUP-1");
  EXPECT_EQ(s[0].evidence.source, "exports/r.jsonl:4");
  EXPECT_EQ(s[1].kind, Signal::Kind::kAlert);
  EXPECT_EQ(s[1].name, "CheckoutErrorRateHigh");
  EXPECT_EQ(s[1].summary, "checkout error rate > 5% for 1m");
  EXPECT_EQ(s[1].service, "checkout");
  EXPECT_EQ(s[1].status, "firing");
  EXPECT_FALSE(s[1].from_customer);
  EXPECT_EQ(s[2].kind, Signal::Kind::kPage);
  EXPECT_EQ(s[2].status, "acknowledged");
  // A resolved alert sits at its end.
  EXPECT_EQ(s[3].status, "resolved");
  ParsedTime pt;
  ASSERT_TRUE(ParseTimeValue("2026-05-29T14:19:04Z", {}, &pt));
  EXPECT_EQ(s[3].time, pt.time);
}

TEST(DetectionRecordsTest, DeepNestingAndEmptyInputAreSafe) {
  std::string deep = "{\"ts\":\"2026-05-29T14:00:00Z\",\"alertname\":\"A\",\"x\":";
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 200; ++i) deep += "}";
  deep += "}\n";
  IssueLog issues("x");
  std::vector<Signal> s = ReadDetectionRecords(InputFile::FromString(deep, "x"), "x",
                                               DetectionSource::kAlert, {}, &issues);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].name, "A");
  EXPECT_TRUE(ReadDetectionRecords(InputFile::FromString("", "e"), "e", DetectionSource::kAlert, {},
                                   &issues)
                  .empty());
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

std::vector<Signal> ReadGenerated(const testing::GeneratedFile& f, IssueLog* issues) {
  return ReadDetectionRecords(InputFile::FromString(f.data, f.name), f.name,
                              DetectionSource::kUnknown, {}, issues);
}

// Every generated alert, page, ticket and chat export: every record read, of its kind, with a
// time, a name or summary; no issues.
TEST(DetectionRecordsTest, GeneratedExportsOfEveryShape) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    testing::RecordCorpus corpus(seed);
    struct Case {
      testing::GeneratedFile file;
      Signal::Kind kind;
    };
    for (const Case& c : {Case{corpus.AlertmanagerWebhook(), Signal::Kind::kAlert},
                          Case{corpus.AlertmanagerApi(), Signal::Kind::kAlert},
                          Case{corpus.AlertLines(), Signal::Kind::kAlert},
                          Case{corpus.PagerDutyLogEntries(), Signal::Kind::kPage},
                          Case{corpus.OpsgenieLogs(), Signal::Kind::kPage},
                          Case{corpus.TicketsJson(), Signal::Kind::kTicket},
                          Case{corpus.TicketsCsv(), Signal::Kind::kTicket},
                          Case{corpus.SlackExport(), Signal::Kind::kChat}}) {
      IssueLog issues(c.file.name);
      std::vector<Signal> s = ReadGenerated(c.file, &issues);
      size_t records = ReadRecordTable(c.file.data).records.size();
      ASSERT_GT(records, 0u) << c.file.name;
      EXPECT_EQ(s.size(), records) << "seed " << seed << " " << c.file.name;
      EXPECT_EQ(issues.count(), 0u) << "seed " << seed << " " << c.file.name;
      for (const Signal& sig : s) {
        EXPECT_EQ(sig.kind, c.kind)
            << "seed " << seed << " " << c.file.name << " " << sig.evidence.excerpt;
        // Every generated time lies within the hour after 14:00Z.
        EXPECT_GE(sig.time, 1780063200LL * kNanosPerSecond) << c.file.name;
        EXPECT_LT(sig.time, 1780070400LL * kNanosPerSecond) << c.file.name;
        EXPECT_FALSE(sig.name.empty() && sig.summary.empty()) << c.file.name;
        EXPECT_EQ(sig.from_customer, c.kind == Signal::Kind::kTicket) << c.file.name;
      }
    }
  }
}

TEST(DetectionRecordsTest, AlertmanagersZeroEndMeansStillFiring) {
  InputFile f = InputFile::FromString(
      R"({"receiver":"r","status":"firing","alerts":[)"
      R"({"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-05-29T14:12:04Z","endsAt":"0001-01-01T00:00:00Z"},)"
      R"({"status":"resolved","labels":{"alertname":"B"},"startsAt":"2026-05-29T14:00:00Z","endsAt":"2026-05-29T14:30:00Z"}]})"
      "\n",
      "am.json");
  IssueLog issues("am.json");
  std::vector<Signal> s =
      ReadDetectionRecords(f, "am.json", DetectionSource::kUnknown, {}, &issues);
  ASSERT_EQ(s.size(), 2u);
  ParsedTime start, end;
  ASSERT_TRUE(ParseTimeValue("2026-05-29T14:12:04Z", {}, &start));
  ASSERT_TRUE(ParseTimeValue("2026-05-29T14:30:00Z", {}, &end));
  EXPECT_EQ(s[0].name, "A");
  EXPECT_EQ(s[0].time, start.time);
  EXPECT_EQ(s[0].status, "firing");
  EXPECT_EQ(s[1].name, "B");
  EXPECT_EQ(s[1].time, end.time);  // a resolved alert sits at its end
}

// "client" inside a name is no customer, and an alert never comes from one; a page whose
// source says customer does.
TEST(DetectionRecordsTest, CustomersAreSaidInWordsOfTheirOwn) {
  InputFile alerts = InputFile::FromString(
      R"({"status":"firing","labels":{"alertname":"PoolSaturated","pool":"inventory-client"},)"
      R"("annotations":{"summary":"pool inventory-client saturated, customer traffic at risk"},)"
      R"("startsAt":"2026-03-23T09:53:50Z","endsAt":"0001-01-01T00:00:00Z"})"
      "\n",
      "am.jsonl");
  IssueLog issues("am.jsonl");
  std::vector<Signal> a =
      ReadDetectionRecords(alerts, "am.jsonl", DetectionSource::kAlert, {}, &issues);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_FALSE(a[0].from_customer);
  InputFile pages = InputFile::FromString(
      R"({"created_at":"2026-03-23T09:55:00Z","type":"trigger_log_entry","channel":)"
      R"({"type":"web_trigger","summary":"customer reports checkout failing"},)"
      R"("incident":{"id":"P1"},"summary":"checkout down","source":"customer support"})"
      "\n",
      "pd.jsonl");
  std::vector<Signal> p =
      ReadDetectionRecords(pages, "pd.jsonl", DetectionSource::kPage, {}, &issues);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].from_customer);
}

}  // namespace
}  // namespace inquest
