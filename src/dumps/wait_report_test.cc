// The wait-site verdicts of every runtime's reader, on generated dumps (seeded, so a failure
// repeats) and on the third-party dumps of the shared fixtures.
#include "dumps/wait_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "dumps/go/go_reader.h"
#include "dumps/java/java_readers.h"
#include "dumps/python/python_reader.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

std::string Fixture(std::string_view rel) {
  return TestFixturesDir() + "/dumps/" + std::string(rel);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Finding* FindKind(const DumpAnalysis& a, std::string_view kind) {
  for (const Finding& f : a.verdicts)
    if (f.kind == kind) return &f;
  return nullptr;
}

// A SIGQUIT-style Go dump: `waiters` goroutines in (*DB).conn from main.query, `holders` in
// (*Tx).awaitDone, `idle` keep-alive readers, `busy` goroutines running program code, shuffled.
std::string GoDumpText(std::mt19937* rng, int waiters, int holders, int idle, int busy,
                       int hold_minutes) {
  std::vector<std::string> gs;
  uint64_t id = 2;
  auto wait = [&](int minutes) {
    return minutes > 0 ? fmt::format(", {} minutes", minutes) : std::string();
  };
  for (int i = 0; i < waiters; ++i)
    gs.push_back(fmt::format(
        "goroutine {} [select{}]:\n"
        "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/lib/go/src/runtime/proc.go:398 "
        "+0xce\n"
        "runtime.selectgo(0xc0000a5e38, 0xc0000a5d80, 0x0?, 0x0, 0x0?, 0x1)\n"
        "\t/usr/lib/go/src/runtime/select.go:327 +0x725\n"
        "database/sql.(*DB).conn(0xc000120000, {{0x6a1b28, 0xc000118000}}, 0x1)\n"
        "\t/usr/lib/go/src/database/sql/sql.go:1326 +0x8c5\n"
        "database/sql.(*DB).query(0xc000120000, {{0x6a1b28, 0xc000118000}}, {{0x64d5f3, 0x8}}, "
        "{{0x0, 0x0, 0x0}}, 0x0?)\n\t/usr/lib/go/src/database/sql/sql.go:1726 +0x57\n"
        "database/sql.(*DB).QueryContext(0x0?, {{0x6a1b28, 0xc000118000}}, {{0x64d5f3, 0x8}}, "
        "{{0x0, 0x0, 0x0}})\n\t/usr/lib/go/src/database/sql/sql.go:1704 +0xc5\n"
        "main.query(0x0?)\n\t/app/handler.go:42 +0x85\n"
        "created by main.main in goroutine 1\n\t/app/main.go:30 +0x1e5\n",
        id++, wait(static_cast<int>((*rng)() % 3))));
  for (int i = 0; i < holders; ++i)
    gs.push_back(fmt::format(
        "goroutine {} [select{}]:\n"
        "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/lib/go/src/runtime/proc.go:398 "
        "+0xce\n"
        "runtime.selectgo(0xc0000a5e38, 0xc0000a5d80, 0x0?, 0x0, 0x0?, 0x1)\n"
        "\t/usr/lib/go/src/runtime/select.go:327 +0x725\n"
        "database/sql.(*Tx).awaitDone(0xc0001b2000)\n\t/usr/lib/go/src/database/sql/sql.go:2202 "
        "+0x2b\n"
        "created by database/sql.(*DB).beginDC in goroutine 7\n"
        "\t/usr/lib/go/src/database/sql/sql.go:1880 +0x218\n",
        id++, wait(hold_minutes)));
  for (int i = 0; i < idle; ++i)
    gs.push_back(fmt::format(
        "goroutine {} [IO wait{}]:\n"
        "internal/poll.runtime_pollWait(0x7f, 0x72)\n\t/usr/lib/go/src/runtime/netpoll.go:343 "
        "+0x85\n"
        "net.(*conn).Read(0xc0000a6000, {{0xc000180000?, 0x0?, 0x0?}})\n"
        "\t/usr/lib/go/src/net/net.go:179 +0x45\n"
        "net/http.(*persistConn).Read(0xc0001c0000, {{0xc000180000?, 0x0?, 0x0?}})\n"
        "\t/usr/lib/go/src/net/http/transport.go:1954 +0x4a\n"
        "bufio.(*Reader).Peek(0xc0001a0000, 0x1)\n\t/usr/lib/go/src/bufio/bufio.go:151 +0x5d\n"
        "net/http.(*persistConn).readLoop(0xc0001c0000)\n"
        "\t/usr/lib/go/src/net/http/transport.go:2118 +0x1b9\n"
        "created by net/http.(*Transport).dialConn in goroutine 12\n"
        "\t/usr/lib/go/src/net/http/transport.go:1776 +0x169f\n",
        id++, wait(static_cast<int>((*rng)() % 30))));
  for (int i = 0; i < busy; ++i)
    gs.push_back(
        fmt::format("goroutine {} [runnable]:\nmain.compute(0x{:x})\n\t/app/work.go:{} +0x1\n"
                    "created by main.main in goroutine 1\n\t/app/main.go:31 +0x2\n",
                    id++, (*rng)() % 4096, 10 + (*rng)() % 5));
  std::shuffle(gs.begin(), gs.end(), *rng);
  std::string out =
      "SIGQUIT: quit\nPC=0x46e0c1 m=0 sigcode=0\n\n"
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:50 +0x1d\n\n";
  for (const std::string& g : gs) out += g + "\n";
  return out;
}

TEST(WaitReport, GeneratedGoDumpsCountWaitersAndHolders) {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 40; ++round) {
    int waiters = static_cast<int>(rng() % 60);
    int holders = static_cast<int>(rng() % 40);
    int idle = static_cast<int>(rng() % 30);
    int busy = static_cast<int>(rng() % 10);
    int hold_minutes = static_cast<int>(rng() % 3);
    std::string text = GoDumpText(&rng, waiters, holders, idle, busy, hold_minutes);
    SCOPED_TRACE(fmt::format("round {}: {} waiters, {} holders ({} min), {} idle", round, waiters,
                             holders, hold_minutes, idle));
    Result<DumpAnalysis> a = GoGoroutineReader().analyze("g.txt", text, DumpOptions());
    ASSERT_TRUE(a.ok());
    const Finding* pool = FindKind(*a, "pool-exhausted");
    const Finding* held = FindKind(*a, "resource-held");
    if (waiters >= static_cast<int>(kWaitMinWaiters)) {
      ASSERT_NE(pool, nullptr);
      EXPECT_TRUE(pool->title.starts_with(fmt::format(
          "pool exhausted: {} goroutines wait for a database/sql connection (in main.query "
          "(handler.go:42), created by main.main (main.go:30))",
          waiters)))
          << pool->title;
      EXPECT_EQ(pool->subject, "database/sql");
      if (holders > 0) {
        EXPECT_NE(pool->title.find(fmt::format("; {} goroutine{} an open database/sql transaction",
                                               holders, holders == 1 ? " holds" : "s hold")),
                  std::string::npos)
            << pool->title;
      } else {
        EXPECT_EQ(pool->title.find("hold"), std::string::npos);
      }
      EXPECT_EQ(FindKind(*a, "goroutine-leak"), nullptr);
      EXPECT_EQ(held, nullptr);
    } else {
      EXPECT_EQ(pool, nullptr);
      bool expect_held = holders >= static_cast<int>(kWaitMinHolders) && hold_minutes >= 1;
      EXPECT_EQ(held != nullptr, expect_held);
      if (held)
        EXPECT_NE(held->title.find(fmt::format("{} goroutines hold", holders)), std::string::npos);
    }
    // Idle keep-alive readers are never a verdict, but the detail lists them as normal.
    for (const Finding& f : a->verdicts) EXPECT_EQ(f.title.find("keep-alive"), std::string::npos);
    if (idle > 0) {
      EXPECT_NE(a->text.find(fmt::format("{} goroutine{} an idle HTTP keep-alive connection", idle,
                                         idle == 1 ? " holds" : "s hold")),
                std::string::npos);
      EXPECT_NE(a->json.str().find("\"normal\":true"), std::string::npos);
    }
  }
}

