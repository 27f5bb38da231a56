// From post-mortem documents to store records: identity, fields, warnings, bad documents, and
// every real document in the fixtures.
#include "store/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/store_test_util.h"
#include "tests/support/test_files.h"

namespace inquest::store {
namespace {

constexpr std::string_view kDoc =
    R"(# Post-Mortem: Checkout cache stampede        SEV-2   2026-05-29
Status: Final    Author: payments on-call    Reviewers: SRE lead

- Services: checkout, pricing
- Started: 2026-05-29 14:11 UTC
- Detected: 2026-05-29 14:12 UTC
- Resolved: 2026-05-29 14:18 UTC
- Trigger: deploy of checkout v2.317 raising the cache TTL

## Summary
A deploy raised the TTL.

## Action items
| ID | Action | Owner | Due | Status | Class | Ticket |
|----|--------|-------|-----|--------|-------|--------|
| AI-1 | Coalesce origin fetches | pricing lead | 2026-06-12 | in progress | prevent | https://t.example/1 |
| AI-2 | Add jitter to the client | checkout on-call | next sprint | blocked | fix | - |
| AI-3 | Page on pool saturation | | TBD | done | detect | |
)";

Result<ImportPlan> Plan(std::string_view text, std::string path = "/pm/checkout.md") {
  INQ_ASSIGN_OR_RETURN(PmDocument doc, ParsePmDocument(text, std::move(path)));
  return PlanImport(doc);
}

TEST(ImportPlanTest, ReadsTheIncidentAndItsItems) {
  Result<ImportPlan> p = Plan(kDoc);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const Incident& in = p->incident;
  EXPECT_EQ(in.title, "Checkout cache stampede");
  EXPECT_EQ(in.key, "pm:checkout cache stampede@2026-05-29");
  EXPECT_EQ(in.sev, "SEV-2");
  EXPECT_EQ(in.services, (std::vector<std::string>{"checkout", "pricing"}));
  EXPECT_EQ(in.started, kTestDay + (14 * 3600 + 11 * 60) * kNanosPerSecond);
  EXPECT_EQ(in.detected - in.started, 60 * kNanosPerSecond);
  EXPECT_EQ(in.trigger_category, "deploy");
  ASSERT_EQ(p->actions.size(), 3u);
  const ActionItem& a1 = p->actions[0];
  EXPECT_EQ(a1.source_key, "AI-1");
  EXPECT_EQ(a1.owner, "pricing lead");
  EXPECT_EQ(a1.due, kTestDay + 14 * kNanosPerDay);
  EXPECT_EQ(a1.status, ActionStatus::kInProgress);
  EXPECT_EQ(a1.action_class, ActionClass::kPrevent);
  EXPECT_EQ(a1.ticket_url, "https://t.example/1");
  const ActionItem& a2 = p->actions[1];
  EXPECT_EQ(a2.due, kNoTime);
  EXPECT_EQ(a2.status, ActionStatus::kOpen);
  EXPECT_EQ(a2.action_class, ActionClass::kUnknown);
  EXPECT_TRUE(a2.ticket_url.empty());  // "-" is a blank cell
  const ActionItem& a3 = p->actions[2];
  EXPECT_TRUE(a3.owner.empty());
  EXPECT_EQ(a3.due, kNoTime);  // TBD is blank, not a bad date
  EXPECT_EQ(a3.status, ActionStatus::kDone);
  // The three things read with an assumption, each with file and line.
  std::string all;
  for (const std::string& w : p->warnings) all += w + "\n";
  EXPECT_EQ(p->warnings.size(), 3u) << all;
  EXPECT_NE(all.find("/pm/checkout.md:17: due 'next sprint' is not a date"), std::string::npos)
      << all;
  EXPECT_NE(all.find("/pm/checkout.md:17: unknown status 'blocked'"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown action class 'fix'"), std::string::npos) << all;
}

TEST(ImportPlanTest, WithoutADateTheIdentityIsThePath) {
  Result<ImportPlan> p = Plan("# Something broke\n\n## Action items\n- Fix it\n", "/pm/x.md");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->incident.key, "doc:/pm/x.md");
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].source_key, "row 1");
}

