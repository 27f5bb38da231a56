// From post-mortem documents to store records: identity, fields, warnings, bad documents, and
// every real document in the fixtures; then, on both backends, what a (re-)import does to the
// store: incidents kept apart by their id, items that never move, text changes in the history,
// dry runs, replaced items, times and the metrics computed from them.
#include "store/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/strings.h"
#include "store/connection.h"
#include "store/item_identity.h"
#include "store/metrics.h"
#include "store/migrations.h"
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
  EXPECT_EQ(in.key, "doc:/pm/checkout.md");  // no incident id: the file is the identity
  EXPECT_EQ(p->legacy_key, "pm:checkout cache stampede@2026-05-29");
  EXPECT_TRUE(p->incident_id.empty());
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
  EXPECT_EQ(p->action_lines, (std::vector<int>{16, 17, 18}));
  EXPECT_EQ(p->LineOf("AI-2"), 17);
  // The three things read with an assumption, each with file and line, and the missing id.
  std::string all;
  for (const std::string& w : p->warnings) all += w + "\n";
  EXPECT_EQ(p->warnings.size(), 4u) << all;
  EXPECT_NE(all.find("/pm/checkout.md: no 'Incident:' line"), std::string::npos) << all;
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

// The header `analyze` and `pm new` write (postmortem/draft_render.h), with the five times on
// two lines, then the action items. INCIDENT, TITLE and ROWS are replaced.
constexpr std::string_view kChainDoc =
    R"(# Post-Mortem: TITLE        SEV-2   2026-05-29
Incident: INCIDENT    Status: Final    Author: payments on-call    Reviewers: SRE lead
Started: 2026-05-29 14:11:00 UTC    Detected: 2026-05-29 14:12:30 UTC    Acknowledged: 2026-05-29 14:15:00 UTC
Mitigated: 2026-05-29 14:18:00 UTC    Resolved: 2026-05-29 14:40:00 UTC

- Services: checkout
- Trigger: deploy of checkout v2.317 raising the cache TTL

## Summary
A deploy raised the TTL.

## Action items
| ID | Action | Owner | Due | Status | Class | Ticket |
|----|--------|-------|-----|--------|-------|--------|
ROWS)";

// The checkout post-mortem's four items.
constexpr std::string_view kRows =
    R"(| AI-1 | Coalesce pricing cache origin fetches (singleflight) | pricing lead | 2026-06-12 | in progress | prevent | |
| AI-2 | Add jitter and a circuit breaker to the checkout to pricing client | checkout on-call | 2026-06-05 | open | mitigate | |
| AI-3 | Stage config rollouts 1% then 10% then 100% with an error-rate gate | release lead | 2026-06-30 | open | prevent | |
| AI-4 | Alert on pricing DB pool saturation above 90% for 1 minute | SRE on-call | 2026-06-03 | done | detect | |
)";

std::string ChainDoc(std::string_view incident, std::string_view rows = kRows,
                     std::string_view title = "Checkout cache stampede") {
  std::string d(kChainDoc);
  d.replace(d.find("INCIDENT"), 8, incident);
  d.replace(d.find("TITLE"), 5, title);
  d.replace(d.find("ROWS"), 4, rows);
  return d;
}

