#include "dumps/go/goroutine_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dumps/go/go_dump.h"
#include "dumps/go/go_series.h"

namespace inquest {
namespace {

std::vector<Goroutine> ParseAll(std::string_view bytes, DumpIssues* issues) {
  GoroutineParser parser(bytes, issues);
  std::vector<Goroutine> out;
  Goroutine g;
  while (parser.Next(&g)) out.push_back(g);
  return out;
}

TEST(GoroutineHeader, StatesWaitsAndLocks) {
  Goroutine g;
  ASSERT_TRUE(
      ParseGoroutineHeader("goroutine 7 [chan receive, 47 minutes, locked to thread]:", &g));
  EXPECT_EQ(g.id, 7u);
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_EQ(g.wait_minutes, 47u);
  EXPECT_TRUE(g.locked_to_thread);

  Goroutine g2;  // Go 1.22+: gp, m and mp between the id and the state
  ASSERT_TRUE(
      ParseGoroutineHeader("goroutine 12 gp=0xc000007c00 m=3 mp=0xc000080008 [running]:", &g2));
  EXPECT_EQ(g2.id, 12u);
  EXPECT_EQ(g2.state, "running");

  Goroutine g3;
  EXPECT_FALSE(ParseGoroutineHeader("goroutine profile: total 4", &g3));
  EXPECT_FALSE(ParseGoroutineHeader("goroutine 5 [chan rec", &g3));
  EXPECT_FALSE(ParseGoroutineHeader("goroutine x [running]:", &g3));
}

TEST(GoroutineParser, Go117ArgumentsAndGo121CreatedBy) {
  constexpr std::string_view kDump =
      "goroutine 18 [select]:\n"
      "main.worker({0x4b2f40, 0xc000010000}, 0xc00001e0c0?, ...)\n"
      "\t/src/app/worker.go:33 +0x1d\n"
      "created by main.start in goroutine 1\n"
      "\t/src/app/main.go:20 +0x45\n";
  DumpIssues issues;
  std::vector<Goroutine> gs = ParseAll(kDump, &issues);
  ASSERT_EQ(gs.size(), 1u);
  EXPECT_EQ(issues.count(), 0u);
  ASSERT_EQ(gs[0].frames.size(), 1u);
  EXPECT_EQ(gs[0].frames[0].func, "main.worker");
  EXPECT_EQ(gs[0].frames[0].args, "{0x4b2f40, 0xc000010000}, 0xc00001e0c0?, ...");
  EXPECT_EQ(gs[0].frames[0].file, "/src/app/worker.go");
  EXPECT_EQ(gs[0].frames[0].line, 33u);
  EXPECT_TRUE(gs[0].has_created_by);
  EXPECT_EQ(gs[0].created_by.func, "main.start");
  EXPECT_EQ(gs[0].created_by.line, 20u);
  EXPECT_EQ(gs[0].created_in, 1u);
}

TEST(GoroutineParser, TabsStrippedByALogPipelineAndCrlf) {
  constexpr std::string_view kDump =
      "goroutine 1 [chan send, 3 minutes]:\r\n"
      "main.produce(0xc000018060)\r\n"
      "/src/app/main.go:12 +0x2a\r\n"
      "main.main()\r\n"
      "/src/app/main.go:30 +0x1f\r\n";
  DumpIssues issues;
  std::vector<Goroutine> gs = ParseAll(kDump, &issues);
  ASSERT_EQ(gs.size(), 1u);
  EXPECT_EQ(issues.count(), 0u);
  ASSERT_EQ(gs[0].frames.size(), 2u);
  EXPECT_EQ(gs[0].frames[1].func, "main.main");
  EXPECT_EQ(gs[0].frames[1].line, 30u);
  EXPECT_EQ(gs[0].wait_minutes, 3u);
}

TEST(GoroutineParser, CutOffMidLineKeepsWhatWasRead) {
  constexpr std::string_view kDump =
      "goroutine 1 [running]:\n"
      "main.main()\n"
      "\t/src/app/main.go:30 +0x1f\n"
      "\n"
      "goroutine 2 [chan receive]:\n"
      "main.wait(0xc0000";
  DumpIssues issues;
  std::vector<Goroutine> gs = ParseAll(kDump, &issues);
  ASSERT_EQ(gs.size(), 2u);
  EXPECT_FALSE(gs[0].incomplete);
  EXPECT_TRUE(gs[1].incomplete);
  ASSERT_EQ(issues.count(), 1u);
  EXPECT_EQ(issues.samples()[0].line, 6u);
  EXPECT_NE(issues.samples()[0].message.find("cut off"), std::string::npos);
}

TEST(GoroutineParser, GarbageBetweenGoroutinesIsReportedWithItsLine) {
  constexpr std::string_view kDump =
      "goroutine 1 [running]:\n"
      "main.main()\n"
      "\t/src/app/main.go:30 +0x1f\n"
      "\n"
      "2026-05-29 14:14:00 INFO unrelated log line\n"
      "\n"
      "goroutine 2 [sleep]:\n"
      "time.Sleep(0x3b9aca00)\n"
      "\t/usr/lib/go/src/runtime/time.go:195 +0x135\n";
  DumpIssues issues;
  std::vector<Goroutine> gs = ParseAll(kDump, &issues);
  EXPECT_EQ(gs.size(), 2u);
  ASSERT_EQ(issues.count(), 1u);
  EXPECT_EQ(issues.samples()[0].line, 5u);
}

TEST(GoroutineParser, HeaderWithoutStack) {
  DumpIssues issues;
  std::vector<Goroutine> gs = ParseAll("goroutine 9 [chan receive]:\n\n", &issues);
  ASSERT_EQ(gs.size(), 1u);
  EXPECT_TRUE(gs[0].incomplete);
  ASSERT_EQ(issues.count(), 1u);
  EXPECT_EQ(issues.samples()[0].line, 2u);  // where the stack should have been
}

TEST(GoroutineParser, CountedStacksOfDebug1) {
  constexpr std::string_view kDump =
      "goroutine profile: total 1003\n"
      "1000 @ 0x43a8f6 0x4069ef 0x4a10f5 0x46bba1\n"
      "#\t0x4a10f4\tmain.leak+0x34\t/tmp/app/main.go:12\n"
      "\n"
      "3 @ 0x43a8f6 0x46bba1\n"
      "#\t0x4a1234\tmain.idle+0x10\t/tmp/app/main.go:40\n";
  GoDump dump = ReadGoDump(kDump, StackSimilarity::kIgnoreWaitTime);
  EXPECT_TRUE(dump.preamble.counted);
  EXPECT_EQ(dump.preamble.profile_total, 1003u);
  EXPECT_EQ(dump.goroutines, 1003u);
  ASSERT_EQ(dump.groups.size(), 2u);
  EXPECT_EQ(dump.groups[0].count, 1000u);
  EXPECT_EQ(dump.groups[0].sample.frames[0].func, "main.leak");
  EXPECT_EQ(dump.groups[0].sample.frames[0].line, 12u);
  EXPECT_EQ(dump.issues.count(), 0u);
}

std::string Worker(int id, int minutes, std::string_view arg) {
  return "goroutine " + std::to_string(id) + " [chan receive, " + std::to_string(minutes) +
         " minutes]:\n"
         "main.worker(" +
         std::string(arg) +
         ")\n"
         "\t/src/app/main.go:12 +0x2a\n"
         "created by main.start in goroutine 1\n"
         "\t/src/app/main.go:20 +0x45\n\n";
}

TEST(GoroutineGroups, SimilarityLevelsAndWaitRanges) {
  std::string dump = Worker(10, 47, "0x1") + Worker(11, 124, "0x2") + Worker(12, 47, "0x1");
  GoDump exact = ReadGoDump(dump, StackSimilarity::kExact);
  EXPECT_EQ(exact.groups.size(), 2u);  // (0x1, 47) twice, (0x2, 124) once
  GoDump args = ReadGoDump(dump, StackSimilarity::kIgnoreArgs);
  EXPECT_EQ(args.groups.size(), 2u);  // 47 minutes twice, 124 once
  GoDump wait = ReadGoDump(dump, StackSimilarity::kIgnoreWaitTime);
  ASSERT_EQ(wait.groups.size(), 1u);
  EXPECT_EQ(wait.groups[0].count, 3u);
  EXPECT_EQ(wait.groups[0].wait_min, 47u);
  EXPECT_EQ(wait.groups[0].wait_max, 124u);
  EXPECT_EQ(GoGroupState(wait.groups[0]), "[chan receive, 47~124 minutes]");
  EXPECT_EQ(wait.groups[0].ids, (std::vector<uint64_t>{10, 11, 12}));
}

TEST(GoroutineGroups, PanickingGoroutineFirstThenByCountThenOwnCode) {
  std::string dump =
      "panic: assignment to entry in nil map\n\n"
      "goroutine 1 [running]:\n"
      "main.store(...)\n"
      "\t/src/app/main.go:9\n"
      "main.main()\n"
      "\t/src/app/main.go:15 +0x2e\n\n";
  for (int i = 0; i < 3; ++i) dump += Worker(20 + i, 0, "0x1");
  dump +=
      "goroutine 5 [chan receive]:\n"
      "runtime.gopark(0x0?)\n"
      "\t/usr/lib/go/src/runtime/proc.go:363 +0xd6\n\n"
      "goroutine 6 [chan receive]:\n"
      "main.other()\n"
      "\t/src/app/main.go:50 +0xd6\n\n";
  GoDump d = ReadGoDump(dump, StackSimilarity::kIgnoreWaitTime);
  EXPECT_EQ(d.lead_id, 1u);
  ASSERT_EQ(d.groups.size(), 4u);
  EXPECT_EQ(d.groups[0].sample.id, 1u);
  EXPECT_EQ(d.groups[1].count, 3u);
  EXPECT_EQ(d.groups[2].sample.id, 6u);  // own code before the runtime-only stack
  EXPECT_EQ(d.groups[3].sample.id, 5u);
  std::vector<Finding> v = GoVerdicts(d, "panic.txt", kNoTime);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].kind, "panic");
  EXPECT_EQ(v[0].title,
            "panic: assignment to entry in nil map in goroutine 1 at main.store "
            "(/src/app/main.go:9)");
  EXPECT_EQ(v[0].evidence[0].source, "panic.txt:1");
}

