#include "dumps/java/thread_dump_parser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dumps/java/java_readers.h"
#include "dumps/java/thread_dump_json.h"

namespace inquest {
namespace {

std::vector<JavaThreadDump> Parse(std::string_view text,
                                  std::vector<std::string>* diags = nullptr) {
  std::vector<std::string> local;
  return ParseJavaThreadDumps(text, diags ? diags : &local);
}

constexpr std::string_view kJdk21 =
    "2025-12-21 11:28:04\n"
    "Full thread dump OpenJDK 64-Bit Server VM (21.0.1+12-LTS mixed mode, sharing):\n"
    "\n"
    "Threads class SMR info:\n"
    "_java_thread_list=0x0000600001426200, length=2, elements={\n"
    "0x000000014a83fa00, 0x000000014b01a600\n"
    "}\n"
    "\n"
    "\"worker-1\" #30 [42499] daemon prio=5 os_prio=31 cpu=0.15ms elapsed=0.58s "
    "allocated=208B defined_classes=1 tid=0x000000014c0fd000 nid=42499 waiting for monitor "
    "entry  [0x000000016ddde000]\n"
    "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
    "\tat com.acme.Orders.place(Orders.java:98)\n"
    "\t- waiting to lock <0x000000052C830070> (a java.lang.Object)\n"
    "\t- locked <0x000000052c830078> (a java.lang.Object)\n"
    "\tat java.lang.Thread.run(java.base@21/Thread.java:1474)\n"
    "\n"
    "   Locked ownable synchronizers:\n"
    "\t- <0x000000052f45b930> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)\n"
    "\n"
    "\"ForkJoinPool-1-worker-1\" #65 [62471] daemon prio=5 os_prio=31 cpu=305.89ms "
    "elapsed=15.79s tid=0x000000013e056a00  [0x0000000174151000]\n"
    "   Carrying virtual thread #206\n"
    "\tat jdk.internal.vm.Continuation.run(java.base@25/Continuation.java:251)\n"
    "   Mounted virtual thread #206\n"
    "\tat com.acme.Handler.serve(Handler.java:12)\n"
    "\n"
    "\"GC Thread#0\" os_prio=31 cpu=1.19ms elapsed=0.88s tid=0x000000014a857c00 nid=0x2e03 "
    "runnable  \n"
    "\n"
    "JNI global refs: 12, weak refs: 0\n";

TEST(JavaThreadDumpParserTest, ReadsJdk21HeaderFieldsLocksAndCarriers) {
  std::vector<std::string> diags;
  auto dumps = Parse(kJdk21, &diags);
  EXPECT_TRUE(diags.empty()) << diags[0];
  ASSERT_EQ(dumps.size(), 1u);
  const JavaThreadDump& d = dumps[0];
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.time, 1766316484 * kNanosPerSecond);
  EXPECT_TRUE(d.time_zone_assumed);
  EXPECT_EQ(d.jvm, "OpenJDK 64-Bit Server VM (21.0.1+12-LTS mixed mode, sharing)");
  EXPECT_EQ(d.smr_length, 2);
  EXPECT_TRUE(d.complete);
  ASSERT_EQ(d.threads.size(), 4u);  // worker, carrier, its virtual thread, GC thread

  const JavaThread& w = d.threads[0];
  EXPECT_EQ(w.name, "worker-1");
  EXPECT_EQ(w.id, "#30");
  EXPECT_EQ(w.nid, "42499");
  EXPECT_TRUE(w.daemon);
  EXPECT_DOUBLE_EQ(w.cpu_ms, 0.15);
  EXPECT_DOUBLE_EQ(w.elapsed_s, 0.58);
  EXPECT_EQ(w.state, JavaThreadState::kBlocked);
  EXPECT_EQ(w.state_detail, "(on object monitor)");
  EXPECT_EQ(w.header_state, "waiting for monitor entry");
  EXPECT_EQ(w.line, 9u);
  ASSERT_EQ(w.frames.size(), 2u);
  EXPECT_EQ(w.frames[0].text, "com.acme.Orders.place(Orders.java:98)");
  ASSERT_EQ(w.locks.size(), 3u);
  EXPECT_EQ(w.locks[0].action, LockAction::kWaitingToLock);
  EXPECT_EQ(w.locks[0].address, "52c830070");  // normalised: lower case, no 0x, no zeros
  EXPECT_EQ(w.locks[0].class_name, "java.lang.Object");
  EXPECT_EQ(w.locks[0].line, 12u);
  EXPECT_EQ(w.locks[0].frame, 0);
  EXPECT_EQ(w.locks[1].action, LockAction::kLocked);
  EXPECT_EQ(w.locks[2].action, LockAction::kOwnsSynchronizer);
  EXPECT_EQ(w.locks[2].address, "52f45b930");