// `text` with the first `from` replaced by `to`.
std::string Edit(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ImportPlanTest, TheIncidentLineIsTheIdentity) {
  Result<ImportPlan> p = Plan(ChainDoc("inc-20260529-1411-3fa9c2"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->incident.key, "id:inc-20260529-1411-3fa9c2");
  EXPECT_EQ(p->incident_id, "inc-20260529-1411-3fa9c2");
  EXPECT_EQ(p->legacy_key, "pm:checkout cache stampede@2026-05-29");
  for (const std::string& w : p->warnings) EXPECT_EQ(w.find("Incident:"), std::string::npos) << w;
  // Any token will do, markup around it ignored.
  p = Plan(ChainDoc("`INC-2291`"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->incident.key, "id:INC-2291");
  // A placeholder is no id.
  p = Plan(ChainDoc("TBD"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->incident.key, "doc:/pm/checkout.md");
  ASSERT_FALSE(p->warnings.empty());
  EXPECT_NE(p->warnings[0].find("/pm/checkout.md:2: no 'Incident:' line"), std::string::npos)
      << p->warnings[0];
}

// A draft's unanswered questions are no owner, date, ticket or time: the store keeps none until
// the author answers them (pm lint reports them meanwhile).
TEST(ImportPlanTest, FillInQuestionsAreBlank) {
  std::string draft = ChainDoc(
      "inc-1",
      "| AI-1 | Stage checkout rollouts | _Fill in: role or person_ | _Fill in: YYYY-MM-DD_ | "
      "open | prevent | _Fill in: tracker link_ |\n");
  draft = Edit(draft, "Acknowledged: 2026-05-29 14:15:00 UTC",
               "Acknowledged: _Fill in: when a person took the page_");
  Result<ImportPlan> p = Plan(draft);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_TRUE(p->actions[0].owner.empty()) << p->actions[0].owner;
  EXPECT_EQ(p->actions[0].due, kNoTime);
  EXPECT_TRUE(p->actions[0].ticket_url.empty()) << p->actions[0].ticket_url;
  EXPECT_EQ(p->incident.acknowledged, kNoTime);
  for (const std::string& w : p->warnings) ADD_FAILURE() << w;
  p = Plan(ChainDoc("_Fill in: an id_"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->incident.key, "doc:/pm/checkout.md");
}

TEST(ImportPlanTest, TheTimesOfTheHeaderAreRead) {
  Result<ImportPlan> p = Plan(ChainDoc("inc-1"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const Incident& in = p->incident;
  TimePoint start = kTestDay + (14 * 3600 + 11 * 60) * kNanosPerSecond;
  EXPECT_EQ(in.started, start);
  EXPECT_EQ(in.detected, start + 90 * kNanosPerSecond);
  EXPECT_EQ(in.acknowledged, start + 4 * 60 * kNanosPerSecond);
  EXPECT_EQ(in.mitigated, start + 7 * 60 * kNanosPerSecond);
  EXPECT_EQ(in.resolved, start + 29 * 60 * kNanosPerSecond);
  EXPECT_TRUE(p->warnings.empty()) << p->warnings[0];
}

TEST(ImportPlanTest, SuggestedIdsAreStableAndTellDocumentsApart) {
  Result<PmDocument> a = ParsePmDocument(ChainDoc("TBD"), "/pm/a.md");
  Result<PmDocument> b = ParsePmDocument(ChainDoc("TBD", kRows, "Checkout down"), "/pm/a.md");
  ASSERT_TRUE(a.ok() && b.ok());
  TimePoint start = kTestDay + (14 * 3600 + 11 * 60) * kNanosPerSecond;
  std::string id = SuggestIncidentId(*a, start);
  EXPECT_TRUE(id.starts_with("inc-20260529-1411-")) << id;
  EXPECT_EQ(id.size(), std::string_view("inc-20260529-1411-3fa9c2").size()) << id;
  EXPECT_EQ(SuggestIncidentId(*a, start), id);
  EXPECT_NE(SuggestIncidentId(*b, start), id);
  EXPECT_TRUE(SuggestIncidentId(*a, kNoTime).starts_with("inc-20260529-"));  // the date line
}

class ImportStoreTest : public StoreTest {
 protected:
  struct Imported {
    ImportPlan plan;
    ImportResult result;
  };
  // Plans `text` as the file `path`, finds its incident and imports it, as `pm import` does.
  Imported Import(std::string_view text, std::string path, bool dry_run = false) {
    Imported out;
    Result<ImportPlan> p = Plan(text, std::move(path));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return out;
    out.plan = std::move(p).value();
    Status found = FindImportTarget(store_.get(), &out.plan);
    EXPECT_TRUE(found.ok()) << found.ToString();
    ImportOptions o;
    o.dry_run = dry_run;
    Result<ImportResult> r = store_->Import(out.plan.incident, out.plan.actions, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) out.result = std::move(r).value();
    return out;
  }

  // The incident's items by their document id, with history.
  std::map<std::string, ActionItem> Items(int64_t incident) {
    ActionFilter f;
    f.incident_id = incident;
    f.with_history = true;
    Result<std::vector<ActionItem>> all = store_->ListActions(f);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    std::map<std::string, ActionItem> out;
    if (all.ok()) {
      for (ActionItem& a : *all) out[a.source_key] = std::move(a);
    }
    return out;
  }

  // Sets what `actions sync` and `actions update` set in the store: a ticket, a status with a
  // note, a class.
  void TrackInStore(int64_t item, std::string ticket, ActionStatus status) {
    ActionUpdate u;
    u.ticket_url = std::move(ticket);
    u.status = status;
    u.note = "closed in the tracker";
    ASSERT_TRUE(store_->UpdateAction(item, u).ok());
  }
};

// The issue's mis-identity: a different document with the same title and day must not rewrite
// the first incident's items.
TEST_P(ImportStoreTest, SameTitleAndDayWithDifferentIdsStayTwoIncidents) {
  Imported a = Import(ChainDoc("inc-20260529-1411-aaaaaa"), "/pm/checkout.md");
  ASSERT_TRUE(a.result.incident_created);
  std::map<std::string, ActionItem> before = Items(a.result.incident_id);
  ASSERT_EQ(before.size(), 4u);
  TrackInStore(before["AI-2"].id, "https://t.example/PAY-2", ActionStatus::kDone);
  before = Items(a.result.incident_id);

  std::string other_rows =
      "| AI-1 | Require a change ticket for manual catalog flushes | catalog lead | 2026-07-01 | "
      "open | | |\n| AI-2 | Page on checkout error ratio above 5% for 1 minute | SRE on-call | "
      "2026-06-20 | open | | |\n";
  now_ += 3600 * kNanosPerSecond;
  Imported b = Import(ChainDoc("inc-20260529-1420-bbbbbb", other_rows), "/other/checkout.md");
  EXPECT_TRUE(b.result.incident_created);
  EXPECT_NE(b.result.incident_id, a.result.incident_id);
  EXPECT_EQ(b.result.actions_added, 2);
  EXPECT_EQ(store_->ListIncidents({})->size(), 2u);

  // The first incident's items are as they were: text, ticket, status, class, history.
  std::map<std::string, ActionItem> after = Items(a.result.incident_id);
  ASSERT_EQ(after.size(), 4u);
  for (const auto& [key, item] : before) {
    EXPECT_EQ(after[key].action, item.action) << key;
    EXPECT_EQ(after[key].ticket_url, item.ticket_url) << key;
    EXPECT_EQ(after[key].status, item.status) << key;
    EXPECT_EQ(after[key].action_class, item.action_class) << key;
    EXPECT_EQ(after[key].history.size(), item.history.size()) << key;
  }
  std::map<std::string, ActionItem> theirs = Items(b.result.incident_id);
  ASSERT_EQ(theirs.size(), 2u);
  EXPECT_EQ(theirs["AI-2"].action, "Page on checkout error ratio above 5% for 1 minute");
  EXPECT_TRUE(theirs["AI-2"].ticket_url.empty());

  // Documents without an id are never matched on title and day either: a different file is a
  // different incident.
  Imported c = Import(Edit(ChainDoc("TBD"), "Incident: TBD    ", ""), "/third/checkout.md");
  EXPECT_TRUE(c.result.incident_created);
  EXPECT_EQ(store_->ListIncidents({})->size(), 3u);
}

TEST_P(ImportStoreTest, ReimportOfAnEditedCopyChangesExactlyTheEditedItems) {
  Imported first = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  int64_t incident = first.result.incident_id;
  std::map<std::string, ActionItem> before = Items(incident);
  TrackInStore(before["AI-2"].id, "https://t.example/PAY-2", ActionStatus::kInProgress);
  before = Items(incident);

  // An edited copy elsewhere (another checkout): AI-2 reworded, AI-1 closed, AI-3's class cell
  // emptied.
  std::string edited = ChainDoc("inc-1");
  edited = Edit(edited, "Add jitter and a circuit breaker to the checkout to pricing client",
                "Add 10% jitter and a circuit breaker to the checkout to pricing client");
  edited = Edit(edited, "2026-06-12 | in progress |", "2026-06-12 | done |");
  edited = Edit(edited, "| open | prevent | |\n| AI-4", "| open | | |\n| AI-4");
  now_ += 24 * 3600 * kNanosPerSecond;
  Imported second = Import(edited, "/copy/checkout.md");
  const ImportResult& r = second.result;
  EXPECT_EQ(second.plan.matched_by, "incident id");
  EXPECT_FALSE(r.incident_created);
  EXPECT_EQ(r.incident_id, incident);
  EXPECT_EQ(r.actions_updated, 2);
  EXPECT_EQ(r.actions_unchanged, 2);
  EXPECT_EQ(r.actions_added + r.actions_replaced, 0);
  EXPECT_TRUE(r.actions_missing_from_document.empty());
  ASSERT_EQ(r.incident_changes.size(), 1u);
  EXPECT_EQ(r.incident_changes[0].field, "document");

  std::map<std::string, ActionItem> after = Items(incident);
  // AI-2: the new text, its text change in the history, and what the store held kept.
  const ActionItem& ai2 = after["AI-2"];
  EXPECT_EQ(ai2.id, before["AI-2"].id);
  EXPECT_EQ(ai2.action, "Add 10% jitter and a circuit breaker to the checkout to pricing client");
  EXPECT_EQ(ai2.ticket_url, "https://t.example/PAY-2");
  EXPECT_EQ(ai2.status, ActionStatus::kInProgress);
  ASSERT_EQ(ai2.history.size(), before["AI-2"].history.size() + 1);
  const StatusChange& text = ai2.history.back();
  ASSERT_TRUE(text.is_text_change());
  EXPECT_EQ(*text.old_text, "Add jitter and a circuit breaker to the checkout to pricing client");
  EXPECT_EQ(*text.new_text, ai2.action);
  EXPECT_EQ(text.from, ActionStatus::kInProgress);
  EXPECT_EQ(text.to, ActionStatus::kInProgress);
  EXPECT_EQ(text.note, "imported from /copy/checkout.md");
  // AI-1: the status change.
  EXPECT_EQ(after["AI-1"].status, ActionStatus::kDone);
  EXPECT_EQ(after["AI-1"].history.back().from, ActionStatus::kInProgress);
  // AI-3: the class the document no longer states is kept; nothing else changed.
  EXPECT_EQ(after["AI-3"].action_class, ActionClass::kPrevent);
  EXPECT_EQ(after["AI-3"].updated, before["AI-3"].updated);
  EXPECT_EQ(after["AI-3"].history.size(), 1u);
  EXPECT_EQ(after["AI-4"].updated, before["AI-4"].updated);
  // The change list says the same.
  std::map<std::string, std::vector<std::string>> changed;
  for (const ItemChange& c : r.items) {
    for (const FieldChange& f : c.changes) changed[c.source_key].push_back(f.field);
  }
  EXPECT_EQ(changed, (std::map<std::string, std::vector<std::string>>{{"AI-1", {"status"}},
                                                                      {"AI-2", {"text"}}}));

  // Importing the same copy again changes nothing.
  Imported third = Import(edited, "/copy/checkout.md");
  EXPECT_EQ(third.result.actions_unchanged, 4);
  EXPECT_EQ(Items(incident)["AI-2"].history.size(), ai2.history.size());
}

TEST_P(ImportStoreTest, ATextSetInTheStoreIsNotUndoneByAnUnchangedDocument) {
  Imported first = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  int64_t ai3 = Items(first.result.incident_id)["AI-3"].id;
  ActionUpdate u;
  u.action = "Stage every config rollout: 1%, 10%, 100%, gated on the error rate";
  u.note = "reworded in review";
  Result<ActionItem> updated = store_->UpdateAction(ai3, u);
  ASSERT_TRUE(updated.ok());
  ASSERT_EQ(updated->history.size(), 2u);
  EXPECT_TRUE(updated->history[1].is_text_change());
  Imported again = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  EXPECT_EQ(again.result.actions_unchanged, 4);
  EXPECT_EQ(store_->GetAction(ai3)->action, *u.action);
}

TEST_P(ImportStoreTest, ADryRunWritesNothingAndReportsTheDiff) {
  // A new incident: reported, not stored.
  Imported dry = Import(ChainDoc("inc-1"), "/pm/checkout.md", /*dry_run=*/true);
  EXPECT_TRUE(dry.result.dry_run);
  EXPECT_TRUE(dry.result.incident_created);
  EXPECT_EQ(dry.result.incident_id, 0);
  EXPECT_EQ(dry.result.actions_added, 4);
  EXPECT_TRUE(store_->ListIncidents({})->empty());
  EXPECT_TRUE(store_->ListActions({})->empty());

  Imported first = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  int64_t incident = first.result.incident_id;
  std::map<std::string, ActionItem> before = Items(incident);
  Result<Incident> stored = store_->GetIncident(incident);
  ASSERT_TRUE(stored.ok());

  std::string edited = ChainDoc("inc-1");
  edited = Edit(edited, "Add jitter and a circuit breaker", "Add 10% jitter and a circuit breaker");
  edited = Edit(edited, "2026-06-12 | in progress |", "2026-06-12 | done |");
  edited = Edit(edited, "| AI-3 |", "| AI-5 |");
  edited = Edit(edited, "Resolved: 2026-05-29 14:40:00 UTC", "Resolved: 2026-05-29 14:45:00 UTC");
  now_ += 3600 * kNanosPerSecond;
  Imported diff = Import(edited, "/pm/checkout.md", /*dry_run=*/true);
  const ImportResult& r = diff.result;
  EXPECT_TRUE(r.dry_run);
  EXPECT_EQ(r.incident_id, incident);
  EXPECT_EQ(r.actions_added, 1);
  EXPECT_EQ(r.actions_updated, 2);
  EXPECT_EQ(r.actions_unchanged, 1);
  ASSERT_EQ(r.incident_changes.size(), 1u);
  EXPECT_EQ(r.incident_changes[0].field, "resolved");
  EXPECT_EQ(r.incident_changes[0].from, "2026-05-29T14:40:00Z");
  EXPECT_EQ(r.incident_changes[0].to, "2026-05-29T14:45:00Z");
  std::map<std::string, std::string> kinds;
  for (const ItemChange& c : r.items) kinds[c.source_key] = std::string(ItemChangeName(c.kind));
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"AI-1", "updated"},
                                                       {"AI-2", "updated"},
                                                       {"AI-3", "missing"},
                                                       {"AI-4", "unchanged"},
                                                       {"AI-5", "added"}}));
  for (const ItemChange& c : r.items) {
    if (c.kind == ItemChange::Kind::kAdded) EXPECT_EQ(c.id, 0);
  }

  // Nothing was written.
  Result<Incident> still = store_->GetIncident(incident);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->resolved, stored->resolved);
  EXPECT_EQ(still->updated, stored->updated);
  std::map<std::string, ActionItem> after = Items(incident);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [key, item] : before) {
    EXPECT_EQ(after[key].action, item.action) << key;
    EXPECT_EQ(after[key].status, item.status) << key;
    EXPECT_EQ(after[key].updated, item.updated) << key;
    EXPECT_EQ(after[key].history.size(), item.history.size()) << key;
  }
  EXPECT_EQ(store_->ListIncidents({})->size(), 1u);

  // The real import does what the dry run said.
  Imported real = Import(edited, "/pm/checkout.md");
  EXPECT_EQ(real.result.actions_added, 1);
  EXPECT_EQ(real.result.actions_updated, 2);
  EXPECT_EQ(real.result.actions_missing_from_document, std::vector<int64_t>{before["AI-3"].id});
}