TEST(GoVerdicts, LeakSuspectNamesTheCreatedBySite) {
  std::string dump =
      "goroutine 1 [IO wait]:\n"
      "internal/poll.runtime_pollWait(0x0?, 0x72)\n"
      "\t/usr/lib/go/src/runtime/netpoll.go:305 +0x89\n"
      "main.main()\n"
      "\t/src/app/main.go:40 +0x1\n\n";
  for (int i = 0; i < 60; ++i) dump += Worker(100 + i, 15, "0x1");
  GoDump d = ReadGoDump(dump, StackSimilarity::kIgnoreWaitTime);
  std::vector<Finding> v = GoVerdicts(d, "leak.txt", kNoTime);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, "goroutine-leak");
  EXPECT_EQ(v[0].title,
            "leak suspect: 60 goroutines blocked in chan receive under main.worker for 15 "
            "minutes, created by main.start in goroutine 1");
  EXPECT_EQ(v[0].evidence[0].source, "leak.txt:7");
}

TEST(GoVerdicts, FewShortWaitsAreNoLeak) {
  std::string dump;
  for (int i = 0; i < 5; ++i) dump += Worker(100 + i, 0, "0x1");
  dump +=
      "goroutine 1 [IO wait]:\n"
      "main.serve()\n"
      "\t/src/app/main.go:40 +0x1\n\n";
  GoDump d = ReadGoDump(dump, StackSimilarity::kIgnoreWaitTime);
  EXPECT_TRUE(GoVerdicts(d, "ok.txt", kNoTime).empty());
}