constexpr std::string_view kJavaHeader =
    "2026-12-06 16:00:00\n"
    "Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1deb12u1 mixed mode, sharing):\n"
    "\n";

std::string JavaSemaphoreBorrower(int n) {
  return fmt::format(
      "\"worker-{}\" #{} prio=5 os_prio=0 cpu=0.50ms elapsed=3.00s tid=0x00007f{:08x} "
      "nid=0x{:x} waiting on condition  [0x00007f0000000000]\n"
      "   java.lang.Thread.State: WAITING (parking)\n"
      "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)\n"
      "\t- parking to wait for  <0x0000000711111111> (a "
      "java.util.concurrent.Semaphore$NonfairSync)\n"
      "\tat java.util.concurrent.locks.LockSupport.park(java.base@17.0.9/LockSupport.java:211)\n"
      "\tat java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire("
      "java.base@17.0.9/AbstractQueuedSynchronizer.java:715)\n"
      "\tat java.util.concurrent.Semaphore.acquire(java.base@17.0.9/Semaphore.java:318)\n"
      "\tat com.acme.SimplePool.borrow(SimplePool.java:20)\n"
      "\tat com.acme.Main.handle(Main.java:40)\n"
      "\tat java.lang.Thread.run(java.base@17.0.9/Thread.java:833)\n\n",
      n, 20 + n, n, 0x1000 + n);
}