TEST_P(ImportStoreTest, AReplacedItemDoesNotInheritTheTicketStatusOrNotes) {
  Imported first = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  int64_t incident = first.result.incident_id;
  ActionItem old = Items(incident)["AI-2"];
  TrackInStore(old.id, "https://t.example/PAY-2", ActionStatus::kDone);

  // AI-2 now names another item altogether (rows swapped, an id reused).
  std::string swapped =
      Edit(ChainDoc("inc-1"), "Add jitter and a circuit breaker to the checkout to pricing client",
           "Require a change ticket for manual catalog flushes");
  now_ += 3600 * kNanosPerSecond;
  Imported second = Import(swapped, "/pm/checkout.md");
  const ImportResult& r = second.result;
  EXPECT_EQ(r.actions_replaced, 1);
  EXPECT_EQ(r.actions_updated, 0);
  EXPECT_EQ(r.actions_missing_from_document, std::vector<int64_t>{old.id});
  const ItemChange* replaced = nullptr;
  for (const ItemChange& c : r.items) {
    if (c.kind == ItemChange::Kind::kReplaced) replaced = &c;
  }
  ASSERT_NE(replaced, nullptr);
  EXPECT_EQ(replaced->source_key, "AI-2");
  EXPECT_EQ(replaced->replaced_id, old.id);
  EXPECT_LT(replaced->overlap, kMinSameItemOverlap);
  EXPECT_EQ(second.plan.LineOf("AI-2"), 16);

  std::map<std::string, ActionItem> after = Items(incident);
  // The new item: the document's text and status, no ticket.
  const ActionItem& fresh = after["AI-2"];
  EXPECT_NE(fresh.id, old.id);
  EXPECT_EQ(fresh.action, "Require a change ticket for manual catalog flushes");
  EXPECT_TRUE(fresh.ticket_url.empty());
  EXPECT_EQ(fresh.status, ActionStatus::kOpen);
  ASSERT_EQ(fresh.history.size(), 1u);
  EXPECT_EQ(fresh.history[0].note.find("closed in the tracker"), std::string::npos);
  // The earlier item: kept with its ticket, status and notes, under a key no document uses.
  std::string old_key = fmt::format("AI-2 (replaced by #{})", fresh.id);
  ASSERT_TRUE(after.contains(old_key));
  const ActionItem& kept = after[old_key];
  EXPECT_EQ(kept.id, old.id);
  EXPECT_EQ(kept.action, old.action);
  EXPECT_EQ(kept.ticket_url, "https://t.example/PAY-2");
  EXPECT_EQ(kept.status, ActionStatus::kDone);
  ASSERT_EQ(kept.history.size(), 3u);  // created, done, replaced
  EXPECT_EQ(kept.history[1].note, "closed in the tracker");
  EXPECT_NE(kept.history[2].note.find("now names a different item"), std::string::npos);

  // Importing the same document again replaces nothing more.
  Imported third = Import(swapped, "/pm/checkout.md");
  EXPECT_EQ(third.result.actions_replaced, 0);
  EXPECT_EQ(third.result.actions_unchanged, 4);
  EXPECT_EQ(Items(incident).size(), 5u);
}

