#include "timeline/change.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_files.h"

namespace inquest {
namespace {

TimePoint T(std::string_view s) { return *ParseUserTime(s); }

std::vector<Change> Read(std::string data, IssueLog* issues = nullptr) {
  auto r = ReadChanges(InputFile::FromString(std::move(data), "changes"), TimeContext(), issues);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Change>{};
}

TEST(ReadChangesTest, JsonLines) {
  IssueLog issues("changes");
  std::vector<Change> c = Read(
      R"({"ts":"2026-05-29T14:02:00Z","service":"checkout-service","kind":"deploy","version":"v2.317","summary":"checkout-service v2.317 deployed to us-east-1","rollout":100}
{"time":"2026-05-29T13:58:00Z","type":"config","service":"checkout","what":"cache TTL 30s -> 300s","pr":"#4412"}
{"time":"yesterday","kind":"deploy"}
not json
{"time":1780063860,"kind":"data","service":"pricing","description":"catalog.invalidate published"}
)",
      &issues);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].kind, ChangeKind::kConfig);  // sorted by time
  EXPECT_EQ(c[0].ref, "#4412");
  EXPECT_EQ(c[0].source, "changes:2");
  EXPECT_EQ(c[1].kind, ChangeKind::kDeploy);
  EXPECT_EQ(c[1].ref, "v2.317");
  EXPECT_EQ(c[1].rollout, "100%");
  EXPECT_EQ(c[1].time, T("2026-05-29T14:02:00Z"));
  EXPECT_EQ(c[2].kind, ChangeKind::kData);
  EXPECT_EQ(c[2].time, 1780063860 * kNanosPerSecond);
  EXPECT_EQ(issues.count(), 2u);
  ASSERT_EQ(issues.samples().size(), 2u);
  EXPECT_EQ(issues.samples()[0].line, 3u);
  EXPECT_EQ(issues.samples()[1].line, 4u);
}

TEST(ReadChangesTest, CsvWithQuotes) {
  std::vector<Change> c = Read(
      "time,service,type,description,commit\n"
      "2026-05-29T14:02:00Z,checkout,deploy,\"v2.317, with \"\"TTL\"\" change\",abc123\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].what, "v2.317, with \"TTL\" change");
  EXPECT_EQ(c[0].ref, "abc123");
  EXPECT_EQ(c[0].source, "changes:2");
}

TEST(ReadChangesTest, GitLogDefaultFullerAndIso) {
  std::string log =
      "commit 0123456789abcdef0123456789abcdef01234567\n"
      "Author: A <a@example.com>\n"
      "Date:   Fri May 29 15:58:00 2026 +0200\n"
      "\n"
      "    checkout: raise cache TTL to 300s (#4412)\n"
      "\n"
      "    Longer body.\n"
      "\n"
      "commit 1111111111111111111111111111111111111111\n"
      "Author:     B <b@example.com>\n"
      "AuthorDate: Thu May 28 10:00:00 2026 +0000\n"
      "Commit:     B <b@example.com>\n"
      "CommitDate: Fri May 29 13:00:00 2026 -0100\n"
      "\n"
      "    fix(pricing): pool size\n"
      "commit 2222222222222222222222222222222222222222\n"
      "Author: C <c@example.com>\n"
      "Date:   2026-05-29 12:00:00 +0000\n"
      "\n"
      "    docs: readme\n";
  std::vector<Change> c = Read(log);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].time, T("2026-05-29T12:00:00Z"));
  EXPECT_EQ(c[0].service, "");
  EXPECT_EQ(c[1].time, T("2026-05-29T13:58:00Z"));
  EXPECT_EQ(c[1].service, "checkout");
  EXPECT_EQ(c[1].ref, "PR #4412 (0123456789ab)");
  EXPECT_EQ(c[1].kind, ChangeKind::kConfig);
  EXPECT_EQ(c[2].time, T("2026-05-29T14:00:00Z"));  // the commit date, not the author date
  EXPECT_EQ(c[2].service, "pricing");
  EXPECT_EQ(c[2].kind, ChangeKind::kCode);
  EXPECT_GT(ProbeChanges(log), 0.9);
}

TEST(ReadChangesTest, NotChangeRecords) {
  auto r = ReadChanges(InputFile::FromString("hello world\n", "x"), TimeContext(), nullptr);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
}