std::string JavaIdleWorker(int n) {
  return fmt::format(
      "\"pool-1-thread-{}\" #{} prio=5 os_prio=0 cpu=0.10ms elapsed=3.00s tid=0x00007e{:08x} "
      "nid=0x{:x} waiting on condition  [0x00007f0000000000]\n"
      "   java.lang.Thread.State: WAITING (parking)\n"
      "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)\n"
      "\t- parking to wait for  <0x0000000722222222> (a "
      "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)\n"
      "\tat java.util.concurrent.locks.LockSupport.park(java.base@17.0.9/LockSupport.java:341)\n"
      "\tat java.util.concurrent.LinkedBlockingQueue.take("
      "java.base@17.0.9/LinkedBlockingQueue.java:435)\n"
      "\tat java.util.concurrent.ThreadPoolExecutor.getTask("
      "java.base@17.0.9/ThreadPoolExecutor.java:1062)\n"
      "\tat java.util.concurrent.ThreadPoolExecutor.runWorker("
      "java.base@17.0.9/ThreadPoolExecutor.java:1122)\n"
      "\tat java.lang.Thread.run(java.base@17.0.9/Thread.java:833)\n\n",
      n, 200 + n, n, 0x2000 + n);
}

TEST(WaitReport, JavaBorrowersOnASemaphorePoolAndIdleWorkers) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    int borrowers = static_cast<int>(rng() % 30), idle = static_cast<int>(rng() % 30);
    std::vector<std::string> threads;
    for (int i = 0; i < borrowers; ++i) threads.push_back(JavaSemaphoreBorrower(i));
    for (int i = 0; i < idle; ++i) threads.push_back(JavaIdleWorker(i));
    std::shuffle(threads.begin(), threads.end(), rng);
    std::string text(kJavaHeader);
    for (const std::string& t : threads) text += t;
    SCOPED_TRACE(fmt::format("{} borrowers, {} idle", borrowers, idle));
    Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("t.txt", text, DumpOptions());
    ASSERT_TRUE(a.ok()) << a.status().message();
    const Finding* pool = FindKind(*a, "pool-exhausted");
    if (borrowers >= static_cast<int>(kWaitMinWaiters)) {
      ASSERT_NE(pool, nullptr);
      EXPECT_EQ(pool->title,
                fmt::format("semaphore exhausted: {} threads wait for a Semaphore permit (in "
                            "com.acme.SimplePool.borrow(SimplePool.java:20), threads worker-*)",
                            borrowers));
    } else {
      EXPECT_EQ(pool, nullptr);
    }
    for (const Finding& f : a->verdicts) EXPECT_EQ(f.title.find("thread pool"), std::string::npos);
    if (idle > 0)
      EXPECT_NE(a->text.find(fmt::format("{} thread{} for the next task of a thread pool", idle,
                                         idle == 1 ? " waits" : "s wait")),
                std::string::npos)
          << a->text;
  }
}

