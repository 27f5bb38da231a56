// The store's contract, run against SQLite and PostgreSQL alike.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <thread>

#include "store/migrations.h"
#include "store/store_test_util.h"

namespace inquest::store {
namespace {

constexpr TimePoint kAnHour = 3600 * kNanosPerSecond;

Incident Checkout() {
  Incident i;
  i.key = "doc:/pm/checkout.md";
  i.title = "Checkout cache stampede";
  i.sev = "SEV-2";
  i.services = {"checkout", "cart-cache"};
  i.started = kTestDay + 14 * kAnHour;
  i.detected = i.started + 7 * 60 * kNanosPerSecond;
  i.resolved = i.started + 2 * kAnHour;
  i.trigger_category = "config";
  i.summary = "cache flush";
  i.document_path = "/pm/checkout.md";
  return i;
}

ActionItem Item(std::string key, std::string text, std::string owner = "payments-oncall") {
  ActionItem a;
  a.source_key = std::move(key);
  a.action = std::move(text);
  a.owner = std::move(owner);
  a.due = kTestDay + 14 * kNanosPerDay;
  a.action_class = ActionClass::kPrevent;
  a.ticket_url = "https://tickets.example/PAY-1";
  return a;
}

TEST_P(StoreTest, MigratesToTheLatestVersionOnceAndReopens) {
  Result<int> v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, LatestSchemaVersion());
  EXPECT_EQ(store_->backend(), GetParam());
  auto again = Open();  // migrating an up-to-date store changes nothing
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(*again->SchemaVersion(), LatestSchemaVersion());
}

TEST_P(StoreTest, IncidentRoundTripsAndUpdatesByKey) {
  Incident in = Checkout();
  Result<int64_t> id = store_->PutIncident(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<Incident> got = store_->GetIncident(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->title, in.title);
  EXPECT_EQ(got->services, in.services);
  EXPECT_EQ(got->started, in.started);
  EXPECT_EQ(got->detected, in.detected);
  EXPECT_EQ(got->acknowledged, kNoTime);
  EXPECT_EQ(got->resolved, in.resolved);
  EXPECT_EQ(got->trigger_category, "config");
  EXPECT_EQ(got->created, now_.load());

  in.title = "Checkout outage";
  in.services = {"checkout"};
  now_ += kAnHour;
  Result<int64_t> id2 = store_->PutIncident(in);
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ(*id2, *id);
  got = store_->GetIncident(*id);
  EXPECT_EQ(got->title, "Checkout outage");
  EXPECT_EQ(got->services, std::vector<std::string>{"checkout"});
  EXPECT_EQ(got->updated, now_.load());
  EXPECT_LT(got->created, got->updated);

  Result<std::optional<Incident>> by_key = store_->FindIncidentByKey(in.key);
  ASSERT_TRUE(by_key.ok());
  ASSERT_TRUE(by_key->has_value());
  EXPECT_EQ((*by_key)->id, *id);
  EXPECT_FALSE(store_->FindIncidentByKey("doc:/nowhere")->has_value());
  EXPECT_EQ(store_->GetIncident(9999).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, KeylessIncidentsGetTheirIdAsKey) {
  Incident a;
  a.title = "by hand";
  Result<int64_t> id = store_->PutIncident(a);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<int64_t> id2 = store_->PutIncident(a);
  ASSERT_TRUE(id2.ok());
  EXPECT_NE(*id, *id2);
  // Not "id:<n>", which names a document's incident id (import.h).
  EXPECT_EQ(store_->GetIncident(*id)->key, fmt::format("store:{}", *id));
  Incident untitled;
  EXPECT_EQ(store_->PutIncident(untitled).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, ListIncidentsFiltersBySinceAndSev) {
  Incident a = Checkout();
  Incident b = Checkout();
  b.key = "doc:b";
  b.sev = "SEV-1";
  b.started = a.started + 3 * kNanosPerDay;
  Incident c;
  c.title = "no start";
  ASSERT_TRUE(store_->PutIncident(b).ok());
  ASSERT_TRUE(store_->PutIncident(a).ok());
  ASSERT_TRUE(store_->PutIncident(c).ok());
  Result<std::vector<Incident>> all = store_->ListIncidents({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].key, a.key);  // by start time, unknown last
  EXPECT_EQ((*all)[1].key, b.key);
  EXPECT_EQ((*all)[2].title, "no start");
  EXPECT_EQ((*all)[0].services, a.services);
  IncidentFilter f;
  f.since = a.started + kNanosPerDay;
  ASSERT_EQ(store_->ListIncidents(f)->size(), 1u);
  IncidentFilter g;
  g.sev = "SEV-2";
  ASSERT_EQ(store_->ListIncidents(g)->size(), 1u);
  EXPECT_EQ(store_->ListIncidents(g)->front().key, a.key);
}

TEST_P(StoreTest, AddedItemHasItsCreationInHistory) {
  int64_t inc = *store_->PutIncident(Checkout());
  ActionItem a = Item("", "Add jitter to cache TTLs");
  a.incident_id = inc;
  Result<int64_t> id = store_->AddAction(a);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<ActionItem> got = store_->GetAction(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->action, a.action);
  EXPECT_EQ(got->incident_id, inc);
  EXPECT_EQ(got->due, a.due);
  EXPECT_EQ(got->action_class, ActionClass::kPrevent);
  EXPECT_EQ(got->status, ActionStatus::kOpen);
  ASSERT_EQ(got->history.size(), 1u);
  EXPECT_FALSE(got->history[0].from.has_value());
  EXPECT_EQ(got->history[0].to, ActionStatus::kOpen);
  EXPECT_EQ(got->history[0].at, now_.load());
  EXPECT_EQ(got->status_changed, now_.load());

  a.incident_id = 4242;
  EXPECT_EQ(store_->AddAction(a).status().code(), StatusCode::kNotFound);
  ActionItem empty;
  empty.action = "  ";
  EXPECT_EQ(store_->AddAction(empty).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetAction(777).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, UpdatesChangeOnlyWhatIsSetAndRecordStatusChanges) {
  int64_t id = *store_->AddAction(Item("", "Alert on cache hit ratio"));
  TimePoint created = now_.load();
  now_ += kAnHour;
  ActionUpdate u;
  u.status = ActionStatus::kInProgress;
  u.note = "started";
  Result<ActionItem> after = store_->UpdateAction(id, u);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->status, ActionStatus::kInProgress);
  EXPECT_EQ(after->owner, "payments-oncall");  // untouched
  EXPECT_EQ(after->status_changed, created + kAnHour);
  ASSERT_EQ(after->history.size(), 2u);
  EXPECT_EQ(after->history[1].from, ActionStatus::kOpen);
  EXPECT_EQ(after->history[1].to, ActionStatus::kInProgress);
  EXPECT_EQ(after->history[1].note, "started");

  // Same status again: nothing recorded, status_changed kept.
  now_ += kAnHour;
  ActionUpdate same;
  same.status = ActionStatus::kInProgress;
  same.owner = "sre";
  same.due = kNoTime;
  after = store_->UpdateAction(id, same);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->history.size(), 2u);
  EXPECT_EQ(after->owner, "sre");
  EXPECT_EQ(after->due, kNoTime);
  EXPECT_EQ(after->status_changed, created + kAnHour);
  EXPECT_EQ(after->updated, created + 2 * kAnHour);

  ActionUpdate done;
  done.status = ActionStatus::kDone;
  after = store_->UpdateAction(id, done);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->history.size(), 3u);
  EXPECT_EQ(after->history[2].to, ActionStatus::kDone);
  EXPECT_EQ(store_->UpdateAction(999, done).status().code(), StatusCode::kNotFound);
  ActionUpdate blank;
  blank.action = "";
  EXPECT_EQ(store_->UpdateAction(id, blank).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, TextChangesAreRecordedInTheHistory) {
  int64_t id = *store_->AddAction(Item("", "Alert on cache hit ratio"));
  now_ += kAnHour;
  ActionUpdate u;
  u.action = "Alert when the cache hit ratio falls below 80% for 5 minutes";
  u.status = ActionStatus::kInProgress;
  u.note = "sharpened in review";
  Result<ActionItem> after = store_->UpdateAction(id, u);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  // created, the text change, the status change; each entry's `from` is the last `to`.
  ASSERT_EQ(after->history.size(), 3u);
  const StatusChange& text = after->history[1];
  ASSERT_TRUE(text.is_text_change());
  EXPECT_EQ(*text.old_text, "Alert on cache hit ratio");
  EXPECT_EQ(*text.new_text, *u.action);
  EXPECT_EQ(text.from, ActionStatus::kOpen);
  EXPECT_EQ(text.to, ActionStatus::kOpen);
  EXPECT_EQ(text.note, "sharpened in review");
  EXPECT_EQ(text.at, now_.load());
  EXPECT_FALSE(after->history[2].is_text_change());
  EXPECT_EQ(after->history[2].to, ActionStatus::kInProgress);
  // A text change alone is not a status change.
  EXPECT_EQ(after->status_changed, now_.load());
  now_ += kAnHour;
  ActionUpdate again;
  again.action = "Alert when the cache hit ratio falls below 75% for 5 minutes";
  after = store_->UpdateAction(id, again);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status_changed, now_.load() - kAnHour);
  ActionFilter f;
  f.with_history = true;
  Result<std::vector<ActionItem>> listed = store_->ListActions(f);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ((*listed)[0].history.size(), 4u);
  EXPECT_EQ(*(*listed)[0].history[3].old_text, *u.action);
}

TEST_P(StoreTest, ListFiltersByOwnerIncidentStatusAndOverdue) {
  int64_t inc = *store_->PutIncident(Checkout());
  ActionItem a = Item("", "one", "alice");
  a.incident_id = inc;
  a.due = kTestDay;  // due on the 29th: overdue from the 30th 00:00
  ActionItem b = Item("", "two", "bob");
  b.due = kTestDay;
  ActionItem c = Item("", "three", "");
  c.incident_id = inc;
  c.due = kNoTime;
  int64_t ida = *store_->AddAction(a);
  int64_t idb = *store_->AddAction(b);
  int64_t idc = *store_->AddAction(c);
  ActionUpdate done;
  done.status = ActionStatus::kDone;
  ASSERT_TRUE(store_->UpdateAction(idb, done).ok());

  auto ids = [&](ActionFilter f) {
    std::vector<int64_t> out;
    Result<std::vector<ActionItem>> r = store_->ListActions(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const ActionItem& x : *r) out.push_back(x.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<int64_t>{ida, idb, idc}));
  ActionFilter f;
  f.owner = "alice";
  EXPECT_EQ(ids(f), std::vector<int64_t>{ida});
  f.owner = "";
  EXPECT_EQ(ids(f), std::vector<int64_t>{idc});
  ActionFilter g;
  g.incident_id = inc;
  EXPECT_EQ(ids(g), (std::vector<int64_t>{ida, idc}));
  ActionFilter h;
  h.statuses = {ActionStatus::kDone, ActionStatus::kWontDo};
  EXPECT_EQ(ids(h), std::vector<int64_t>{idb});
  ActionFilter late;
  late.overdue_only = true;
  late.now = kTestDay + kNanosPerDay - 1;  // still the due day
  EXPECT_TRUE(ids(late).empty());
  late.now = kTestDay + kNanosPerDay;  // the day after: a is overdue, b is done
  EXPECT_EQ(ids(late), std::vector<int64_t>{ida});
  ActionFilter no_now;
  no_now.overdue_only = true;
  EXPECT_EQ(store_->ListActions(no_now).status().code(), StatusCode::kInvalidArgument);

  ActionFilter hist;
  hist.with_history = true;
  hist.statuses = {ActionStatus::kDone};
  Result<std::vector<ActionItem>> with = store_->ListActions(hist);
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->size(), 1u);
  ASSERT_EQ((*with)[0].history.size(), 2u);
  EXPECT_EQ((*with)[0].history[1].to, ActionStatus::kDone);
}

TEST_P(StoreTest, ImportIsIdempotentAndUpdatesInPlace) {
  Incident in = Checkout();
  std::vector<ActionItem> items = {Item("AI-1", "Jitter TTLs"), Item("AI-2", "Alert on misses")};
  Result<ImportResult> r = store_->Import(in, items);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->incident_created);
  EXPECT_EQ(r->actions_added, 2);