TEST(GoVerdicts, RuntimeDeadlockAndAllBlockedDeadlock) {
  constexpr std::string_view kRuntime =
      "fatal error: all goroutines are asleep - deadlock!\n\n"
      "goroutine 1 [chan receive]:\n"
      "main.main()\n"
      "\t/src/app/main.go:8 +0x2d\n";
  GoDump d = ReadGoDump(kRuntime, StackSimilarity::kIgnoreWaitTime);
  std::vector<Finding> v = GoVerdicts(d, "dl.txt", kNoTime);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].kind, "deadlock");
  EXPECT_EQ(v[0].title, "deadlock: all goroutines are asleep");
  EXPECT_EQ(v[0].confidence, 1.0);

  constexpr std::string_view kAllBlocked =
      "goroutine 1 [semacquire]:\n"
      "sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)\n"
      "\t/usr/lib/go/src/runtime/sema.go:77 +0x25\n"
      "sync.(*Mutex).Lock(...)\n"
      "\t/usr/lib/go/src/sync/mutex.go:81\n"
      "main.transfer(...)\n"
      "\t/src/app/bank.go:20\n\n"
      "goroutine 2 [semacquire]:\n"
      "sync.runtime_Semacquire(0x0?)\n"
      "\t/usr/lib/go/src/runtime/sema.go:62 +0x25\n"
      "sync.(*WaitGroup).Wait(0x0?)\n"
      "\t/usr/lib/go/src/sync/waitgroup.go:139 +0x52\n"
      "main.main()\n"
      "\t/src/app/bank.go:30 +0x1\n\n"
      "goroutine 3 [GC worker (idle)]:\n"
      "runtime.gcBgMarkWorker()\n"
      "\t/usr/lib/go/src/runtime/mgc.go:1235 +0xe5\n";
  GoDump d2 = ReadGoDump(kAllBlocked, StackSimilarity::kIgnoreWaitTime);
  std::vector<Finding> v2 = GoVerdicts(d2, "dl2.txt", kNoTime);
  ASSERT_FALSE(v2.empty());
  EXPECT_EQ(v2[0].kind, "deadlock");
  EXPECT_LT(v2[0].confidence, 1.0);
}