TEST(WaitReport, PythonPoolsAndIdleQueueWorkers) {
  std::string text;
  for (int i = 0; i < 9; ++i)
    text += fmt::format(
        "Thread 0x00007f00000000{:02x} (most recent call first):\n"
        "  File \"/usr/lib/python3.11/threading.py\", line 320 in wait\n"
        "  File \"/usr/lib/python3.11/queue.py\", line 171 in get\n"
        "  File \"/app/worker.py\", line 12 in loop\n"
        "  File \"/usr/lib/python3.11/threading.py\", line 975 in run\n\n",
        i);
  for (int i = 0; i < 12; ++i)
    text += fmt::format(
        "Thread 0x00007f00000001{:02x} (most recent call first):\n"
        "  File \"/usr/lib/python3.11/threading.py\", line 324 in wait\n"
        "  File \"/usr/lib/python3/dist-packages/sqlalchemy/util/queue.py\", line 200 in get\n"
        "  File \"/usr/lib/python3/dist-packages/sqlalchemy/pool/impl.py\", line 137 in _do_get\n"
        "  File \"/usr/lib/python3/dist-packages/sqlalchemy/pool/base.py\", line 712 in checkout\n"
        "  File \"/app/db.py\", line 30 in fetch\n\n",
        i);
  Result<DumpAnalysis> a = PythonDumpReader().analyze("py.txt", text, DumpOptions());
  ASSERT_TRUE(a.ok());
  const Finding* pool = FindKind(*a, "pool-exhausted");
  ASSERT_NE(pool, nullptr);
  EXPECT_TRUE(pool->title.starts_with(
      "pool exhausted: 12 threads wait for a SQLAlchemy QueuePool connection"))
      << pool->title;
  // Nine idle queue workers are neither a pool problem nor "stuck".
  EXPECT_EQ(FindKind(*a, "stuck-threads"), nullptr);
  EXPECT_NE(a->text.find("9 threads wait for an item of a queue.Queue"), std::string::npos)
      << a->text;
}

TEST(WaitReport, OnePoolSeveralSitesAndCallers) {
  const WaitSiteTable& t = WaitSiteTable::BuiltIn();
  auto site = [&](std::string_view frame) {
    for (const WaitSite& s : t.sites())
      if (s.frame == frame) return s;
    ADD_FAILURE() << frame;
    return WaitSite();
  };
  WaitSite get = site("HikariPool.getConnection"), borrow = site("ConcurrentBag.borrow");
  WaitSite idle = site("ThreadPoolExecutor.getTask");
  WaitTally tally;
  auto add = [&](const WaitSite* s, uint64_t n, std::string caller) {
    WaitObservation o;
    o.count = n;
    o.match.site = s;
    o.frame = s->frame;
    o.caller = std::move(caller);
    o.evidence = {"t.txt:" + std::to_string(n), "x"};
    tally.Add(o);
  };
  add(&get, 1200, "com.acme.OrderDao.load(OrderDao.java:12)");
  add(&get, 3, "com.acme.UserDao.find(UserDao.java:40)");
  add(&borrow, 7, "");
  add(&idle, 40, "");
  std::vector<WaitSiteCount> sites = tally.Finish();
  ASSERT_EQ(sites.size(), 3u);
  EXPECT_EQ(sites[0].count, 1203u);  // symptoms first, then the idle workers
  EXPECT_TRUE(sites[2].site->normal);
  std::vector<Finding> v = WaitVerdicts(sites, "thread", kNoTime);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].title,
            "pool exhausted: 1,210 threads wait for a HikariCP connection (in "
            "com.acme.OrderDao.load(OrderDao.java:12) and 1 more site) (7 of them at 1 other "
            "wait site)");
  EXPECT_EQ(v[0].subject, "HikariCP");
  // Every origin of every waiting site is evidence, each pointing at its stack.
  EXPECT_EQ(v[0].evidence.size(), 3u);
}

