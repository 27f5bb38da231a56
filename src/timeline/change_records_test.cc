// Change exports from the seeded generator read back: every row a change, its columns mapped by
// their values whatever they are called and in whatever order, staged rollouts marked.
#include <gtest/gtest.h>

#include "evidence/flat_records.h"
#include "evidence/record_corpus_test_util.h"
#include "timeline/change.h"

namespace inquest {
namespace {

using testing::GeneratedFile;
using testing::RecordCorpus;

std::vector<Change> ReadAll(const GeneratedFile& f, IssueLog* issues) {
  Result<std::vector<Change>> r =
      ReadChanges(InputFile::FromString(f.data, f.name), TimeContext(), issues);
  EXPECT_TRUE(r.ok()) << f.name << ": " << r.status().ToString() << "\n" << f.data;
  return r.ok() ? *r : std::vector<Change>{};
}

// 2026-05-29T14:00:00Z and a day after: every generated time lies between.
constexpr int64_t kBase = 1780063200LL * kNanosPerSecond;
constexpr int64_t kDay = 86400LL * kNanosPerSecond;

TEST(ChangeRecordsTest, GeneratedJsonAndCsvExportsReadEveryRow) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    RecordCorpus corpus(seed);
    for (const GeneratedFile& f : {corpus.ChangesJsonLines(), corpus.ChangesCsv()}) {
      IssueLog issues(f.name);
      std::vector<Change> c = ReadAll(f, &issues);
      size_t rows = ReadRecordTable(f.data).records.size();
      ASSERT_GT(rows, 0u);
      EXPECT_EQ(c.size(), rows) << "seed " << seed << " " << f.name << "\n" << f.data;
      EXPECT_EQ(issues.count(), 0u) << "seed " << seed << " " << f.name;
      for (const Change& ch : c) {
        EXPECT_GT(ch.time, kBase - 2 * 3600 * kNanosPerSecond) << f.name << " " << ch.source;
        EXPECT_LT(ch.time, kBase + 2 * kDay) << f.name << " " << ch.source;
        EXPECT_FALSE(ch.service.empty())
            << "seed " << seed << " " << f.name << " " << ch.source << "\n"
            << f.data;
        EXPECT_NE(ch.kind, ChangeKind::kOther) << f.name << " " << ch.what;
      }
      if (f.name == "changes-csv") {
        // The version column is the ref whatever its name and place; the quoted summary
        // keeps its comma.
        for (const Change& ch : c) {
          EXPECT_EQ(ch.ref.substr(0, 1), "v") << "seed " << seed << " " << ch.ref << "\n" << f.data;
          EXPECT_NE(ch.what.find(", "), std::string::npos) << ch.what;
        }
      }
    }
  }
}

TEST(ChangeRecordsTest, FlagHistoriesAreStagedRollouts) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    RecordCorpus corpus(seed);
    GeneratedFile f = corpus.FlagHistory();
    IssueLog issues(f.name);
    std::vector<Change> c = ReadAll(f, &issues);
    ASSERT_EQ(c.size(), 3u) << f.data;
    EXPECT_EQ(c[0].rollout, "10% (staged: step 1 of 3)") << f.data;
    EXPECT_EQ(c[1].rollout, "50% (staged: step 2 of 3)");
    EXPECT_EQ(c[2].rollout, "100% (staged: step 3 of 3)");
    for (const Change& ch : c) {
      EXPECT_EQ(ch.kind, ChangeKind::kFlag) << ch.what;
      EXPECT_FALSE(ch.subject.empty());
      EXPECT_EQ(ch.ref, c[0].ref);
    }
    // The onset falls between step 2 and step 3: step 2 ranks first.
    RankOptions opts;
    opts.onset = c[1].time + (c[2].time - c[1].time) / 2;
    std::vector<RankedChange> ranked = RankChanges(c, opts);
    EXPECT_EQ(ranked[0].change.rollout, c[1].rollout);
    EXPECT_NE(ranked[0].reason.find("step 2 of 3"), std::string::npos) << ranked[0].reason;
  }
}

TEST(ChangeRecordsTest, AFallingShareStartsANewRollout) {
  IssueLog issues("f");
  Result<std::vector<Change>> r = ReadChanges(InputFile::FromString("flag,share,time\n"
                                                                    "a,10%,2026-05-29T14:00:00Z\n"
                                                                    "a,100%,2026-05-29T14:10:00Z\n"
                                                                    "a,0%,2026-05-29T14:20:00Z\n"
                                                                    "b,50%,2026-05-29T14:25:00Z\n",
                                                                    "f"),
                                              TimeContext(), &issues);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].rollout, "10% (staged: step 1 of 2)");
  EXPECT_EQ((*r)[1].rollout, "100% (staged: step 2 of 2)");
  EXPECT_EQ((*r)[2].rollout, "0%");
  EXPECT_EQ((*r)[3].rollout, "50%");
}

// The new value's column fills the role, not the one it came from ("previous"); a "strategy"
// column says how a deploy was rolled out even when its values are words ("all-at-once").
TEST(ChangeRecordsTest, PreviousValuesAndRolloutStrategies) {
  IssueLog issues("f");
  Result<std::vector<Change>> r = ReadChanges(
      InputFile::FromString(
          "{\"date\":1792791174000,\"flagKey\":\"eager-prefetch\",\"previous\":\"10%\","
          "\"rollout\":\"50%\",\"description\":\"flag eager-prefetch rollout 10% -> 50%\"}\n",
          "flags.jsonl"),
      TimeContext(), &issues);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].rollout, "50%");
  r = ReadChanges(
      InputFile::FromString("message,strategy,component,timestamp\n"
                            "\"rates v3 deployed\",all-at-once,rates,2026-02-10T08:46:14Z\n"
                            "\"search v7 canary\",canary 10%,search,2026-02-10T08:25:31Z\n",
                            "deploys.csv"),
      TimeContext(), &issues);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  for (const Change& c : *r)
    EXPECT_EQ(c.rollout, c.service == "rates" ? "all-at-once" : "canary 10%") << c.service;
}

TEST(ChangeRecordsTest, NoTimeColumnIsAClearError) {
  Result<std::vector<Change>> r = ReadChanges(
      InputFile::FromString("service,version\ncheckout,v1.2.3\n", "x.csv"), TimeContext(), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no column holds times"), std::string::npos);
}

}  // namespace
}  // namespace inquest