  const JavaThread& carrier = d.threads[1];
  EXPECT_EQ(carrier.carrying, "#206");
  EXPECT_EQ(carrier.state, JavaThreadState::kRunnable);  // no State line: it runs #206
  ASSERT_EQ(carrier.frames.size(), 1u);
  const JavaThread& v = d.threads[2];
  EXPECT_TRUE(v.is_virtual);
  EXPECT_EQ(v.id, "#206");
  EXPECT_EQ(v.carrier, "ForkJoinPool-1-worker-1");
  ASSERT_EQ(v.frames.size(), 1u);
  EXPECT_EQ(v.frames[0].text, "com.acme.Handler.serve(Handler.java:12)");

  const JavaThread& gc = d.threads[3];
  EXPECT_EQ(gc.nid, "0x2e03");
  EXPECT_EQ(gc.state, JavaThreadState::kRunnable);  // from the header: no State line
}

TEST(JavaThreadDumpParserTest, CrlfAndMissingTabsReadLikeTheOriginal) {
  std::string text(kJdk21);
  std::string crlf, untabbed;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
    if (c != '\t') untabbed += c;
  }
  auto a = Parse(text), b = Parse(crlf), c = Parse(untabbed);
  ASSERT_EQ(b.size(), 1u);
  ASSERT_EQ(c.size(), 1u);
  for (const auto* other : {&b[0], &c[0]}) {
    ASSERT_EQ(other->threads.size(), a[0].threads.size());
    for (size_t i = 0; i < a[0].threads.size(); ++i) {
      EXPECT_EQ(other->threads[i].name, a[0].threads[i].name);
      EXPECT_EQ(other->threads[i].frames.size(), a[0].threads[i].frames.size());
      EXPECT_EQ(other->threads[i].locks.size(), a[0].threads[i].locks.size());
      EXPECT_EQ(other->threads[i].line, a[0].threads[i].line);
    }
  }
}

std::string ToUtf16(std::string_view ascii, bool little, bool bom) {
  std::string out;
  if (bom) out += little ? "\xFF\xFE" : "\xFE\xFF";
  for (char c : ascii) {
    if (little) {
      out += c, out += '\0';
    } else {
      out += '\0', out += c;
    }
  }
  return out;
}

TEST(JavaThreadDumpParserTest, DecodesUtf16WithAndWithoutBom) {
  for (bool little : {true, false}) {
    for (bool bom : {true, false}) {
      std::string bytes = ToUtf16(kJdk21, little, bom);
      JavaDumpText t = DecodeJavaDumpText(bytes);
      EXPECT_EQ(t.encoding, little ? "UTF-16LE" : "UTF-16BE");
      EXPECT_EQ(t.utf8(), kJdk21);
      EXPECT_GT(ProbeJavaThreadDumpText(t.utf8()), 0.9);
    }
  }
  // A lone surrogate and an odd trailing byte become U+FFFD instead of being dropped.
  std::string bad = ToUtf16("ab", true, true) + std::string("\x00\xD8", 2) + "x";
  EXPECT_EQ(DecodeJavaDumpText(bad).utf8(), "ab\xEF\xBF\xBD\xEF\xBF\xBD");
  // UTF-8 with a BOM: the BOM is skipped.
  EXPECT_EQ(DecodeJavaDumpText("\xEF\xBB\xBFhello").utf8(), "hello");
}

