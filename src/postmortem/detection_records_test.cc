#include "postmortem/detection_records.h"

#include <gtest/gtest.h>

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