  r = store_->Import(in, items);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->incident_created);
  EXPECT_EQ(r->actions_added, 0);
  EXPECT_EQ(r->actions_unchanged, 2);
  EXPECT_EQ(store_->ListIncidents({})->size(), 1u);
  EXPECT_EQ(store_->ListActions({})->size(), 2u);

  // Closed in the tracker; re-importing the unchanged document does not reopen it.
  int64_t ai1 = store_->ListActions({})->front().id;
  ActionUpdate done;
  done.status = ActionStatus::kDone;
  ASSERT_TRUE(store_->UpdateAction(ai1, done).ok());
  r = store_->Import(in, items);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(store_->GetAction(ai1)->status, ActionStatus::kDone);

  // The document changes: new text, AI-2 marked in progress, AI-1 gone, AI-3 new.
  items = {Item("AI-2", "Alert when the miss ratio exceeds 20% for 2 minutes"),
           Item("AI-3", "Stagger cache flushes")};
  items[0].status = ActionStatus::kInProgress;
  r = store_->Import(in, items);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->actions_added, 1);
  EXPECT_EQ(r->actions_updated, 1);
  EXPECT_EQ(r->actions_missing_from_document, std::vector<int64_t>{ai1});
  ActionFilter f;
  f.with_history = true;
  Result<std::vector<ActionItem>> all = store_->ListActions(f);
  ASSERT_EQ(all->size(), 3u);
  const ActionItem& ai2 = (*all)[1];
  EXPECT_EQ(ai2.action, "Alert when the miss ratio exceeds 20% for 2 minutes");
  EXPECT_EQ(ai2.status, ActionStatus::kInProgress);
  EXPECT_EQ(ai2.history.back().note, "imported from /pm/checkout.md");
}