TEST(JavaThreadDumpParserTest, SplitsSeveralDumpsAndKeepsEachTimestamp) {
  std::string text;
  for (int i = 0; i < 3; ++i) {
    text += "console noise before the dump\n";
    text += "2024-01-02 03:04:0" + std::to_string(i) + "\n";
    text += "Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.202-b08 mixed mode):\n\n";
    text += "\"main\" #1 prio=5 tid=0x1 nid=0x2 runnable\n   java.lang.Thread.State: RUNNABLE\n";
    text += "\tat com.acme.Main.main(Main.java:" + std::to_string(10 + i) + ")\n\n";
    text += "JNI global references: 9\n\n";
  }
  std::vector<std::string> diags;
  auto dumps = Parse(text, &diags);
  EXPECT_TRUE(diags.empty());  // text outside dumps is not a dump's problem
  ASSERT_EQ(dumps.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(dumps[i].line, 2u + 10u * i);
    ParsedTime pt;
    ASSERT_TRUE(ParseIso8601("2024-01-02 03:04:0" + std::to_string(i), {}, &pt));
    EXPECT_EQ(dumps[i].time, pt.time);
    ASSERT_EQ(dumps[i].threads.size(), 1u);
    EXPECT_EQ(dumps[i].threads[0].frames[0].text,
              "com.acme.Main.main(Main.java:" + std::to_string(10 + i) + ")");
  }
}

TEST(JavaThreadDumpParserTest, ReadsJmxThreadInfoAndJRockitForms) {
  auto jmx = Parse(
      "Full thread dump Java HotSpot(TM) Client VM 1.6.0_03-b05\n\n"
      "\"Reference Handler\" id=2 in WAITING\n"
      "    - waiting on <0x1dea370> (a java.lang.ref.Reference$Lock)\n"
      "    at java.lang.Object.wait(Native Method)\n\n"
      "\"RMI TCP Connection(23)-127.0.1.1\" id=3149 in RUNNABLE (running in native)\n"
      "    at java.net.SocketInputStream.socketRead0(Native Method)\n\n"
      "    Locked synchronizers: count = 1\n"
      "      - java.util.concurrent.locks.ReentrantLock$NonfairSync@166fba\n\n<EndOfDump>\n");
  ASSERT_EQ(jmx.size(), 1u);
  EXPECT_EQ(jmx[0].format, "jmx");
  ASSERT_EQ(jmx[0].threads.size(), 2u);
  EXPECT_EQ(jmx[0].threads[0].id, "2");
  EXPECT_EQ(jmx[0].threads[0].state, JavaThreadState::kWaiting);
  EXPECT_EQ(jmx[0].threads[1].state_detail, "(running in native)");
  ASSERT_EQ(jmx[0].threads[1].locks.size(), 1u);
  EXPECT_EQ(jmx[0].threads[1].locks[0].address, "166fba");

  auto jr = Parse(
      "===== FULL THREAD DUMP ===============\nSun Jul 20 17:03:48 2014\n"
      "BEA JRockit(R) R27.6.5-32_o-121899-1.6.0_14-20091001-2113-linux-x86_64\n\n"
      "\"Main Thread\" id=1 idx=0x4 tid=27878 prio=5 alive, in native, waiting\n"
      "    -- Waiting for notification on: java/lang/UNIXProcess@0x7b483a0[fat lock]\n"
      "    at java/lang/Object.wait(J)V(Native Method)\n"
      "    ^-- Lock released while waiting: java/lang/UNIXProcess@0x7b483a0[fat lock]\n"
      "    -- end of trace\n\n===== END OF THREAD DUMP ===============\n");
  ASSERT_EQ(jr.size(), 1u);
  EXPECT_EQ(jr[0].format, "jrockit");
  EXPECT_NE(jr[0].time, kNoTime);
  EXPECT_EQ(jr[0].jvm.substr(0, 12), "BEA JRockit(");
  ASSERT_EQ(jr[0].threads.size(), 1u);
  EXPECT_EQ(jr[0].threads[0].state, JavaThreadState::kWaiting);
  ASSERT_EQ(jr[0].threads[0].locks.size(), 1u);
  EXPECT_EQ(jr[0].threads[0].locks[0].action, LockAction::kWaitingOn);
  EXPECT_EQ(jr[0].threads[0].locks[0].address, "7b483a0");
  EXPECT_EQ(jr[0].threads[0].locks[0].class_name, "java.lang.UNIXProcess");
}