TEST(ImportPlanTest, BadDocumentsAreClearErrors) {
  // Not a post-mortem: no heading, no items.
  Result<ImportPlan> p = Plan("just a line of text\n", "/tmp/notes.txt");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  EXPECT_NE(p.status().ToString().find("/tmp/notes.txt"), std::string::npos);
  EXPECT_NE(p.status().ToString().find("not a post-mortem"), std::string::npos);
  // Binary.
  std::string binary(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\0",
      11);
  p = Plan(binary, "/tmp/a.out");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  // Huge.
  std::string huge(kMaxPmDocumentBytes + 1, 'x');
  p = Plan(huge, "/tmp/huge.md");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  // Two items with one id: a re-import could not tell them apart.
  p = Plan(
      "# T 2026-05-29\n\n## Action items\n| ID | Action |\n|---|---|\n| AI-1 | a |\n| AI-1 | b "
      "|\n",
      "/tmp/dup.md");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  EXPECT_NE(p.status().ToString().find("/tmp/dup.md:7"), std::string::npos)
      << p.status().ToString();
}

TEST(ImportPlanTest, ATableThatIsNoTableIsRefusedNotLost) {
  Result<ImportPlan> p = Plan(
      "# Outage 2026-05-29\n\n## Action items\n| ID | Action | Owner |\n|---|---|\n| AI-1 | a | "
      "b |\n",
      "/tmp/broken.md");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  EXPECT_NE(p.status().ToString().find("/tmp/broken.md:4"), std::string::npos)
      << p.status().ToString();
}

TEST(ImportPlanTest, BrokenTablesStillImportWhatTheyHold) {
  // Rows with missing and extra cells, a separator row that is not one.
  Result<ImportPlan> p = Plan(
      "# Outage 2026-05-29\n\n## Action items\n| ID | Action | Owner | Due |\n|---|---|---|---|\n| "
      "AI-1 | only an action |\n| AI-2 | too | many | 2026-06-01 | cells | here |\n",
      "/tmp/broken.md");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->actions.size(), 2u);
  EXPECT_EQ(p->actions[0].action, "only an action");
  EXPECT_EQ(p->actions[1].due, kTestDay + 3 * kNanosPerDay);
}

TEST(ImportPlanTest, TriggerCategories) {
  EXPECT_EQ(TriggerCategory("PR #4412 deployed: cache TTL 30s → 300s"), "deploy");
  EXPECT_EQ(TriggerCategory("feature flag flipped for all users"), "config");
  EXPECT_EQ(TriggerCategory("TLS certificate expired"), "expiry");
  EXPECT_EQ(TriggerCategory("traffic spike from a marketing email"), "capacity");
  EXPECT_EQ(TriggerCategory("a squirrel"), "other");
  EXPECT_EQ(TriggerCategory("  "), "");
}

// The primer's worked post-mortem and every real post-mortem in the fixtures import without
// error, and every action item the reader found is in the plan.
TEST(ImportConformanceTest, RealDocumentsImport) {
  std::filesystem::path root = TestFixturesDir() + "/postmortems";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " is not present";
  int docs = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".md") continue;
    Result<PmDocument> doc = ReadPmDocument(e.path().string());
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    Result<ImportPlan> p = PlanImport(*doc);
    if (!p.ok()) {
      // Only a document without a title and without items may be refused.
      EXPECT_TRUE(doc->title.text.empty() && doc->actions.empty()) << p.status().ToString();
      continue;
    }
    ++docs;
    EXPECT_EQ(p->actions.size(), doc->actions.size()) << e.path();
    EXPECT_FALSE(p->incident.key.empty());
  }
  EXPECT_GT(docs, 20);
}

class ImportStoreTest : public StoreTest {};

TEST_P(ImportStoreTest, ReimportFindsTheIncidentByPathAfterTheTitleChanged) {
  Result<ImportPlan> p = Plan(kDoc);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(FindImportTarget(store_.get(), &*p).ok());
  Result<ImportResult> r = store_->Import(p->incident, p->actions);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string renamed(kDoc);
  renamed.replace(renamed.find("Checkout cache stampede"), 23, "Checkout outage");
  Result<ImportPlan> q = Plan(renamed);
  ASSERT_TRUE(q.ok());
  EXPECT_NE(q->incident.key, p->incident.key);
  ASSERT_TRUE(FindImportTarget(store_.get(), &*q).ok());
  EXPECT_EQ(q->incident.key, p->incident.key);
  Result<ImportResult> r2 = store_->Import(q->incident, q->actions);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->incident_id, r->incident_id);
  EXPECT_EQ(store_->GetIncident(r->incident_id)->title, "Checkout outage");
  EXPECT_EQ(store_->ListIncidents({})->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace inquest::store
