#include "dumps/java/lock_graph.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dumps/java/java_readers.h"
#include "dumps/java/java_series.h"
#include "dumps/java/thread_dump_parser.h"

namespace inquest {
namespace {

JavaThreadDump ParseOne(std::string_view text) {
  std::vector<std::string> diags;
  auto dumps = ParseJavaThreadDumps(text, &diags);
  EXPECT_EQ(dumps.size(), 1u);
  return dumps.empty() ? JavaThreadDump{} : dumps[0];
}

std::string Thread(std::string_view name, std::string_view state, std::string_view body) {
  return fmt::format("\"{}\" #1 prio=5 tid=0x1 nid=0x1 x\n   java.lang.Thread.State: {}\n{}\n",
                     name, state, body);
}

constexpr std::string_view kHeader =
    "Full thread dump OpenJDK 64-Bit Server VM (17 mixed mode):\n\n";

// Two threads, each holding one ReentrantLock and parked on the other's: the JVM's own report
// (without the block) and a monitor-only detector both miss this.
std::string ReentrantDeadlock() {
  return std::string(kHeader) +
         Thread(
             "left", "WAITING (parking)",
             "\tat jdk.internal.misc.Unsafe.park(Native Method)\n"
             "\t- parking to wait for  <0x00000000aaaa0002> (a "
             "java.util.concurrent.locks.ReentrantLock$NonfairSync)\n"
             "\tat com.acme.Left.run(Left.java:10)\n\n"
             "   Locked ownable synchronizers:\n"
             "\t- <0x00000000aaaa0001> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)") +
         "\n" +
         Thread(
             "right", "WAITING (parking)",
             "\tat jdk.internal.misc.Unsafe.park(Native Method)\n"
             "\t- parking to wait for  <0x00000000aaaa0001> (a "
             "java.util.concurrent.locks.ReentrantLock$NonfairSync)\n"
             "\tat com.acme.Right.run(Right.java:20)\n\n"
             "   Locked ownable synchronizers:\n"
             "\t- <0x00000000aaaa0002> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)") +
         "\nJNI global refs: 1\n";
}

TEST(LockGraphTest, FindsReentrantLockCycle) {
  JavaThreadDump d = ParseOne(ReentrantDeadlock());
  LockGraph g = BuildLockGraph(d);
  ASSERT_EQ(g.cycles.size(), 1u);
  const WaitCycle& c = g.cycles[0];
  EXPECT_TRUE(c.through_synchronizer);
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(d.threads[c.threads[0]].name, "left");
  EXPECT_EQ(d.threads[c.threads[1]].name, "right");
  EXPECT_EQ(c.edges[0]->wait->address, "aaaa0002");
  EXPECT_EQ(c.edges[0]->held->action, LockAction::kOwnsSynchronizer);
}

TEST(LockGraphTest, ObjectWaitReleasesTheMonitorAndSelfLockIsNoCycle) {
  // "waiter" is in Object.wait() on M: its "- locked M" is released, so "entering" waits for
  // nobody in a cycle; "self" waits to lock what it holds (re-entrant), not a deadlock.
  JavaThreadDump d =
      ParseOne(std::string(kHeader) +
               Thread("waiter", "WAITING (on object monitor)",
                      "\tat java.lang.Object.wait(Native Method)\n"
                      "\t- waiting on <0x10> (a java.lang.Object)\n"
                      "\tat A.a(A.java:1)\n\t- locked <0x10> (a java.lang.Object)\n"
                      "\t- waiting to lock <0x20> (a java.lang.Object)") +
               Thread("entering", "BLOCKED (on object monitor)",
                      "\tat B.b(B.java:1)\n\t- waiting to lock <0x10> (a java.lang.Object)\n"
                      "\t- locked <0x20> (a java.lang.Object)") +
               Thread("self", "BLOCKED (on object monitor)",
                      "\tat C.c(C.java:1)\n\t- waiting to lock <0x30> (a java.lang.Object)\n"
                      "\t- locked <0x30> (a java.lang.Object)"));
  LockGraph g = BuildLockGraph(d);
  EXPECT_TRUE(g.cycles.empty());
  ASSERT_EQ(g.orphan_waits.size(), 1u);  // "entering" waits for 0x10, which nobody holds now
  EXPECT_EQ(g.orphan_waits[0]->address, "10");
}

TEST(LockGraphTest, ChainsAndContention) {
  // w1, w2, w3 wait for L1 held by mid; mid waits for L2 held by sleeper.
  std::string text(kHeader);
  for (const char* w : {"w1", "w2", "w3"}) {
    text += Thread(w, "BLOCKED (on object monitor)",
                   "\tat W.w(W.java:1)\n\t- waiting to lock <0x1> (a com.acme.Pool)");
  }
  text += Thread("mid", "BLOCKED (on object monitor)",
                 "\tat M.m(M.java:2)\n\t- waiting to lock <0x2> (a com.acme.Db)\n"
                 "\t- locked <0x1> (a com.acme.Pool)");
  text += Thread("sleeper", "TIMED_WAITING (sleeping)",
                 "\tat java.lang.Thread.sleep(Native Method)\n\t- locked <0x2> (a com.acme.Db)");
  text += "\nJNI global refs: 1\n";  // a whole dump: no verdict about what is missing
  JavaThreadDump d = ParseOne(text);
  LockGraph g = BuildLockGraph(d);
  EXPECT_TRUE(g.cycles.empty());
  ASSERT_EQ(g.chains.size(), 1u);  // three starts, one tail: listed once
  EXPECT_EQ(g.chains[0].threads.size(), 3u);
  EXPECT_EQ(g.chains[0].other_starts, 2);
  EXPECT_EQ(d.threads[g.chains[0].threads.back()].name, "sleeper");
  ASSERT_EQ(g.contended.size(), 2u);
  EXPECT_EQ(g.contended[0].address, "1");
  EXPECT_EQ(g.contended[0].waiters.size(), 3u);
  EXPECT_EQ(d.threads[g.contended[0].holder].name, "mid");

  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("t.txt", text, DumpOptions{});
  ASSERT_TRUE(a.ok());
  ASSERT_GE(a->verdicts.size(), 2u);
  EXPECT_EQ(a->verdicts[0].kind, "blocking-chain");
  EXPECT_EQ(a->verdicts[0].title,
            "blocking chain: 4 threads wait in turn behind \"sleeper\" (TIMED_WAITING in "
            "java.lang.Thread.sleep(Native Method))");
  EXPECT_EQ(a->verdicts[1].kind, "lock-contention");
  EXPECT_EQ(a->verdicts[1].title,
            "lock contention: 3 threads wait for <0x1> (a com.acme.Pool) held by \"mid\"");
}

TEST(JavaReaderTest, DeadlockVerdictCarriesLineEvidence) {
  std::string text = ReentrantDeadlock();
  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("dump.txt", text, DumpOptions{});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_FALSE(a->verdicts.empty());
  const Finding& f = a->verdicts[0];
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.title,
            "deadlock: \"left\" and \"right\" each hold the lock the other waits for (through "
            "java.util.concurrent locks)");
  ASSERT_EQ(f.evidence.size(), 6u);
  EXPECT_EQ(f.evidence[1].source, "dump.txt:6");
  EXPECT_EQ(f.evidence[1].excerpt,
            "- parking to wait for  <0x00000000aaaa0002> (a "
            "java.util.concurrent.locks.ReentrantLock$NonfairSync)");
  EXPECT_NE(a->json.str().find("\"deadlocks\":[{\"through_synchronizer\":true"), std::string::npos);
  EXPECT_NE(a->text.find("\"left\" waits for <0xaaaa0002>"), std::string::npos);
  EXPECT_NE(a->markdown.find("| \"left\" |"), std::string::npos);
}

TEST(JavaSeriesTest, DeadlockFormingStuckAppearedVanished) {
  auto dump = [](std::string_view time, bool locked_cycle, std::string_view extra) {
    std::string t = std::string(time) + "\n" + std::string(kHeader);
    t += Thread("a", "BLOCKED (on object monitor)",
                std::string("\tat com.acme.A.run(A.java:1)\n\t- waiting to lock <0x2> (a X)\n") +
                    (locked_cycle ? "\t- locked <0x1> (a X)" : ""));
    t += Thread("b", "BLOCKED (on object monitor)",
                "\tat com.acme.B.run(B.java:1)\n\t- waiting to lock <0x1> (a X)\n"
                "\t- locked <0x2> (a X)");
    t += Thread("spin", "RUNNABLE", "\tat com.acme.Spin.loop(Spin.java:7)");
    t += std::string(extra) + "JNI global refs: 1\n\n";
    return t;
  };
  std::string first =
      dump("2024-01-01 10:00:00", false, Thread("gone", "RUNNABLE", "\tat com.acme.G.g(G.java:1)"));
  std::string second =
      dump("2024-01-01 10:00:05", true, Thread("new", "RUNNABLE", "\tat com.acme.N.n(N.java:1)"));
  Result<DumpAnalysis> a =
      AnalyzeJavaThreadDumpFiles({{"one.txt", first}, {"two.txt", second}}, DumpOptions{});
  ASSERT_TRUE(a.ok());
  std::vector<std::string> kinds;
  for (const Finding& f : a->verdicts) kinds.push_back(f.kind);
  ASSERT_EQ(kinds.size(), 3u);
  EXPECT_EQ(kinds[0], "deadlock");
  EXPECT_EQ(kinds[1], "deadlock-forming");
  EXPECT_EQ(kinds[2], "stuck-threads");
  EXPECT_EQ(a->verdicts[1].title, "deadlock formed between dump 1 and dump 2: \"a #1\", \"b #1\"");
  EXPECT_EQ(a->verdicts[2].title,
            "3 threads made no progress across 2 dumps (e.g. \"a\" BLOCKED in "
            "com.acme.A.run(A.java:1))");
  EXPECT_NE(a->json.str().find("\"appeared\":[\"new #1\"],\"vanished\":[\"gone #1\"]"),
            std::string::npos);
  EXPECT_EQ(a->time_source, "the dump's own timestamp (written without a zone, read as UTC)");
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

// Without -l, jstack prints no "Locked ownable synchronizers": the JVM's report still names the
// ReentrantLock deadlock, the lock lines cannot show it, and the reader is told why.
TEST(JavaReaderTest, JvmReportWithoutLockLinesIsADiagnosticNotAVerdict) {
  std::string text = std::string(kHeader) +
                     Thread("left", "WAITING (parking)",
                            "\tat jdk.internal.misc.Unsafe.park(Native Method)\n"
                            "\t- parking to wait for  <0x2> (a "
                            "java.util.concurrent.locks.ReentrantLock$NonfairSync)") +
                     Thread("right", "WAITING (parking)",
                            "\tat jdk.internal.misc.Unsafe.park(Native Method)\n"
                            "\t- parking to wait for  <0x1> (a "
                            "java.util.concurrent.locks.ReentrantLock$NonfairSync)") +
                     "JNI global refs: 1\n\nFound one Java-level deadlock:\n=====\n"
                     "\"left\":\n  waiting for ownable synchronizer 0x2, (a X),\n"
                     "  which is held by \"right\"\n"
                     "\"right\":\n  waiting for ownable synchronizer 0x1, (a X),\n"
                     "  which is held by \"left\"\n\nFound 1 deadlock.\n";
  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("nol.txt", text, DumpOptions{});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->verdicts[0].kind, "no-deadlock");
  ASSERT_EQ(a->diagnostics.size(), 2u);
  EXPECT_EQ(a->diagnostics[0].substr(0, 44), "nol.txt:17: the JVM reports \"left\" deadlocke");
}

}  // namespace
}  // namespace inquest