TEST(JavaThreadDumpParserTest, BadInputIsReportedWithLinesAndTheRestIsKept) {
  std::vector<std::string> diags;
  auto dumps = Parse(
      "Full thread dump OpenJDK 64-Bit Server VM (17.0.1+12 mixed mode):\n\n"
      "\"a\" #1 prio=5 tid=0x1 nid=0x1 waiting for monitor entry\n"  // line 3
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      "\tat A.a(A.java:1)\n"
      "\t- waiting to lock <0xdead> (a java.lang.Object)\n"  // never held by anyone
      "garbage one\ngarbage two\n"                           // lines 7-8
      "\t- locked <zzz> (a java.lang.Object)\n"              // line 9: not an address
      "\"header only\" #2 prio=5 tid=0x2 nid=0x2 runnable\n"
      "\"b\" #3 prio=5 tid=0x3 nid=0x3 runn",  // cut mid-line, no JNI line
      &diags);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_FALSE(dumps[0].complete);
  ASSERT_EQ(dumps[0].threads.size(), 3u);
  EXPECT_TRUE(dumps[0].threads[1].frames.empty());
  EXPECT_EQ(dumps[0].threads[2].name, "b");
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0], "line 7: 2 lines of unrecognised text in a thread dump skipped");
  EXPECT_EQ(diags[1].substr(0, 33), "line 9: malformed lock line \"lock");
}

TEST(JavaThreadDumpParserTest, DiagnosticsAreBounded) {
  std::string text = "Full thread dump X:\n\"t\" #1 prio=5 tid=0x1 nid=0x1 runnable\n";
  for (int i = 0; i < 500; ++i) text += "\t- locked <q" + std::to_string(i) + ">\n";
  std::vector<std::string> diags;
  auto dumps = Parse(text, &diags);
  ASSERT_EQ(dumps.size(), 1u);
  ASSERT_EQ(diags.size(), kMaxJavaDiagnostics + 1);
  EXPECT_EQ(diags.back(), "450 more problems not listed");
}

TEST(JavaThreadDumpParserTest, JvmDeadlockBlockIsKeptApartFromTheThreads) {
  auto dumps = Parse(
      "Full thread dump X:\n\n\"A\" #1 prio=5 tid=0x1 nid=0x1 runnable\n\nJNI global refs: 1\n\n"
      "Found one Java-level deadlock:\n=============================\n"
      "\"A\":\n  waiting to lock monitor 0x00006000 (object 0x000000052c830070, a "
      "java.lang.Object),\n  which is held by \"B\"\n"
      "\"B\":\n  waiting for ownable synchronizer 0x000000052f45b930, (a "
      "java.util.concurrent.locks.ReentrantLock$NonfairSync),\n  which is held by \"A\"\n\n"
      "Java stack information for the threads listed above:\n"
      "===================================================\n"
      "\"A\":\n\tat A.a(A.java:1)\n\nFound 1 deadlock.\n");
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].threads.size(), 1u);  // the block's "A": lines are not threads
  ASSERT_EQ(dumps[0].jvm_deadlocks.size(), 1u);
  const auto& block = dumps[0].jvm_deadlocks[0];
  ASSERT_EQ(block.size(), 2u);
  EXPECT_EQ(block[0].thread, "A");
  EXPECT_EQ(block[0].lock, "52c830070");
  EXPECT_EQ(block[0].holder, "B");
  EXPECT_EQ(block[1].lock, "52f45b930");
  EXPECT_EQ(block[1].holder, "A");
}

TEST(JavaThreadDumpJsonTest, ReadsThreadsLocksAndCarriers) {
  auto d = ParseJavaThreadDumpJson(R"json({"threadDump": {"processId": "1", "time":
    "2026-01-25T15:46:04.439828Z", "runtimeVersion": "25+36", "threadContainers": [
    {"container": "<root>", "threads": [
      {"tid": "30", "name": "holder", "state": "TIMED_WAITING", "stack": ["A.a(A.java:1)"],
       "monitorsOwned": [{"depth": 0, "locks": ["java.lang.Object@1a2b"]}]},
      {"tid": "31", "name": "waiter", "state": "BLOCKED", "stack": ["B.b(B.java:2)"],
       "blockedOn": "java.lang.Object@1a2b"},
      {"tid": "32", "name": "parker", "state": "WAITING", "stack": [],
       "parkBlocker": {"object": "java.util.concurrent.locks.ReentrantLock$NonfairSync@77",
                       "owner": "31"}},
      {"tid": "40", "name": "", "virtual": true, "carrier": "30", "state": "RUNNABLE",
       "stack": []}]}]}})json");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->format, "json");
  EXPECT_EQ(d->jvm, "25+36");
  EXPECT_NE(d->time, kNoTime);
  ASSERT_EQ(d->threads.size(), 4u);
  EXPECT_EQ(d->threads[0].locks[0].action, LockAction::kLocked);
  EXPECT_EQ(d->threads[1].locks[0].action, LockAction::kWaitingToLock);
  ASSERT_EQ(d->threads[1].locks.size(), 2u);  // and it owns the parker's ReentrantLock
  EXPECT_EQ(d->threads[1].locks[1].action, LockAction::kOwnsSynchronizer);
  EXPECT_EQ(d->threads[1].locks[1].address, "77");
  EXPECT_TRUE(d->threads[3].is_virtual);
  EXPECT_EQ(d->threads[3].carrier, "holder");
  EXPECT_EQ(d->threads[0].carrying, "#40");

  EXPECT_FALSE(ParseJavaThreadDumpJson("{\"threadDump\": ").ok());
  EXPECT_FALSE(ParseJavaThreadDumpJson("{\"other\": 1}").ok());
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