TEST(WaitReport, GoMutexQueuesStayLockConvoys) {
  std::string text = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1\n\n";
  for (int i = 0; i < 12; ++i)
    text += fmt::format(
        "goroutine {} [sync.Mutex.Lock]:\n"
        "sync.runtime_SemacquireMutex(0xc0?, 0x0?, 0x1?)\n\t/go/src/runtime/sema.go:77 +0x25\n"
        "sync.(*Mutex).lockSlow(0xc000010000)\n\t/go/src/sync/mutex.go:171 +0x165\n"
        "sync.(*Mutex).Lock(...)\n\t/go/src/sync/mutex.go:90\n"
        "main.(*Cache).Get(0xc0)\n\t/app/cache.go:20 +0x3a\n"
        "created by main.main in goroutine 1\n\t/app/main.go:9 +0x2\n\n",
        i + 2);
  Result<DumpAnalysis> a = GoGoroutineReader().analyze("m.txt", text, DumpOptions());
  ASSERT_TRUE(a.ok());
  ASSERT_NE(FindKind(*a, "lock-convoy"), nullptr);
  EXPECT_EQ(FindKind(*a, "resource-wait"), nullptr);
  EXPECT_NE(a->text.find("12 goroutines wait for a sync.Mutex  at sync.(*Mutex).Lock"),
            std::string::npos)
      << a->text;
}

TEST(WaitReportConformance, IdlePoolsInRealDumpsAreNoVerdict) {
  std::string go = Fixture("go/waitsince.txt");
  std::string java = Fixture("java/dumpling/oraclejdk-1.7.0_51.log");
  if (!fs::exists(go) || !fs::exists(java)) GTEST_SKIP() << "fixtures not present";
  Result<DumpAnalysis> g = GoGoroutineReader().analyze(go, Slurp(go), DumpOptions());
  ASSERT_TRUE(g.ok());
  for (const Finding& f : g->verdicts) {
    EXPECT_NE(f.kind, "pool-exhausted") << f.title;
    EXPECT_NE(f.kind, "resource-held") << f.title;
  }
  EXPECT_NE(g->text.find("idle HTTP keep-alive connection"), std::string::npos);

  Result<DumpAnalysis> j = JavaThreadDumpReader().analyze(java, Slurp(java), DumpOptions());
  ASSERT_TRUE(j.ok());
  for (const Finding& f : j->verdicts) {
    EXPECT_NE(f.kind, "pool-exhausted") << f.title;
    EXPECT_NE(f.kind, "resource-wait") << f.title;
  }
  // Count the idle workers the way a reader would: threads whose stack reaches getTask
  // through JDK frames only.
  std::string text = Slurp(java);
  size_t getTask = 0;
  for (size_t at = text.find("ThreadPoolExecutor.getTask"); at != std::string::npos;
       at = text.find("ThreadPoolExecutor.getTask", at + 1))
    ++getTask;
  EXPECT_NE(
      j->text.find(fmt::format("{} threads wait for the next task of a thread pool", getTask)),
      std::string::npos)
      << j->text.substr(j->text.find("Wait sites"));
}

TEST(WaitReportConformance, EveryFixtureDumpStillReadsWithTheTable) {
  std::string dir = Fixture("");
  if (!fs::exists(dir)) GTEST_SKIP() << "fixtures not present";
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() == ".json") continue;
    std::string bytes = Slurp(e.path());
    for (const DumpReader& r : DumpReaders()) {
      if (r.probe(std::string_view(bytes).substr(0, 4096)) < 0.5) continue;
      Result<DumpAnalysis> a = r.analyze(e.path().string(), bytes, DumpOptions());
      if (!a.ok()) continue;
      ++files;
      // Every wait verdict points at the file it came from.
      for (const Finding& f : a->verdicts)
        if (f.kind == "pool-exhausted" || f.kind == "resource-held" || f.kind == "resource-wait")
          for (const EvidenceRef& ev : f.evidence)
            EXPECT_TRUE(ev.source.starts_with(e.path().string())) << ev.source;
      break;
    }
  }
  EXPECT_GT(files, 20u);
}

}  // namespace
}  // namespace inquest
