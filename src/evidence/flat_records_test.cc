#include "evidence/flat_records.h"

#include <gtest/gtest.h>

#include <random>

namespace inquest {
namespace {

TEST(FlatRecordsTest, CsvWithQuotedCommasNewlinesAndLines) {
  std::string data =
      "when,service,\"what, exactly\"\n"
      "2026-05-29T14:02:31Z,checkout,\"deploy v2.317, canary\"\n"
      "\n"
      "2026-05-29T14:05:00Z,cart,\"two\nlines with \"\"quotes\"\"\"\n"
      "2026-05-29T14:06:00Z,cart\n";
  RecordTable t = ReadRecordTable(data);
  ASSERT_EQ(t.layout, RecordLayout::kCsv);
  ASSERT_EQ(t.columns, (std::vector<std::string>{"when", "service", "what, exactly"}));
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(*t.records[0].Find("what, exactly"), "deploy v2.317, canary");
  EXPECT_EQ(t.records[0].line, 2u);
  EXPECT_EQ(t.records[1].line, 4u);
  EXPECT_EQ(*t.records[1].Find("what, exactly"), "two\nlines with \"quotes\"");
  EXPECT_EQ(t.records[2].line, 6u);
  EXPECT_EQ(t.records[2].offset, data.find("2026-05-29T14:06"));
  // The short row is read by position and reported.
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].line, 6u);
}

TEST(FlatRecordsTest, SemicolonsAndTabs) {
  RecordTable t = ReadRecordTable("time;service\n2026-05-29T14:02:31Z;a\n");
  ASSERT_EQ(t.layout, RecordLayout::kCsv);
  EXPECT_EQ(*t.records.at(0).Find("service"), "a");
  t = ReadRecordTable("time\tservice\n2026-05-29T14:02:31Z\tb\n");
  EXPECT_EQ(*t.records.at(0).Find("service"), "b");
}

TEST(FlatRecordsTest, ALogLineWithCommasIsNotAHeader) {
  EXPECT_EQ(SniffRecordLayout("2026-05-29 14:11:00,043 INFO a, b\n"), RecordLayout::kNone);
  EXPECT_EQ(SniffRecordLayout("plain text\n"), RecordLayout::kNone);
}

TEST(FlatRecordsTest, JsonArraysAndWrappers) {
  std::string data =
      "{\"ok\": true,\n \"messages\": [\n  {\"ts\": \"1716991868.000200\", \"user\": \"U1\",\n"
      "   \"text\": \"hi\"},\n  {\"ts\": \"1716991869.000100\", \"reactions\": [{\"n\": 1}],"
      " \"meta\": {\"a\": {\"b\": \"c\"}}}\n ]}\n";
  RecordTable t = ReadRecordTable(data);
  ASSERT_EQ(t.layout, RecordLayout::kJsonArray);
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].line, 3u);
  EXPECT_EQ(*t.records[0].Find("user"), "U1");
  EXPECT_EQ(t.records[1].line, 5u);
  EXPECT_EQ(*t.records[1].Find("meta.a.b"), "c");
  EXPECT_EQ(*t.records[1].Find("reactions"), "[]");
  // One webhook delivery per line: its alerts are the records.
  t = ReadRecordTable(
      "{\"status\":\"firing\",\"alerts\":[{\"startsAt\":\"2026-05-29T14:12:04Z\"},"
      "{\"startsAt\":\"2026-05-29T14:13:04Z\"}]}\n"
      "{\"status\":\"firing\",\"alerts\":[{\"startsAt\":\"2026-05-29T14:14:04Z\"}]}\n");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[2].line, 2u);
}

TEST(FlatRecordsTest, BadRecordsAreReportedWithTheirPlace) {
  std::string data = "{\"a\":1}\nnot json\n{\"b\":\n[1,2]\n";
  RecordTable t = ReadRecordTable(data);
  EXPECT_EQ(t.records.size(), 1u);
  ASSERT_EQ(t.problems.size(), 3u);
  EXPECT_EQ(t.problems[0].line, 2u);
  EXPECT_EQ(t.problems[0].offset, 8u);
  // A cut head's last record is dropped, not reported.
  t = ReadRecordTable("{\"a\":1}\n{\"a\":2}\n{\"a\":", 100);
  EXPECT_EQ(t.records.size(), 2u);
  EXPECT_TRUE(t.problems.empty());
}

TEST(FlatRecordsTest, AnOpenQuoteIsReportedNotSwallowed) {
  std::string data = "time,what\n2026-05-29T14:00:00Z,\"open\n";
  for (int i = 0; i < 300; ++i) data += "2026-05-29T14:00:00Z,x\n";
  RecordTable t = ReadRecordTable(data);
  ASSERT_FALSE(t.problems.empty());
  EXPECT_EQ(t.problems.back().line, 2u);
  EXPECT_NE(t.problems.back().message.find("quote"), std::string::npos);
}

TEST(FlatRecordsTest, RandomBytesNeverCrash) {
  std::mt19937 rng(11);
  const std::string alphabet = "{}[]\",:\n\\ ab1;\t";
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    int n = std::uniform_int_distribution<int>(0, 80)(rng);
    for (int k = 0; k < n; ++k)
      s += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    RecordTable t = ReadRecordTable(s, i % 2 ? 0 : 5);
    for (const FlatRecord& r : t.records) EXPECT_LE(r.offset, s.size());
  }
}

}  // namespace
}  // namespace inquest