// Two JVMs writing SIGQUIT dumps to one console: the second header starts a second dump in the
// middle of the first; every thread is still read once, and nothing is invented.
TEST(JavaThreadDumpParserTest, InterleavedDumpsFromTwoProcessesKeepEveryThread) {
  std::string a1 =
      "\"a1\" #1 prio=5 tid=0x1 nid=0x1 runnable\n   java.lang.Thread.State: RUNNABLE\n"
      "\tat A.one(A.java:1)\n\n";
  std::string a2 =
      "\"a2\" #2 prio=5 tid=0x2 nid=0x2 runnable\n   java.lang.Thread.State: RUNNABLE\n"
      "\tat A.two(A.java:2)\n\n";
  std::string b1 =
      "\"b1\" #1 prio=5 tid=0x3 nid=0x3 runnable\n   java.lang.Thread.State: RUNNABLE\n"
      "\tat B.one(B.java:1)\n\n";
  std::string text = "Full thread dump JVM-A:\n\n" + a1 + "Full thread dump JVM-B:\n\n" + b1 + a2 +
                     "JNI global refs: 1\nJNI global refs: 2\n";
  std::vector<std::string> diags;
  auto dumps = ParseJavaThreadDumps(text, &diags);
  ASSERT_EQ(dumps.size(), 2u);
  size_t threads = dumps[0].threads.size() + dumps[1].threads.size();
  EXPECT_EQ(threads, 3u);
  EXPECT_EQ(dumps[0].threads[0].name, "a1");
  EXPECT_EQ(dumps[0].jvm, "JVM-A");
  EXPECT_EQ(dumps[1].jvm, "JVM-B");
  for (const auto& d : dumps) {
    for (const auto& t : d.threads) EXPECT_EQ(t.frames.size(), 1u) << t.name;
  }
}

// `jhsdb jstack --locks` of a deadlocked JVM: the deadlock report before the threads, frames as
// "- Cls.m(args) @bci=N, line=L (Interpreted frame)", and the top-frame lock lines of a BLOCKED
// thread as the agent gets them wrong (JDK 17: both monitors "locked"; JDK 25: the held one
// "waiting to lock").
std::string JhsdbDeadlock(bool jdk25) {
  std::string a = jdk25 ? "waiting to lock" : "locked";
  std::string b = "locked";
  auto teller = [&](std::string_view name, std::string_view nid, std::string_view held,
                    std::string_view wanted) {
    return fmt::format(
        "\"{}\" #{} prio=5 tid=0x00007f00aa00{} nid={} waiting for monitor entry "
        "[0x00007f00bb000000]\n"
        "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
        "   JavaThread state: _thread_blocked\n"
        " - Bank.move(Bank$Acct, Bank$Acct) @bci=16, line=18 (Interpreted frame)\n"
        "\t- {} <0x00000000{}> (a Bank$Acct)\n"
        "\t- {} <0x00000000{}> (a Bank$Acct)\n"
        " - Bank.lambda$main$0() @bci=2, line=27 (Compiled frame)\n"
        " - java.lang.Thread.run() @bci=11, line=840 (Interpreted frame)\n"
        "\n"
        "Locked ownable synchronizers:\n"
        "    - None\n\n",
        name, nid.substr(nid.size() - 2), nid, nid, a, held, b, wanted);
  };
  return "Attaching to core /var/dumps/core from executable /opt/jdk/bin/java, please wait...\n"
         "Debugger attached successfully.\n"
         "Server compiler detected.\n"
         "JVM version is 17.0.9+9\n"
         "Deadlock Detection:\n\n"
         "Found one Java-level deadlock:\n"
         "=============================\n\n"
         "\"mover-2\":\n"
         "  waiting to lock Monitor@0x00007f0001 (Object@0x00000000ffd175c8, a Bank$Acct),\n"
         "  which is held by \"mover-1\"\n"
         "\"mover-1\":\n"
         "  waiting to lock Monitor@0x00007f0002 (Object@0x00000000ffd17610, a Bank$Acct),\n"
         "  which is held by \"mover-2\"\n\n"
         "Found a total of 1 deadlock.\n\n"
         "Finding concurrent locks. This might take a while...\n\n"
         "\"main\" #1 prio=5 tid=0x00007f00aa000001 nid=0x6685 in Object.wait() [0x00007f0010]\n"
         "   java.lang.Thread.State: WAITING (on object monitor)\n"
         "   JavaThread state: _thread_blocked\n"
         " - java.lang.Object.wait(long) @bci=0 (Interpreted frame)\n"
         "\t- waiting on <0x00000000ffd176f8> (a java.lang.Thread)\n"
         " - java.lang.Thread.join() @bci=2, line=1381 (Interpreted frame)\n\n"
         "Locked ownable synchronizers:\n"
         "    - None\n\n" +
         // JDK 25 lists the held monitor first and calls it the awaited one.
         (jdk25 ? teller("mover-1", "0x6697", "ffd175c8", "ffd17610") +
                      teller("mover-2", "0x6698", "ffd17610", "ffd175c8")
                : teller("mover-1", "0x6697", "ffd17610", "ffd175c8") +
                      teller("mover-2", "0x6698", "ffd175c8", "ffd17610"));
}

