// hs_err logs made from krashpad's real ones by editing their text in the test, for the cases
// the fixtures lack: a jump to address 0, a jump outside every mapping, internal errors with
// their message, out-of-memory reports of older JVMs, fragments cut from a whole log.
#include <gtest/gtest.h>

#include <string>

#include "dumps/dump.h"
#include "dumps/java/hs_err.h"
#include "dumps/java/hs_err_report.h"
#include "dumps/java/hs_err_site.h"
#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace hs_err_cases_test {

std::string Log(int n) {
  return ReadTestFile(TestFixturesDir() + "/dumps/hs_err/krashpad-dataset" + std::to_string(n) +
                      ".txt");
}

// `text` with its first `from` replaced by `to`; fails the test when `from` is not there.
std::string Edit(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Finding Verdict(const std::string& text) {
  Result<DumpAnalysis> a = HsErrReader().analyze("hs_err.log", text, DumpOptions{});
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() && !a->verdicts.empty() ? a->verdicts[0] : Finding{};
}

bool Has(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

TEST(HsErrCasesTest, AJumpToAddressZeroIsABadJumpNotAnUnnamedLibrary) {
  std::string whole = Log(1);  // SIGSEGV in libcairo.so.2
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  std::string text = Edit(whole, "pc=0x00007fcd2af94e64", "pc=0x0000000000000000");
  text = Edit(text, "# C  [libcairo.so.2+0x66e64]  cairo_region_num_rectangles+0x4",
              "# C  0x0000000000000000");
  Finding f = Verdict(text);
  EXPECT_EQ(f.kind, "jvm-crash-bad-jump");
  EXPECT_TRUE(f.title.starts_with("SIGSEGV: a jump to address 0 (pc=0x0000000000000000)"))
      << f.title;
  EXPECT_FALSE(Has(f.title, "native library")) << f.title;
  EXPECT_FALSE(Has(f.title, "  ")) << f.title;
  // With pc 0 the JVM may unwind to the caller: that frame made the call, it did not fault.
  text = Edit(whole, "pc=0x00007fcd2af94e64", "pc=0x0000000000000000");
  f = Verdict(text);
  EXPECT_EQ(f.kind, "jvm-crash-bad-jump");
  EXPECT_TRUE(f.title.ends_with(", jumped from cairo_region_num_rectangles+0x4")) << f.title;
  // The frame alone at address 0, with the pc elsewhere, is the same jump.
  text = Edit(whole, "# C  [libcairo.so.2+0x66e64]  cairo_region_num_rectangles+0x4",
              "# C  0x0000000000000000");
  EXPECT_EQ(Verdict(text).kind, "jvm-crash-bad-jump");
}

TEST(HsErrCasesTest, ABareAddressIsPlacedByTheMappingsTheLogLists) {
  std::string whole = Log(19);  // SIGSEGV in libpthread; its "Dynamic libraries:" list
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  std::string_view frame = "# C  [libpthread.so.0+0xce90]  pthread_getcpuclockid+0x0";
  // Below every mapping: a jump to nowhere.
  Finding f = Verdict(Edit(whole, frame, "# C  0x0000000000001234"));
  EXPECT_EQ(f.kind, "jvm-crash-bad-jump");
  EXPECT_TRUE(Has(f.title, "a jump to 0x0000000000001234, outside every mapped")) << f.title;
  // Inside libjvm.so's range (7ffff5c35000-7ffff6e6a000): the VM itself, named.
  f = Verdict(Edit(whole, frame, "# C  0x00007ffff5c36000"));
  EXPECT_EQ(f.kind, "jvm-crash-vm");
  EXPECT_TRUE(Has(f.title, "crash inside the JVM (libjvm.so) in 0x00007ffff5c36000")) << f.title;
  // A named library stays named.
  f = Verdict(whole);
  EXPECT_EQ(f.title,
            "SIGSEGV: crash in system library libpthread.so.0 in pthread_getcpuclockid+0x0");
}

TEST(HsErrCasesTest, NoNameIsPrintedEmpty) {
  // The JIT compiler's crash with the current thread cut away: no "()".
  std::string c2 = Log(76);
  if (c2.empty()) GTEST_SKIP() << "fixtures not present";
  size_t at = c2.find("Current thread (");
  ASSERT_NE(at, std::string::npos);
  c2.erase(at, c2.find('\n', at) - at);
  Finding f = Verdict(c2);
  EXPECT_EQ(f.kind, "jvm-crash-jit");
  EXPECT_EQ(f.title,
            "SIGSEGV: crash in the JIT compiler in MinINode::Ideal(PhaseGVN*, bool)+0x4e4");
  // A VM frame with no symbol is named by its library and offset.
  f = Verdict(Log(82));
  EXPECT_EQ(f.title, "EXCEPTION_ACCESS_VIOLATION: crash inside the JVM in jvm.dll+0x5abff0");
  // A native frame with no symbol.
  f = Verdict(Edit(Log(1), "# C  [libcairo.so.2+0x66e64]  cairo_region_num_rectangles+0x4",
                   "# C  [libcairo.so.2+0x66e64]"));
  EXPECT_EQ(f.title, "SIGSEGV: crash in native library libcairo.so.2 at offset 0x66e64");
}

TEST(HsErrCasesTest, InternalErrorsKeepTheirMessage) {
  std::string whole = Log(1);
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  std::string crash = Edit(
      whole,
      "# Problematic frame:\n# C  [libcairo.so.2+0x66e64]  cairo_region_num_rectangles+0x4\n", "");
  struct Case {
    std::string_view lines;  // what replaces the signal line
    std::string_view title;
  } cases[] = {
      {"#  Internal Error (thread.cpp:833), pid=23171, tid=23172\n"
       "#  fatal error: Illegal threadstate encountered: 6",
       "JVM internal error (thread.cpp:833): fatal error: Illegal threadstate encountered: 6"},
      {"#  Internal Error (/build/src/hotspot/share/gc/g1/heapRegion.cpp:520), pid=1, tid=2\n"
       "#  assert(is_in(p)) failed: region does not hold the object",
       "JVM internal error (/build/src/hotspot/share/gc/g1/heapRegion.cpp:520): assert(is_in(p)) "
       "failed: region does not hold the object"},
      {"#  Internal Error (4E4D4554484F440E43505000EE), pid=9996, tid=11032\n"
       "#  DEBUG MESSAGE: illegal bytecode sequence",
       "JVM internal error (4E4D4554484F440E43505000EE): DEBUG MESSAGE: illegal bytecode "
       "sequence"},
      // JDK 6: the message after the version lines.
      {"#  Internal Error (safepoint.cpp:325), pid=2244, tid=140097148102400\n#\n"
       "# Java VM: Java HotSpot(TM) 64-Bit Server VM (20.1-b02 mixed mode linux-amd64)\n"
       "#  Error: ShouldNotReachHere()",
       "JVM internal error (safepoint.cpp:325): Error: ShouldNotReachHere()"},
  };
  for (const Case& c : cases) {
    Finding f = Verdict(
        Edit(crash, "#  SIGSEGV (0xb) at pc=0x00007fcd2af94e64, pid=23171, tid=23172", c.lines));
    EXPECT_EQ(f.kind, "jvm-internal-error");
    EXPECT_EQ(f.title, c.title);
  }
}

TEST(HsErrCasesTest, EveryOutOfMemoryVariantKeepsItsCause) {
  std::string whole = Log(13);  // Windows, JDK 11: mmap failed to commit
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  std::string_view banner =
      "# There is insufficient memory for the Java Runtime Environment to continue.\n"
      "# Native memory allocation (mmap) failed to map 8589934592 bytes for Failed to commit area "
      "from 0x0000000600000000 to 0x0000000800000000 of length 8589934592.\n";
  // JDK 6 reported native OOM as a fatal error with an internal error after it.
  Finding f = Verdict(Edit(
      whole, banner,
      "# A fatal error has been detected by the Java Runtime Environment:\n#\n"
      "# java.lang.OutOfMemoryError: requested 32756 bytes for ChunkPool::allocate. Out of swap "
      "space?\n#\n#  Internal Error (allocation.cpp:117), pid=2290, tid=27\n"
      "#  Error: ChunkPool::allocate\n"));
  EXPECT_EQ(f.kind, "jvm-native-oom");
  EXPECT_TRUE(Has(f.title,
                  "java.lang.OutOfMemoryError: requested 32756 bytes for "
                  "ChunkPool::allocate. Out of swap space?"))
      << f.title;
  // JDK 6's thread-stack failure: the cause is the line after the banner, whatever it says.
  f = Verdict(Edit(whole, banner,
                   "# There is insufficient memory for the Java Runtime Environment to "
                   "continue.\n# pthread_getattr_np\n"));
  EXPECT_EQ(f.kind, "jvm-thread-limit");
  EXPECT_EQ(f.title, "out of native threads: pthread_getattr_np");
  // JDK 17+: the detail after the size.
  f = Verdict(Edit(whole, banner,
                   "# There is insufficient memory for the Java Runtime Environment to "
                   "continue.\n# Native memory allocation (mmap) failed to map 2147483648 bytes. "
                   "Error detail: G1 virtual space\n"));
  EXPECT_EQ(f.title,
            "out of native memory: Native memory allocation (mmap) failed to map 2147483648 "
            "bytes. Error detail: G1 virtual space");
}

TEST(HsErrCasesTest, FragmentsAreReadAndSayWhatTheyHold) {
  struct Case {
    int log;
    std::string_view read;
  } cases[] = {
      {64, "OS SunOS 5.11 11.4.32.88.3 sun4v"},
      {85, "Register to memory mapping"},
      {97, "VM Operations (20 events)"},
      {91, "JRE OpenJDK Runtime Environment (Red_Hat-11.0.19.0.7-1)"},
      {25, "OS Windows Server 2016"},
  };
  for (const Case& c : cases) {
    std::string text = Log(c.log);
    if (text.empty()) GTEST_SKIP() << "fixtures not present";
    SCOPED_TRACE(c.log);
    EXPECT_GT(ProbeHsErr(text), 0.5);  // found by detection, not only with --kind
    Finding f = Verdict(text);
    EXPECT_EQ(f.kind, "hs-err-fragment");
    EXPECT_TRUE(f.title.starts_with("fragment: no error header; read: ")) << f.title;
    EXPECT_TRUE(Has(f.title, c.read)) << f.title;
  }
  // A whole log with its banner cut away: a fragment, read for its thread and frames.
  std::string whole = Log(19);
  std::string tail = whole.substr(whole.find("Current thread ("));
  Finding f = Verdict(tail);
  EXPECT_EQ(f.kind, "hs-err-fragment");
  EXPECT_TRUE(Has(f.title, "current thread (VMThread \"VM Thread\")")) << f.title;
  EXPECT_TRUE(Has(f.title, "native frames")) << f.title;
}

TEST(HsErrCasesTest, AnUnreadableTimeIsSaid) {
  std::string whole = Log(70);  // "Time: Mon Nov 29 06:26:33 2021 EST elapsed time: ..."
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  std::string text = Edit(whole, "Mon Nov 29 06:26:33 2021 EST", "29/13/2021 06:26:33");
  Result<DumpAnalysis> a = HsErrReader().analyze("hs_err.log", text, DumpOptions{});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(Has(a->time_source, "unreadable timestamp '29/13/2021 06:26:33' on line 22"))
      << a->time_source;
  // A local spelling is read.
  text = Edit(whole, "Mon Nov 29 06:26:33 2021 EST", "29.11.2021 06:26:33");
  a = HsErrReader().analyze("hs_err.log", text, DumpOptions{});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(FormatTime(a->time, 0), "2021-11-29T06:26:33Z");
}

}  // namespace hs_err_cases_test
}  // namespace inquest