TEST(GoVerdicts, AnIdleDaemonIsNoDeadlock) {
  // main waits for a signal on a channel, the worker selects on a ticker: both can be woken.
  constexpr std::string_view kIdle =
      "goroutine 1 [chan receive]:\n"
      "main.main()\n"
      "\t/src/app/main.go:20 +0x2d\n\n"
      "goroutine 6 [select]:\n"
      "main.tick()\n"
      "\t/src/app/main.go:30 +0x2d\n";
  GoDump d = ReadGoDump(kIdle, StackSimilarity::kIgnoreWaitTime);
  EXPECT_TRUE(GoVerdicts(d, "idle.txt", kNoTime).empty());
}

TEST(GoVerdicts, LockConvoy) {
  std::string dump =
      "goroutine 1 [IO wait]:\n"
      "main.serve()\n"
      "\t/src/app/main.go:40 +0x1\n\n";
  for (int i = 0; i < 12; ++i)
    dump += "goroutine " + std::to_string(50 + i) +
            " [sync.Mutex.Lock]:\n"
            "sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)\n"
            "\t/usr/lib/go/src/runtime/sema.go:77 +0x25\n"
            "sync.(*Mutex).lockSlow(0xc000010000)\n"
            "\t/usr/lib/go/src/sync/mutex.go:171 +0x165\n"
            "sync.(*Mutex).Lock(...)\n"
            "\t/usr/lib/go/src/sync/mutex.go:90\n"
            "main.(*Cache).Get(0xc000010000, {0x4b2f40, 0x3})\n"
            "\t/src/app/cache.go:22 +0x4a\n"
            "created by main.serve\n"
            "\t/src/app/main.go:44 +0x1\n\n";
  GoDump d = ReadGoDump(dump, StackSimilarity::kIgnoreWaitTime);
  std::vector<Finding> v = GoVerdicts(d, "convoy.txt", kNoTime);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, "lock-convoy");
  EXPECT_NE(v[0].title.find("12 goroutines wait in sync.(*Mutex).Lock under main.(*Cache).Get"),
            std::string::npos)
      << v[0].title;
  EXPECT_NE(v[0].title.find("created by main.serve"), std::string::npos);
}

TEST(GoroutineParser, DuplicateIdsAreCounted) {
  std::string one = Worker(10, 0, "0x1");
  GoDump d = ReadGoDump(one + one, StackSimilarity::kIgnoreWaitTime);
  EXPECT_EQ(d.duplicate_ids, 1u);
  EXPECT_EQ(d.goroutines, 2u);
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

std::string Workers(int n) {
  std::string out =
      "goroutine 1 [IO wait]:\n"
      "main.serve()\n"
      "\t/src/app/main.go:40 +0x1\n\n";
  for (int i = 0; i < n; ++i) out += Worker(100 + i, 0, "0x1");
  return out;
}

TEST(GoSeries, GrowingStackAcrossDumpsInTimeOrder) {
  std::string a = Workers(3), b = Workers(6), c = Workers(12);
  // Given out of order: the times put them right.
  std::vector<Finding> v = GoSeriesVerdicts({{"c.txt", c, 3 * kNanosPerSecond},
                                             {"a.txt", a, 1 * kNanosPerSecond},
                                             {"b.txt", b, 2 * kNanosPerSecond}});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, "goroutine-leak");
  EXPECT_EQ(v[0].title,
            "growing across 3 dumps: 3 -> 6 -> 12 goroutines in chan receive under main.worker, "
            "created by main.start");
  EXPECT_EQ(v[0].evidence[0].source, "c.txt:5");
  // A stack that shrank once is no leak; nor is one that stays small.
  EXPECT_TRUE(GoSeriesVerdicts({{"a", a, 1}, {"c", c, 2}, {"b", b, 3}}).empty());
  EXPECT_TRUE(GoSeriesVerdicts({{"a", Workers(1), 1}, {"b", Workers(2), 2}}).empty());
}

}  // namespace
}  // namespace inquest
