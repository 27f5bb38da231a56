// The store under process failure and contention, on SQLite and PostgreSQL: a writer killed
// with SIGKILL in the middle of a burst loses nothing it committed and leaves a sound database;
// two processes updating the same items at once lose no update.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "store/connection.h"
#include "store/store_test_util.h"

namespace inquest::store {
namespace {

// Child processes report through a pipe and never return into the test framework: _exit
// skips destructors, which would otherwise close the parent's database connections.
[[noreturn]] void ChildExit(int code) { _exit(code); }

bool WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads int64 values until EOF.
std::vector<int64_t> ReadAll(int fd, size_t stop_after, pid_t kill_pid) {
  std::vector<int64_t> out;
  int64_t v;
  size_t have = 0;
  char* buf = reinterpret_cast<char*>(&v);
  for (;;) {
    ssize_t r = read(fd, buf + have, sizeof v - have);
    if (r <= 0) break;
    have += static_cast<size_t>(r);
    if (have < sizeof v) continue;
    have = 0;
    out.push_back(v);
    if (kill_pid > 0 && out.size() == stop_after) kill(kill_pid, SIGKILL);
  }
  return out;
}

class ReliabilityTest : public StoreTest {
 protected:
  // The child body: open a store of our own and write until killed.
  [[noreturn]] void Burst(int fd) {
    StoreOptions o;
    Result<std::unique_ptr<Store>> s = OpenStore(spec_, o);
    if (!s.ok()) ChildExit(10);
    for (int64_t i = 0;; ++i) {
      ActionItem a;
      a.action = fmt::format("burst item {}", i);
      a.owner = "writer";
      Result<int64_t> id = (*s)->AddAction(a);
      if (!id.ok()) ChildExit(11);
      ActionUpdate u;
      u.status = ActionStatus::kInProgress;
      u.note = "burst";
      if (!(*s)->UpdateAction(*id, u).ok()) ChildExit(12);
      // Only now is the item and its update committed: report it.
      if (!WriteAll(fd, &*id, sizeof *id)) ChildExit(13);
    }
  }
};

TEST_P(ReliabilityTest, KilledWriterLosesNothingCommitted) {
  std::mt19937 rng(42);
  std::vector<int64_t> committed;
  // Several kills at different points of the burst, each against the store the previous kill
  // left behind.
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    size_t stop_after = std::uniform_int_distribution<size_t>(20, 120)(rng);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      Burst(fds[1]);
    }
    close(fds[1]);
    std::vector<int64_t> ids = ReadAll(fds[0], stop_after, pid);
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer ended by itself, status " << status;
    ASSERT_GE(ids.size(), stop_after);
    committed.insert(committed.end(), ids.begin(), ids.end());
  }

  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  ActionFilter f;
  f.with_history = true;
  Result<std::vector<ActionItem>> items = reopened->ListActions(f);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  std::map<int64_t, const ActionItem*> by_id;
  for (const ActionItem& a : *items) by_id[a.id] = &a;
  for (int64_t id : committed) {
    auto it = by_id.find(id);
    ASSERT_NE(it, by_id.end()) << "committed item " << id << " is lost";
    EXPECT_EQ(it->second->status, ActionStatus::kInProgress) << id;
  }
  // Every transaction is all or nothing: no item without its creation in the history, no
  // status change without its history entry.
  for (const ActionItem& a : *items) {
    ASSERT_FALSE(a.history.empty()) << "item " << a.id << " has no history";
    EXPECT_FALSE(a.history.front().from.has_value());
    EXPECT_EQ(a.history.back().to, a.status) << "item " << a.id;
  }
  EXPECT_LE(committed.size(), items->size());

  if (GetParam() == "sqlite") {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(spec_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << "a row points at a missing parent";
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
}

TEST_P(ReliabilityTest, TwoProcessesUpdatingTheSameItemsLoseNoUpdate) {
  constexpr int kItems = 4;
  constexpr int kRounds = 25;
  std::vector<int64_t> ids;
  for (int i = 0; i < kItems; ++i) {
    ActionItem a;
    a.action = fmt::format("contended {}", i);
    Result<int64_t> id = store_->AddAction(a);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  // Each writer reports how many status changes it made (the item it got back carries its own
  // note last); the history must hold exactly that many entries with its notes.
  auto writer = [&](char who, int fd) {
    Result<std::unique_ptr<Store>> s = OpenStore(spec_, {});
    if (!s.ok()) ChildExit(10);
    int64_t changes = 0;
    for (int round = 0; round < kRounds; ++round) {
      for (int k = 0; k < kItems; ++k) {
        // The two writers walk the items in opposite orders.
        int64_t id = ids[who == 'a' ? k : kItems - 1 - k];
        ActionUpdate u;
        u.status = (round + k + (who == 'a')) % 2 ? ActionStatus::kInProgress : ActionStatus::kOpen;
        u.note = fmt::format("{}{}", who, round);
        if (who == 'a') {
          u.owner = fmt::format("a{}", round);
        } else {
          u.ticket_url = fmt::format("b{}", round);
        }
        Result<ActionItem> r = (*s)->UpdateAction(id, u);
        if (!r.ok()) {
          fprintf(stderr, "%c: %s\n", who, r.status().ToString().c_str());
          ChildExit(11);
        }
        if (r->history.back().note == u.note) ++changes;
      }
    }
    if (!WriteAll(fd, &changes, sizeof changes)) ChildExit(12);
    ChildExit(0);
  };
  int fds[2][2];
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    ASSERT_EQ(pipe(fds[w]), 0);
    pids[w] = fork();
    ASSERT_GE(pids[w], 0);
    if (pids[w] == 0) {
      close(fds[w][0]);
      writer(w == 0 ? 'a' : 'b', fds[w][1]);
    }
    close(fds[w][1]);
  }
  int64_t reported[2] = {0, 0};
  for (int w = 0; w < 2; ++w) {
    std::vector<int64_t> v = ReadAll(fds[w][0], 0, 0);
    close(fds[w][0]);
    int status = 0;
    ASSERT_EQ(waitpid(pids[w], &status, 0), pids[w]);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer " << w << " " << status;
    ASSERT_EQ(v.size(), 1u);
    reported[w] = v[0];
  }
  int64_t seen[2] = {0, 0};
  for (int64_t id : ids) {
    Result<ActionItem> item = store_->GetAction(id);
    ASSERT_TRUE(item.ok());
    EXPECT_EQ(item->owner, fmt::format("a{}", kRounds - 1));
    EXPECT_EQ(item->ticket_url, fmt::format("b{}", kRounds - 1));
    for (size_t k = 1; k < item->history.size(); ++k) {
      const StatusChange& c = item->history[k];
      ASSERT_TRUE(c.from.has_value());
      EXPECT_EQ(*c.from, item->history[k - 1].to) << "item " << id << " entry " << k;
      ++seen[c.note[0] == 'a' ? 0 : 1];
    }
    EXPECT_EQ(item->history.back().to, item->status);
  }
  EXPECT_EQ(seen[0], reported[0]);
  EXPECT_EQ(seen[1], reported[1]);
  EXPECT_GT(reported[0] + reported[1], 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReliabilityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace inquest::store
