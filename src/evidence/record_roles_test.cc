#include "evidence/record_roles.h"

#include <gtest/gtest.h>

#include "evidence/record_corpus_test_util.h"
#include "evidence/sniff.h"

namespace inquest {
namespace {

using testing::GeneratedFile;
using testing::RecordCorpus;
using testing::Truth;

// The log probe as the format registry answers it: a file of one JSON object per line fits
// the JSON-lines log format whatever the objects are; git log and JSON documents fit no log
// format. (The real registry is wired in by postmortem/ and cli/.)
SniffProbes ProbesFor(const GeneratedFile& f) {
  SniffProbes p;
  bool fits = f.log_format_fits;
  p.log = [fits](std::string_view) { return fits ? LogGuess{"jsonl", 0.97} : LogGuess{}; };
  // ProbeChanges (timeline/) is git log or the change role of the records; the record part is
  // the same classifier, so the test asks it directly.
  p.changes = [](std::string_view head) {
    if (head.starts_with("commit ")) return 0.95;
    return ClassifyRecords(head).ScoreOf(RecordRole::kChange);
  };
  return p;
}

std::string Expected(Truth t) {
  switch (t) {
    case Truth::kLog:
      return "log";
    case Truth::kChanges:
      return "changes";
    case Truth::kAlert:
      return "alert records";
    case Truth::kPage:
      return "page records";
    case Truth::kTicket:
      return "ticket records";
    case Truth::kChat:
      return "chat records";
  }
  return "";
}

TEST(RecordRolesTest, EveryGeneratedFileIsClassifiedRight) {
  size_t files = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    RecordCorpus corpus(seed);
    for (const GeneratedFile& f : corpus.All()) {
      Sniffed s = SniffEvidence(f.name, f.data, ProbesFor(f));
      EXPECT_EQ(TakenForName(s.kind, s.detection), Expected(f.truth))
          << "seed " << seed << " " << f.name << ": " << s.reason << "\n"
          << f.data.substr(0, 600);
      // Clean files are one thing: no runner-up comes close.
      EXPECT_EQ(s.runner_up, "") << "seed " << seed << " " << f.name << ": " << s.reason;
      ++files;
    }
  }
  EXPECT_EQ(files, 60u * 13);
}

TEST(RecordRolesTest, AMixedFileNamesItsRunnerUp) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    RecordCorpus corpus(seed);
    // Change records and tickets in one JSON-lines file, changes slightly ahead.
    std::string data;
    for (int i = 0; i < 6; ++i)
      data += fmt::format(
          R"({{"time":"2026-05-29T1{}:00:00Z","type":"deploy","service":"{}","version":"v1.{}.0"}})"
          "\n",
          i % 10, corpus.Service(), i);
    for (int i = 0; i < 5; ++i)
      data += fmt::format(
          R"({{"time":"2026-05-29T1{}:30:00Z","ticket":"SUP-{}","status":"open","requester":"a@b.io","subject":"cannot pay"}})"
          "\n",
          i % 10, 100 + i);
    GeneratedFile f{"mixed", data, Truth::kChanges, true};
    Sniffed s = SniffEvidence("mixed.jsonl", data, ProbesFor(f));
    EXPECT_EQ(s.kind, EvidenceKind::kChanges) << s.reason;
    EXPECT_EQ(s.runner_up, "ticket records") << s.reason;
    EXPECT_NE(s.reason.find("it could also be ticket records"), std::string::npos) << s.reason;
  }
}

TEST(RecordRolesTest, ALogThatMentionsDeploysIsALog) {
  RecordCorpus corpus(7);
  for (int i = 0; i < 20; ++i) {
    GeneratedFile f = corpus.AppLogJson();
    RecordRoles roles = ClassifyRecords(f.data);
    EXPECT_EQ(roles.best().role, RecordRole::kLog) << f.data.substr(0, 400);
    EXPECT_LT(roles.ScoreOf(RecordRole::kChange), 0.2);
  }
}