TEST(JavaThreadDumpParser, ReadsJhsdbJstackAndCorrectsItsTopFrameLocks) {
  for (bool jdk25 : {false, true}) {
    std::vector<std::string> diags;
    std::vector<JavaThreadDump> dumps = Parse(JhsdbDeadlock(jdk25), &diags);
    ASSERT_EQ(dumps.size(), 1u);
    EXPECT_TRUE(diags.empty()) << diags[0];
    const JavaThreadDump& d = dumps[0];
    EXPECT_EQ(d.format, "jhsdb");
    EXPECT_EQ(d.jvm, "17.0.9+9");
    EXPECT_TRUE(d.has_header);
    EXPECT_TRUE(d.complete);
    ASSERT_EQ(d.threads.size(), 3u);
    EXPECT_EQ(d.threads[0].name, "main");
    ASSERT_EQ(d.threads[0].frames.size(), 2u);
    EXPECT_EQ(d.threads[0].frames[0].text, "java.lang.Object.wait(long)");
    EXPECT_EQ(d.threads[0].frames[1].text, "java.lang.Thread.join() line 1381");
    ASSERT_EQ(d.jvm_deadlocks.size(), 1u);
    ASSERT_EQ(d.jvm_deadlocks[0].size(), 2u);
    EXPECT_EQ(d.jvm_deadlocks[0][0].lock, "ffd175c8");
    EXPECT_EQ(d.jvm_deadlocks[0][0].holder, "mover-1");
    // mover-1 holds ffd175c8 and waits for ffd17610, whatever the agent printed.
    const JavaThread& m1 = d.threads[1];
    EXPECT_EQ(m1.frames[1].text, "Bank.lambda$main$0() line 27");
    ASSERT_EQ(m1.locks.size(), 2u);
    for (const LockRef& l : m1.locks) {
      EXPECT_EQ(l.action,
                l.address == "ffd17610" ? LockAction::kWaitingToLock : LockAction::kLocked)
          << jdk25 << " " << l.address;
    }
  }
}

TEST(JavaThreadDumpParser, AJhsdbDeadlockIsADeadlockVerdict) {
  for (bool jdk25 : {false, true}) {
    Result<DumpAnalysis> a =
        JavaThreadDumpReader().analyze("jhsdb.txt", JhsdbDeadlock(jdk25), DumpOptions{});
    ASSERT_TRUE(a.ok());
    ASSERT_FALSE(a->verdicts.empty());
    EXPECT_EQ(a->verdicts[0].kind, "deadlock") << a->verdicts[0].title;
    EXPECT_NE(a->verdicts[0].title.find("\"mover-1\""), std::string::npos);
    EXPECT_GT(ProbeJavaThreadDumpText(JhsdbDeadlock(jdk25)), 0.8);
  }
}

}  // namespace
}  // namespace inquest