TEST(ProbeChangesTest, TellsDeployRecordsFromLogs) {
  EXPECT_GT(
      ProbeChanges(R"({"ts":"2026-05-29T14:02:00Z","kind":"deploy","service":"a","version":"1"})"
                   "\n"),
      0.7);
  EXPECT_LT(ProbeChanges(R"({"ts":"2026-05-29T14:02:00Z","level":"info","msg":"hello"})"
                         "\n"),
            0.3);
  EXPECT_EQ(ProbeChanges("plain text\n"), 0);
}

TEST(ProbeChangesTest, CsvNeedsATimeAndWhatChanged) {
  // Service plus one change column, or two change columns.
  EXPECT_GE(ProbeChanges("time,service,version\n2026-05-29T14:02:00Z,checkout,v2.317\n"), 0.5);
  EXPECT_GE(ProbeChanges("time,kind,summary\n2026-05-29T14:02:00Z,deploy,checkout v2.317\n"), 0.5);
  // Evidence is in the rows: a header alone says nothing.
  EXPECT_EQ(ProbeChanges("time,service,type,description,commit\n"), 0);
  EXPECT_GE(ProbeChanges("time,service,type,description,commit\n"
                         "2026-05-29T14:02:00Z,checkout,deploy,\"v2.317, canary\",9f1e2ab\n"),
            0.5);
  // A time and a service alone, or generic columns, are not enough; a level column means logs.
  EXPECT_LT(ProbeChanges("time,service,host\n2026-05-29T14:02:00Z,checkout,a\n"), 0.5);
  EXPECT_LT(ProbeChanges("Date,Time,Component,Id,Content\n2015,17:41:44,Quorum,1,x\n"), 0.5);
  EXPECT_LT(ProbeChanges("time,service,level,version\n2026-05-29T14:02:00Z,a,info,1\n"), 0.5);
  EXPECT_LT(ProbeChanges("time,service,message\n2026-05-29T14:02:00Z,a,hello\n"), 0.5);
}

// Loghub's *_structured.csv files are parsed logs: a time, a level, a component and the
// message. None of them may pass for change records.
TEST(ProbeChangesTest, LoghubStructuredCsvAreNotChanges) {
  std::filesystem::path dir = std::filesystem::path(TestFixturesDir()) / "logs" / "loghub";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no fixtures at " << dir;
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with("_structured.csv")) continue;
    ++seen;
    auto in = InputFile::Open(entry.path().string());
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    EXPECT_LT(ProbeChanges(in->data().substr(0, 64 << 10)), 0.5) << name;
  }
  EXPECT_GE(seen, 8);
}

TEST(ReadChangesTest, VersionAndRefWithTheSameValueAreNamedOnce) {
  std::vector<Change> c = Read(
      R"({"time":"2026-05-29T14:02:00Z","service":"checkout","version":"v2.317","ref":"v2.317"}
{"time":"2026-05-29T14:03:00Z","service":"checkout","version":"v2.318","ref":"PR #4412"}
)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].ref, "v2.317");
  EXPECT_EQ(c[1].ref, "v2.318 PR #4412");
}

TEST(RankChangesTest, NearestMatchingServiceFirstWithReasons) {
  std::vector<Change> changes(4);
  changes[0] = {T("2026-05-29T13:58:00Z"),
                ChangeKind::kConfig,
                "checkout",
                "TTL 30s->300s",
                "#4412",
                "c:1",
                ""};
  changes[1] = {T("2026-05-29T14:01:48Z"),
                ChangeKind::kDeploy,
                "checkout-service",
                "v2.317",
                "v2.317",
                "c:2",
                "100%"};
  changes[2] = {
      T("2026-05-29T14:05:00Z"), ChangeKind::kInfra, "search", "node pool resize", "", "c:3", ""};
  changes[3] = {T("2026-05-29T14:15:00Z"),
                ChangeKind::kDeploy,
                "checkout",
                "rollback to v2.316",
                "v2.316",
                "c:4",
                ""};
  RankOptions opts;
  opts.onset = T("2026-05-29T14:11:00Z");
  opts.error_services = {"checkout", "pricing"};
  opts.error_shares = {0.84, 0.16};
  std::vector<RankedChange> r = RankChanges(changes, opts);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].change.source, "c:2");
  EXPECT_EQ(r[0].reason,
            "deploy change to checkout-service 9m12s before the onset; checkout shows 84% of the "
            "errors; rolled out to 100%");
  EXPECT_EQ(r[1].change.source, "c:1");
  EXPECT_EQ(r[2].change.source, "c:3");  // nearer but on a service without errors
  EXPECT_NE(r[2].reason.find("shows none of the errors"), std::string::npos);
  EXPECT_EQ(r[3].change.source, "c:4");  // after the onset: last
  EXPECT_NE(r[3].reason.find("after the onset"), std::string::npos);
  EXPECT_GT(r[0].score, r[1].score);
  EXPECT_GT(r[1].score, r[2].score);
  EXPECT_GT(r[2].score, r[3].score);
}

