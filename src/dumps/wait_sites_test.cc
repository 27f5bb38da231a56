#include "dumps/wait_sites.h"

#include <gtest/gtest.h>

#include "base/config.h"

namespace inquest {
namespace {

WaitQuery Query(WaitRuntime r, std::string_view state,
                std::initializer_list<std::pair<std::string_view, bool>> frames) {
  WaitQuery q;
  q.runtime = r;
  q.state = state;
  for (const auto& [name, library] : frames) q.frames.push_back({name, library});
  return q;
}

TEST(WaitGlob, StarsAndSuffixes) {
  EXPECT_TRUE(WaitGlob("a*c", "abbbc"));
  EXPECT_TRUE(WaitGlob("*", ""));
  EXPECT_FALSE(WaitGlob("a*c", "abcd"));
  EXPECT_TRUE(WaitGlob("*Pool*", "github.com/jackc/puddle/v2.(*Pool).Acquire"));
  EXPECT_TRUE(WaitNameMatches("HikariPool.getConnection",
                              "com.zaxxer.hikari.pool.HikariPool.getConnection"));
  // A suffix starts after a separator only: "MyHikariPool" is another class.
  EXPECT_FALSE(WaitNameMatches("HikariPool.getConnection", "com.x.MyHikariPool.getConnection"));
  EXPECT_TRUE(WaitNameMatches("queue.get", "sqlalchemy.util.queue.get"));
  EXPECT_TRUE(
      WaitNameMatches("ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
                      "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take"));
  // Pathological patterns stay linear enough (no exponential backtracking).
  std::string long_name(5000, 'a');
  EXPECT_FALSE(WaitGlob("*a*a*a*a*a*b", long_name));
}

TEST(WaitSiteTable, BuiltInTableCoversEveryRuntime) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  ASSERT_GT(t.sites().size(), 20u);
  int per_runtime[3] = {};
  for (const WaitSite& s : t.sites()) {
    ++per_runtime[static_cast<int>(s.runtime)];
    EXPECT_FALSE(s.resource.empty());
    EXPECT_FALSE(s.pool.empty());
    EXPECT_FALSE(s.user);
  }
  for (int n : per_runtime) EXPECT_GE(n, 5);
}

TEST(WaitSiteTable, GoDatabaseSqlAcquireAndHold) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  WaitMatch m = t.Match(Query(WaitRuntime::kGo, "select",
                              {{"runtime.gopark", true},
                               {"runtime.selectgo", true},
                               {"database/sql.(*DB).conn", true},
                               {"database/sql.(*DB).query", true},
                               {"database/sql.(*DB).QueryContext", true},
                               {"main.query", false},
                               {"net/http.(*conn).serve", true}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.site->resource, "a database/sql connection");
  EXPECT_EQ(m.site->role, WaitRole::kAcquire);
  EXPECT_FALSE(m.site->normal);
  EXPECT_EQ(m.frame, 2);
  EXPECT_EQ(m.caller, 5);

  m = t.Match(Query(WaitRuntime::kGo, "select",
                    {{"runtime.gopark", true},
                     {"runtime.selectgo", true},
                     {"database/sql.(*Tx).awaitDone", true}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.site->role, WaitRole::kHold);
  EXPECT_EQ(m.site->pool, "database/sql");
  EXPECT_EQ(m.caller, -1);
}

TEST(WaitSiteTable, OutermostLibraryMatchWinsAndProgramCodeStopsTheSearch) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  // HikariCP: the Semaphore-free ConcurrentBag.borrow inside getConnection; getConnection names
  // the resource, the DAO is the caller.
  WaitMatch m = t.Match(Query(WaitRuntime::kJava, "TIMED_WAITING",
                              {{"jdk.internal.misc.Unsafe.park", true},
                               {"java.util.concurrent.locks.LockSupport.parkNanos", true},
                               {"java.util.concurrent.SynchronousQueue.poll", true},
                               {"com.zaxxer.hikari.util.ConcurrentBag.borrow", false},
                               {"com.zaxxer.hikari.pool.HikariPool.getConnection", false},
                               {"com.zaxxer.hikari.HikariDataSource.getConnection", false},
                               {"com.acme.OrderDao.load", false}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.frame, 4);
  EXPECT_EQ(m.site->resource, "a HikariCP connection");
  EXPECT_EQ(m.caller, 5);  // the first frame outside the table: HikariDataSource

  // A pool task running program code is busy, not an idle worker, however deep getTask sits.
  m = t.Match(Query(WaitRuntime::kJava, "RUNNABLE",
                    {{"java.net.SocketInputStream.read", true},
                     {"com.acme.Client.call", false},
                     {"java.util.concurrent.ThreadPoolExecutor.runWorker", true}}));
  EXPECT_EQ(m.site, nullptr);

  // An idle worker.
  m = t.Match(Query(WaitRuntime::kJava, "WAITING",
                    {{"jdk.internal.misc.Unsafe.park", true},
                     {"java.util.concurrent.locks.LockSupport.park", true},
                     {"java.util.concurrent.LinkedBlockingQueue.take", true},
                     {"java.util.concurrent.ThreadPoolExecutor.getTask", true},
                     {"java.util.concurrent.ThreadPoolExecutor.runWorker", true},
                     {"java.lang.Thread.run", true}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_TRUE(m.site->normal);
  EXPECT_EQ(m.frame, 3);
}

TEST(WaitSiteTable, AQueueWaitIsIdleUnlessTheCallerBorrows) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  auto take_under = [&](std::string_view caller) {
    return t.Match(Query(WaitRuntime::kJava, "WAITING",
                         {{"jdk.internal.misc.Unsafe.park", true},
                          {"java.util.concurrent.locks.LockSupport.park", true},
                          {"java.util.concurrent.LinkedBlockingQueue.take", true},
                          {caller, false},
                          {"java.lang.Thread.run", true}}));
  };
  // A consumer waiting for work idles.
  WaitMatch m = take_under("com.acme.EventConsumer.run");
  ASSERT_NE(m.site, nullptr);
  EXPECT_TRUE(m.site->normal);
  EXPECT_EQ(m.borrowed_from, nullptr);
  // A pool of the program's own, built on the same queue, is a pool acquire.
  for (std::string_view borrow :
       {"com.acme.ConnPool.borrow", "com.acme.ConnPool.checkOut", "com.acme.Pool.acquireSlot",
        "com.acme.Db.getConnection", "com.acme.Leases.lease"}) {
    m = take_under(borrow);
    ASSERT_NE(m.site, nullptr) << borrow;
    EXPECT_FALSE(m.site->normal) << borrow;
    EXPECT_EQ(m.site->kind, "pool") << borrow;
    ASSERT_NE(m.borrowed_from, nullptr);
    EXPECT_TRUE(m.borrowed_from->normal);
  }
  // The same for Python's condition waits.
  m = t.Match(
      Query(WaitRuntime::kPython, "", {{"threading.wait", true}, {"app.pool.checkout", false}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_FALSE(m.site->normal);
  m = t.Match(
      Query(WaitRuntime::kPython, "", {{"threading.wait", true}, {"app.worker.loop", false}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_TRUE(m.site->normal);
}

TEST(WaitSiteTable, JavaSynchronizedOnAPoolObject) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  WaitQuery q = Query(
      WaitRuntime::kJava, "BLOCKED",
      {{"com.acme.LegacyConnectionPool.checkout", false}, {"com.acme.Service.handle", false}});
  q.waiting.push_back("com.acme.LegacyConnectionPool");
  WaitMatch m = t.Match(q);
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.site->kind, "pool");
  // The same wait on a lock of another class is no pool.
  q.waiting[0] = "com.acme.Cache";
  EXPECT_EQ(t.Match(q).site, nullptr);
}

TEST(WaitSiteTable, GoSemacquireOnPoolTypesOnly) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  auto q = Query(WaitRuntime::kGo, "semacquire",
                 {{"runtime.gopark", true},
                  {"sync.runtime_SemacquireMutex", true},
                  {"github.com/acme/pool.(*Pool).Get", false},
                  {"main.handle", false}});
  WaitMatch m = t.Match(q);
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.site->resource, "a slot of a pool");
  q.state = "chan receive";
  EXPECT_EQ(t.Match(q).site, nullptr);
}

TEST(WaitSiteTable, UserEntriesComeFirstAndBadOnesNameTheEntry) {
  Result<Config> cfg = ParseConfig(R"(
[[wait_sites]]
runtime = "java"
frame = "com.acme.TicketPool.take"
resource = "a ticket of the acme pool"
kind = "pool"
)",
                                   "inquest.toml");
  ASSERT_TRUE(cfg.ok());
  Result<WaitSiteTable> t = WaitSiteTable::WithConfig(cfg->table);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->sites().size(), WaitSiteTable::BuiltIn().sites().size() + 1);
  EXPECT_TRUE(t->sites()[0].user);
  EXPECT_EQ(t->sites()[0].role, WaitRole::kAcquire);
  WaitMatch m = t->Match(Query(WaitRuntime::kJava, "WAITING",
                               {{"java.util.concurrent.Semaphore.acquire", true},
                                {"com.acme.TicketPool.take", false},
                                {"com.acme.Orders.place", false}}));
  ASSERT_NE(m.site, nullptr);
  EXPECT_EQ(m.site->resource, "a ticket of the acme pool");
  EXPECT_EQ(m.caller, 2);

  for (std::string_view bad : {
           "[[wait_sites]]\nruntime = \"ruby\"\nframe = \"x\"\nresource = \"r\"\n",
           "[[wait_sites]]\nruntime = \"go\"\nresource = \"r\"\n",
           "[[wait_sites]]\nruntime = \"go\"\nframe = \"x\"\n",
           "[[wait_sites]]\nruntime = \"go\"\nframe = \"x\"\nresource = \"r\"\nrole = \"own\"\n",
           "[[wait_sites]]\nruntime = \"go\"\nframe = \"x\"\nresource = \"r\"\ncolour = \"red\"\n",
           "[[wait_sites]]\nruntime = \"go\"\nframe = 3\nresource = \"r\"\n",
           "wait_sites = \"x\"\n",
       }) {
    Result<Config> c = ParseConfig(bad, "inquest.toml");
    ASSERT_TRUE(c.ok()) << bad;
    Result<WaitSiteTable> r = WaitSiteTable::WithConfig(c->table);
    EXPECT_FALSE(r.ok()) << bad;
    if (r.ok()) continue;
    EXPECT_NE(r.status().message().find("wait_sites"), std::string::npos) << bad;
    // The file and the line of the entry (every bad entry here starts on line 1).
    EXPECT_EQ(r.status().where().file, "inquest.toml") << bad;
    EXPECT_EQ(r.status().where().line, 1u) << bad;
  }
  Result<WaitSiteTable> broken = WaitSiteTable::Parse("[[wait_sites]\n", "x.toml", true);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().where().line, 1u);
}

}  // namespace
}  // namespace inquest