TEST(RecordRolesTest, ChangesNeedToSayWhatChanged) {
  // A time and a service is not a change; a time and a version is.
  FlatRecord r;
  r.fields = {{"time", "2026-05-29T14:00:00Z"}, {"service", "checkout"}};
  EXPECT_EQ(ScoreRecord(r)[RecordRole::kChange], 0);
  r.fields.push_back({"version", "v2.317"});
  EXPECT_GT(ScoreRecord(r)[RecordRole::kChange], 0.5);
  // The same record with a log level is a log line about a release.
  r.fields.push_back({"level", "info"});
  RoleScores s = ScoreRecord(r);
  EXPECT_GT(s[RecordRole::kLog], s[RecordRole::kChange]);
  // Without a time nothing is timeline evidence.
  FlatRecord no_time;
  no_time.fields = {{"type", "deploy"}, {"version", "v1.2.3"}};
  EXPECT_EQ(ScoreRecord(no_time)[RecordRole::kChange], 0);
}

// A release name that is no dotted version ("m487", "CHG47542") says what changed under a key
// that names a version; under any other key, or as prose, it does not.
TEST(RecordRolesTest, AReleaseTokenUnderAVersionKeySaysWhatChanged) {
  FlatRecord r;
  r.fields = {{"deployed_at", "2026-03-04T14:06:38+05:30"},
              {"service", "mailer"},
              {"details", "migration 0789 add index on mailer.events"}};
  EXPECT_EQ(ScoreRecord(r)[RecordRole::kChange], 0);
  for (std::string_view v : {"m487", "CHG47542", "r12", "2026.11-3"}) {
    FlatRecord with = r;
    with.fields.push_back({"version", std::string(v)});
    EXPECT_GT(ScoreRecord(with)[RecordRole::kChange], 0.5) << v;
    FlatRecord other = r;
    other.fields.push_back({"owner", std::string(v)});
    EXPECT_EQ(ScoreRecord(other)[RecordRole::kChange], 0) << v;
  }
  FlatRecord words = r;
  words.fields.push_back({"release", "the big one"});
  EXPECT_EQ(ScoreRecord(words)[RecordRole::kChange], 0);
}

TEST(RecordRolesTest, DenseRowsAreALogsRate) {
  std::string data;
  for (int i = 0; i < 40; ++i)
    data +=
        fmt::format(R"({{"ts":"2026-05-29T14:00:00.{:03d}Z","type":"deploy","version":"v1.2.{}"}})"
                    "\n",
                    i * 10, i);
  RecordRoles roles = ClassifyRecords(data);
  EXPECT_TRUE(roles.dense);
  EXPECT_LT(roles.ScoreOf(RecordRole::kChange), kMinSniffScore);
}

TEST(RecordRolesTest, ValueShapes) {
  EXPECT_EQ(ShapeOfValue("2026-05-29T14:11:08.114Z"), ValueShape::kTime);
  EXPECT_EQ(ShapeOfValue("1716991868.000200"), ValueShape::kTime);
  EXPECT_EQ(ShapeOfValue("v2.317"), ValueShape::kVersion);
  EXPECT_EQ(ShapeOfValue("1.4.0-rc1"), ValueShape::kVersion);
  EXPECT_EQ(ShapeOfValue("registry.local/app:2.3.1"), ValueShape::kVersion);
  EXPECT_EQ(ShapeOfValue("1.5"), ValueShape::kNumber);
  EXPECT_EQ(ShapeOfValue("25%"), ValueShape::kPercent);
  EXPECT_EQ(ShapeOfValue("9f1e2ab"), ValueShape::kCommit);
  EXPECT_EQ(ShapeOfValue("4bf92f3577b34da6a3ce929d0e0e4736"), ValueShape::kTraceId);
  EXPECT_EQ(ShapeOfValue("SUP-88213"), ValueShape::kTicketId);
  EXPECT_EQ(ShapeOfValue("WARN"), ValueShape::kLevel);
  EXPECT_EQ(ShapeOfValue("a@example.com"), ValueShape::kEmail);
  EXPECT_EQ(ShapeOfValue("checkout-service"), ValueShape::kWord);
  EXPECT_EQ(ShapeOfValue("request failed: db: acquire conn"), ValueShape::kText);
  EXPECT_EQ(WordTokens("labels.alertname"), (std::vector<std::string>{"labels", "alertname"}));
  EXPECT_EQ(WordTokens("startsAt"), (std::vector<std::string>{"starts", "at"}));
}

}  // namespace
}  // namespace inquest