TEST(RankChangesTest, ChangeInsideTheOnsetWindowCountsAsTheTrigger) {
  std::vector<Change> changes(2);
  changes[0] = {T("2026-05-29T14:11:00.050Z"),
                ChangeKind::kData,
                "pricing",
                "catalog.invalidate",
                "",
                "c:1",
                ""};
  changes[1] = {T("2026-05-29T14:02:00Z"), ChangeKind::kDeploy, "pricing", "v1", "", "c:2", ""};
  RankOptions opts;
  opts.onset = T("2026-05-29T14:11:00Z");
  opts.error_services = {"pricing"};
  std::vector<RankedChange> r = RankChanges(changes, opts);
  EXPECT_EQ(r[0].change.source, "c:1");
  EXPECT_NE(r[0].reason.find("into the onset window"), std::string::npos);
}

// Two changes in the onset window, neither to a service that shows the errors: the one that
// came after the incident's first error (past clock noise) ranks below the one before it.
TEST(RankChangesTest, AChangeAfterTheFirstErrorRanksBelowOneBefore) {
  std::vector<Change> changes(2);
  changes[0] = {
      T("2026-05-05T14:13:26Z"), ChangeKind::kConfig, "auth-gw", "set upstream", "", "c:1", ""};
  changes[1] = {T("2026-05-05T14:13:40Z"), ChangeKind::kDeploy, "batch", "v8.16", "", "c:2", ""};
  RankOptions opts;
  opts.onset = T("2026-05-05T14:13:00Z");
  opts.error_services = {"ledger"};
  std::vector<RankedChange> tie = RankChanges(changes, opts);
  EXPECT_EQ(tie[0].change.source, "c:2");  // equal scores: the later first
  opts.first_error = T("2026-05-05T14:13:30.343Z");
  std::vector<RankedChange> r = RankChanges(changes, opts);
  EXPECT_EQ(r[0].change.source, "c:1");
  EXPECT_NE(r[1].reason.find("9657ms after its first error"), std::string::npos) << r[1].reason;
  // Within the slack of the first error, no change is marked down.
  opts.first_error = T("2026-05-05T14:13:37Z");
  EXPECT_EQ(RankChanges(changes, opts)[0].change.source, "c:2");
}

TEST(SameServiceTest, NormalisesSuffixes) {
  EXPECT_TRUE(SameService("checkout", "checkout-service"));
  EXPECT_TRUE(SameService("Checkout", "checkout-worker"));
  EXPECT_FALSE(SameService("checkout", "checkouts"));
  EXPECT_FALSE(SameService("", "checkout"));
}

TEST(SetErrorServicesTest, SharesInTheIncidentWindow) {
  Series all, a, b;
  a.group = "checkout";
  b.group = "pricing";
  for (Series* s : {&all, &a, &b}) s->windows.resize(3);
  for (int i = 0; i < 3; ++i)
    for (Series* s : {&all, &a, &b}) s->windows[i].start = i * s->width_ns;
  a.windows[1].errors = 84;
  b.windows[1].errors = 16;
  b.windows[0].errors = 500;  // before the onset: not counted
  RankOptions opts;
  SetErrorServices({all, a, b}, a.width_ns, kNoTime, &opts);
  ASSERT_EQ(opts.error_services.size(), 2u);
  EXPECT_EQ(opts.error_services[0], "checkout");
  EXPECT_NEAR(opts.error_shares[0], 0.84, 1e-9);
}

}  // namespace
}  // namespace inquest