TEST_P(ImportStoreTest, TimesAreStoredAndTheMetricsComputedFromThem) {
  Import(ChainDoc("inc-1"), "/pm/checkout.md");
  // A second SEV-2: detected after 10 minutes, resolved after an hour, no mitigation stated.
  std::string later = ChainDoc("inc-2", kRows, "Checkout errors after a catalog flush");
  later = Edit(later, "Started: 2026-05-29 14:11:00 UTC    Detected: 2026-05-29 14:12:30 UTC",
               "Started: 2026-05-29 18:00:00 UTC    Detected: 2026-05-29 18:10:00 UTC");
  later = Edit(later, "Acknowledged: 2026-05-29 14:15:00 UTC", "Acknowledged: -");
  later = Edit(later, "Mitigated: 2026-05-29 14:18:00 UTC    Resolved: 2026-05-29 14:40:00 UTC",
               "Mitigated: -    Resolved: 2026-05-29 19:00:00 UTC");
  Import(later, "/pm/flush.md");
  Result<std::vector<Incident>> all = store_->ListIncidents({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  const Incident& first = (*all)[0];
  TimePoint start = kTestDay + (14 * 3600 + 11 * 60) * kNanosPerSecond;
  EXPECT_EQ(first.started, start);
  EXPECT_EQ(first.detected, start + 90 * kNanosPerSecond);
  EXPECT_EQ(first.acknowledged, start + 4 * 60 * kNanosPerSecond);
  EXPECT_EQ(first.mitigated, start + 7 * 60 * kNanosPerSecond);
  EXPECT_EQ(first.resolved, start + 29 * 60 * kNanosPerSecond);
  EXPECT_EQ((*all)[1].acknowledged, kNoTime);
  EXPECT_EQ((*all)[1].mitigated, kNoTime);

  Result<Metrics> m = ComputeMetrics(store_.get(), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->per_sev.size(), 1u);
  const SevMetrics& sev2 = m->per_sev[0];
  EXPECT_EQ(sev2.sev, "SEV-2");
  EXPECT_EQ(sev2.incidents, 2);
  EXPECT_EQ(sev2.ttd.n, 2);
  EXPECT_EQ(sev2.ttd.missing, 0);
  // TTD 90 s and 600 s; TTR 7 min (mitigated) and 60 min (resolved, no mitigation).
  EXPECT_EQ(sev2.ttd.median, 345 * kNanosPerSecond);
  EXPECT_EQ(sev2.ttd.max, 600 * kNanosPerSecond);
  EXPECT_EQ(sev2.ttr.n, 2);
  EXPECT_EQ(sev2.ttr.median, (7 + 60) * 30 * kNanosPerSecond);
  EXPECT_EQ(sev2.ttr.max, 3600 * kNanosPerSecond);
}

TEST_P(ImportStoreTest, AnIdLessDocumentFindsItsIncidentByItsFileAfterTheTitleChanged) {
  Imported first = Import(kDoc, "/pm/checkout.md");
  std::string renamed(kDoc);
  renamed.replace(renamed.find("Checkout cache stampede"), 23, "Checkout outage");
  Imported second = Import(renamed, "/pm/checkout.md");
  EXPECT_EQ(second.plan.matched_by, "same file");
  EXPECT_EQ(second.result.incident_id, first.result.incident_id);
  EXPECT_EQ(store_->GetIncident(first.result.incident_id)->title, "Checkout outage");
  EXPECT_EQ(store_->ListIncidents({})->size(), 1u);
}

// Stores written before incident ids keyed documents "pm:<title>@<date>": an id-less document
// from the same file still updates its incident, another file with the same title and day
// does not, and adding an `Incident:` line adopts the incident instead of duplicating it.
TEST_P(ImportStoreTest, IncidentsOfEarlierStoresAreFoundByTheirFile) {
  std::string no_id = Edit(ChainDoc("TBD"), "Incident: TBD    ", "");
  Result<ImportPlan> p = Plan(no_id, "/pm/checkout.md");
  ASSERT_TRUE(p.ok());
  Incident legacy = p->incident;
  legacy.key = p->legacy_key;  // as the earlier inquest stored it
  Result<ImportResult> old = store_->Import(legacy, p->actions);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  int64_t incident = old->incident_id;

  Imported same_file = Import(Edit(no_id, "Add jitter", "Add 10% jitter"), "/pm/checkout.md");
  EXPECT_EQ(same_file.plan.matched_by, "same file");
  EXPECT_EQ(same_file.result.incident_id, incident);
  EXPECT_EQ(same_file.result.actions_updated, 1);
  EXPECT_EQ(store_->GetIncident(incident)->key, "pm:checkout cache stampede@2026-05-29");

  Imported elsewhere = Import(no_id, "/elsewhere/checkout.md");
  EXPECT_TRUE(elsewhere.result.incident_created);
  EXPECT_EQ(store_->ListIncidents({})->size(), 2u);

  std::string with_id = Edit(ChainDoc("inc-20260529-1411-3fa9c2"), "Add jitter", "Add 10% jitter");
  Imported adopted = Import(with_id, "/pm/checkout.md");
  EXPECT_EQ(adopted.plan.matched_by, "adopted");
  EXPECT_EQ(adopted.result.incident_id, incident);
  EXPECT_EQ(adopted.result.actions_unchanged, 4);
  EXPECT_EQ(store_->GetIncident(incident)->key, "id:inc-20260529-1411-3fa9c2");
  EXPECT_EQ(store_->ListIncidents({})->size(), 2u);

  // Now the id is the identity: a copy of the file elsewhere updates the same incident, and a
  // copy without the line does not touch it (and says which line to add).
  Imported moved = Import(with_id, "/moved/checkout.md");
  EXPECT_EQ(moved.result.incident_id, incident);
  Imported stripped = Import(no_id, "/moved/checkout.md");
  EXPECT_TRUE(stripped.result.incident_created);
  std::string warnings;
  for (const std::string& w : stripped.plan.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("'Incident: inc-20260529-1411-3fa9c2'"), std::string::npos) << warnings;
  EXPECT_EQ(Items(incident)["AI-2"].action.substr(0, 14), "Add 10% jitter");
}

// A store at schema version 2 (before text history) is migrated with its data: items keep
// their history, and the first import after it treats the stored text as the document's.
TEST_P(ImportStoreTest, AVersion2StoreIsMigrated) {
  Imported first = Import(ChainDoc("inc-1"), "/pm/checkout.md");
  int64_t incident = first.result.incident_id;
  store_.reset();
  {
    Result<std::unique_ptr<Connection>> c =
        GetParam() == "sqlite" ? OpenSqlite(spec_, 1000) : OpenPostgres(spec_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->ExecScript("ALTER TABLE action_items DROP COLUMN imported_text;"
                                 "ALTER TABLE action_status_history DROP COLUMN old_text;"
                                 "ALTER TABLE action_status_history DROP COLUMN new_text;"
                                 "UPDATE schema_version SET version = 2;")
                    .ok());
  }
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(*store_->SchemaVersion(), LatestSchemaVersion());
  std::map<std::string, ActionItem> items = Items(incident);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items["AI-1"].history.size(), 1u);
  EXPECT_FALSE(items["AI-1"].history[0].is_text_change());
  Imported again =
      Import(Edit(ChainDoc("inc-1"), "Add jitter", "Add 10% jitter"), "/pm/checkout.md");
  EXPECT_EQ(again.result.actions_updated, 1);
  EXPECT_EQ(again.result.actions_unchanged, 3);
  EXPECT_TRUE(Items(incident)["AI-2"].history.back().is_text_change());
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace inquest::store