TEST_P(StoreTest, ImportRejectsItemsWithoutOrWithDuplicateKeys) {
  Incident in = Checkout();
  EXPECT_EQ(store_->Import(in, {Item("AI-1", "a"), Item("AI-1", "b")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Import(in, {Item("", "a")}).status().code(), StatusCode::kInvalidArgument);
  in.key.clear();
  EXPECT_EQ(store_->Import(in, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_->ListIncidents({})->empty());  // nothing half-written
}

TEST_P(StoreTest, ConcurrentUpdatesOfOneItemLoseNothing) {
  int64_t id = *store_->AddAction(Item("", "shared item"));
  constexpr int kUpdates = 40;
  auto worker = [&](char who) {
    std::unique_ptr<Store> s = Open();
    ASSERT_NE(s, nullptr);
    for (int i = 0; i < kUpdates; ++i) {
      ActionUpdate u;
      // Each worker flips the status its own way and sets its own field.
      u.status = (i % 2 == (who == 'a')) ? ActionStatus::kInProgress : ActionStatus::kOpen;
      if (who == 'a') {
        u.owner = fmt::format("a{}", i);
      } else {
        u.ticket_url = fmt::format("b{}", i);
      }
      u.note = fmt::format("{}{}", who, i);
      Result<ActionItem> r = s->UpdateAction(id, u);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  };
  std::thread a(worker, 'a');
  std::thread b(worker, 'b');
  a.join();
  b.join();
  Result<ActionItem> item = store_->GetAction(id);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->owner, fmt::format("a{}", kUpdates - 1));
  EXPECT_EQ(item->ticket_url, fmt::format("b{}", kUpdates - 1));
  // An unbroken chain: each change starts from the status the previous one left.
  ASSERT_GE(item->history.size(), 2u);
  for (size_t k = 1; k < item->history.size(); ++k) {
    ASSERT_TRUE(item->history[k].from.has_value());
    EXPECT_EQ(*item->history[k].from, item->history[k - 1].to) << "entry " << k;
    EXPECT_NE(*item->history[k].from, item->history[k].to) << "entry " << k;
  }
  EXPECT_EQ(item->history.back().to, item->status);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// SQLite-only behaviour: the file on disk.
TEST(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  char tmpl[] = "/tmp/inquest-store-bad-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/notes.md";
  std::ofstream(path) << "# Not a database\n\nJust some Markdown that is long enough to fill a "
                         "SQLite header and then some more text to be sure of it.\n";
  Result<std::unique_ptr<Store>> s = OpenStore(path, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kBadInput);
  EXPECT_NE(s.status().ToString().find(path), std::string::npos) << s.status().ToString();
  std::filesystem::remove_all(tmpl);
}

TEST(SqliteStoreTest, RefusesASchemaNewerThanThisBuild) {
  char tmpl[] = "/tmp/inquest-store-new-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/inquest.db";
  ASSERT_TRUE(OpenStore(path, {}).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 999", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<Store>> s = OpenStore(path, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kBadInput);
  EXPECT_NE(s.status().message().find("999"), std::string::npos);
  std::filesystem::remove_all(tmpl);
}

TEST(SqliteStoreTest, UsesWalAndTheXdgDataFolder) {
  char tmpl[] = "/tmp/inquest-store-xdg-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  setenv("XDG_DATA_HOME", tmpl, 1);
  Result<std::string> path = DefaultStorePath(true);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, std::string(tmpl) + "/inquest/inquest.db");
  ASSERT_TRUE(OpenStore("", {}).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path->c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  struct stat sb;
  ASSERT_EQ(stat((std::string(tmpl) + "/inquest").c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0700u);
  unsetenv("XDG_DATA_HOME");
  std::filesystem::remove_all(tmpl);
}

TEST(StoreNamesTest, StatusesAndClassesParseTheirUsualSpellings) {
  EXPECT_EQ(*ParseActionStatus("In-Progress"), ActionStatus::kInProgress);
  EXPECT_EQ(*ParseActionStatus("wont_do"), ActionStatus::kWontDo);
  EXPECT_EQ(*ParseActionStatus("won't do"), ActionStatus::kWontDo);
  EXPECT_EQ(*ParseActionStatus(" Done "), ActionStatus::kDone);
  EXPECT_FALSE(ParseActionStatus("maybe").ok());
  for (ActionStatus s : {ActionStatus::kOpen, ActionStatus::kInProgress, ActionStatus::kDone,
                         ActionStatus::kWontDo}) {
    EXPECT_EQ(*ParseActionStatus(ActionStatusName(s)), s);
  }
  EXPECT_EQ(*ParseActionClass("Detection"), ActionClass::kDetect);
  EXPECT_EQ(*ParseActionClass(""), ActionClass::kUnknown);
  EXPECT_FALSE(ParseActionClass("hope").ok());
}

}  // namespace
}  // namespace inquest::store
