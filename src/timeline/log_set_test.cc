#include "timeline/log_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace inquest {
namespace {

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

class LogSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("inquest-log-set-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(LogSetTest, SummaryNamesTheAssumedZoneAndCountsInTheRightNumber) {
  // log4j times carry no zone.
  std::string path =
      Write("app.log",
            "2026-05-29 14:11:08,114 ERROR [main] com.shop.Pricing - pool exhausted\n"
            "not a record at all\n");
  FormatRegistry registry;
  Result<TimeZone> zone = TimeZone::Parse("+02:00");
  ASSERT_TRUE(zone.ok());
  LoadOptions opts;
  opts.zone = &*zone;
  Result<LogSet> set = LoadLogSet({{path, false}}, registry, opts);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::string summary = Joined(set->Summary());
  EXPECT_NE(summary.find("read 1 file, 1 event\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("app.log: log4j ("), std::string::npos) << summary;
  EXPECT_NE(summary.find("), 1 record\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("1 malformed line skipped, first at " + path + ":2: "), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("1 time without a zone, taken as +02:00"), std::string::npos) << summary;

  // Without --assume-tz the zone is UTC, and the summary says so.
  Result<LogSet> utc = LoadLogSet({{path, false}}, registry, LoadOptions());
  ASSERT_TRUE(utc.ok());
  summary = Joined(utc->Summary());
  EXPECT_NE(summary.find("taken as UTC"), std::string::npos) << summary;
}

TEST(FileNotesTest, OnlyProblemsAndAssumptionsMakeLines) {
  FileNotes n;
  n.path = "a.log";
  EXPECT_TRUE(n.empty());
  std::vector<std::string> lines;
  AppendFileNotes(n, &lines);
  EXPECT_TRUE(lines.empty());

  IssueLog issues("a.log");
  issues.Add(7, 100, "no time");
  issues.Add(9, 200, "no time");
  n.malformed = issues.count();
  n.issues = &issues;
  n.zone_assumed = 3;
  n.zone = "Europe/Copenhagen";
  EXPECT_FALSE(n.empty());
  AppendFileNotes(n, &lines);
  std::string text = Joined(lines);
  EXPECT_NE(text.find("2 malformed lines skipped, first at a.log:7: no time"), std::string::npos)
      << text;
  EXPECT_NE(text.find("a.log:9: no time"), std::string::npos) << text;
  EXPECT_NE(text.find("3 times without a zone, taken as Europe/Copenhagen"), std::string::npos)
      << text;
}

TEST(CountOfTest, SingularAndPlural) {
  EXPECT_EQ(CountOf(0, "record", "records"), "0 records");
  EXPECT_EQ(CountOf(1, "record", "records"), "1 record");
  EXPECT_EQ(CountOf(2, "record", "records"), "2 records");
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

class RecordSetTest : public LogSetTest {};

// A folder of a log, change records, alerts and an analyze report: the records come back as
// Events of their role beside the log's, the report folder is not read.
TEST_F(RecordSetTest, ChangeAndDetectionRecordsAreEventsOfTheirRole) {
  std::string log;
  for (int i = 0; i < 8; ++i)
    log += "2026-03-05T10:0" + std::to_string(i) + ":00Z level=" + (i > 5 ? "error" : "info") +
           " msg=\"request done\" service=checkout\n";
  Write("app.log", log);
  Write("deploys.jsonl",
        "{\"time\":\"2026-03-05T10:03:30Z\",\"service\":\"checkout\",\"type\":\"deploy\","
        "\"version\":\"v2.4.1\",\"summary\":\"checkout v2.4.1 deployed\"}\n"
        "{\"time\":\"2026-03-05T10:06:30Z\",\"service\":\"checkout\",\"type\":\"rollback\","
        "\"version\":\"v2.4.0\",\"summary\":\"rollback to v2.4.0\"}\n");
  Write("alerts.json",
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"CheckoutErrors\",\"service\":"
        "\"checkout\"},\"annotations\":{\"summary\":\"errors over 5%\"},\"startsAt\":"
        "\"2026-03-05T10:06:10Z\",\"endsAt\":\"0001-01-01T00:00:00Z\"}\n");
  std::filesystem::create_directories(dir_ / "inquest-report");
  Write("inquest-report/findings.json", "{\"changes\": []}\n");
  Write("inquest-report/postmortem.md", "# draft\n");
  Result<std::vector<InputPath>> paths = ExpandPaths({dir_.string()});
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(paths->size(), 3u);  // the report folder is not evidence
  FormatRegistry registry;
  Result<LogSet> set = LoadLogSet(*paths, registry, LoadOptions());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::map<RecordRole, int> roles;
  const Event* deploy = nullptr;
  for (const auto& f : set->files)
    for (const Event& e : f->events) {
      ++roles[e.role];
      if (e.role == RecordRole::kChange && e.kind == "deploy" && !deploy) deploy = &e;
    }
  EXPECT_EQ(roles[RecordRole::kLog], 8);
  EXPECT_EQ(roles[RecordRole::kChange], 2);
  EXPECT_EQ(roles[RecordRole::kAlert], 1);
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->message, "checkout v2.4.1 deployed");
  EXPECT_EQ(deploy->service, "checkout");
  EXPECT_EQ(deploy->line, 1u);
  EXPECT_EQ(FormatTime(deploy->time, 0), "2026-03-05T10:03:30Z");
  std::string summary = Joined(set->Summary());
  EXPECT_NE(summary.find("deploys.jsonl: changes"), std::string::npos) << summary;
  EXPECT_NE(summary.find("alerts.json: alert records"), std::string::npos) << summary;
}

}  // namespace
}  // namespace inquest
