// Conformance on third-party cores with their own oracles: elfutils' testfiledwarfinlines
// (run-stack-i-test.sh), backtrace.x86_64 (backtrace-subr.sh), test-core (run-unstrip-n.sh),
// LLDB's linux-x86_64 core (main.c) and satyr's null dereference.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "native/core_analysis.h"
#include "native/core_output.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

bool HaveFixtures() {
  struct stat st;
  return ::stat(TestFixture("cores", "").c_str(), &st) == 0;
}

#define REQUIRE_FIXTURES() \
  if (!HaveFixtures()) GTEST_SKIP() << "no fixtures at " << TestFixture("cores", "")

CoreReport Analyze(const std::string& core, const std::string& exe, bool isolated = false) {
  CoreOptions options;
  if (!exe.empty()) options.search.exe = TestFixture("cores", exe);
  Result<CoreReport> r = isolated ? AnalyzeCore(TestFixture("cores", core), options)
                                  : AnalyzeCoreInProcess(TestFixture("cores", core), options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : CoreReport{};
}

TEST(CoreConformanceTest, DwarfInlinesMatchesEuStackDashI) {
  REQUIRE_FIXTURES();
  CoreReport r = Analyze("elfutils/testfiledwarfinlines.core", "elfutils/testfiledwarfinlines");
  EXPECT_EQ(r.signal_name, "SIGFPE");
  EXPECT_EQ(r.signo, 8);
  EXPECT_EQ(r.pid, 13654);
  ASSERT_EQ(r.threads.size(), 1u);
  const CoreThread& t = r.threads[0];
  EXPECT_TRUE(t.crashing);
  ASSERT_GE(t.frames.size(), 6u);
  // run-stack-i-test.sh: names and lines of the six frames, five sharing one address.
  const char* names[] = {"fubar", "foobar", "bar", "foo", "fu", "main"};
  const int lines[] = {6, 14, 21, 27, 33, 39};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(t.frames[i].function.substr(0, t.frames[i].function.find('(')), names[i]) << i;
    EXPECT_EQ(t.frames[i].line, lines[i]) << i;
    EXPECT_NE(t.frames[i].file.find("dwarfinlines.cpp"), std::string::npos);
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.frames[i].pc, 0x4006c8u) << i;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(t.frames[i].inlined) << i;
  EXPECT_FALSE(t.frames[4].inlined);
  EXPECT_EQ(t.frames[5].pc, 0x4004c5u);
  EXPECT_EQ(t.frames[0].found_by, "registers");
  EXPECT_EQ(t.frames[5].found_by, "cfi");
  EXPECT_EQ(t.regs[kRegRip], 0x4006c8u);
  EXPECT_EQ(r.code_name, "FPE_INTDIV (integer divide by zero)");
}

TEST(CoreConformanceTest, BacktraceTwoThreadsAbort) {
  REQUIRE_FIXTURES();
  CoreReport r = Analyze("elfutils/backtrace.x86_64.core", "elfutils/backtrace.x86_64.exec");
  EXPECT_EQ(r.signal_name, "SIGABRT");
  EXPECT_EQ(r.threads_total, 2);
  ASSERT_EQ(r.threads.size(), 2u);
  EXPECT_TRUE(r.threads[0].crashing);
  EXPECT_FALSE(r.threads[1].crashing);
  // backtrace-subr.sh: main is on a stack, gsignal never stands in for raise, and the frame
  // that generated the core (backtracegen) is found.
  bool main_seen = false, gen_seen = false;
  for (const CoreThread& t : r.threads) {
    for (const CoreFrame& f : t.frames) {
      EXPECT_NE(f.function, "gsignal");
      main_seen |= f.function == "main";
      gen_seen |= f.function == "backtracegen";
    }
  }
  EXPECT_TRUE(main_seen);
  EXPECT_TRUE(gen_seen);
  EXPECT_EQ(r.threads[0].frames[0].function, "raise");
}

TEST(CoreConformanceTest, TestCoreModulesMatchUnstripN) {
  REQUIRE_FIXTURES();
  CoreReport r = Analyze("elfutils/test-core.core", "elfutils/test-core.exec");
  // run-unstrip-n.sh (libc left out there too): the executable at 0x400000+0x202038, the
  // library at 0x7f67f2aaf000+0x202000, the vDSO with its build-id.
  bool exe = false, lib = false, vdso = false;
  for (const ModuleInfo& m : r.modules) {
    if (m.start == 0x400000) {
      exe = true;
      EXPECT_EQ(m.end, 0x400000u + 0x202038u);
    } else if (m.start == 0x7f67f2aaf000) {
      lib = true;
      EXPECT_NE(m.name.find("test-core-lib.so"), std::string::npos) << m.name;
      EXPECT_EQ(m.end, 0x7f67f2aaf000u + 0x202000u);
    } else if (m.start == 0x7fff1596c000) {
      vdso = true;
      EXPECT_EQ(m.build_id, "a9cf37f53897b5468ee018655760be61b8633d3c");
      EXPECT_EQ(m.end, 0x7fff1596c000u + 0x1000u);
    }
  }
  EXPECT_TRUE(exe);
  EXPECT_TRUE(lib);
  EXPECT_TRUE(vdso);
}

TEST(CoreConformanceTest, LldbCoreFramesVariablesAndWalk) {
  REQUIRE_FIXTURES();
  CoreOptions options;
  options.search.exe = TestFixture("cores", "lldb/linux-x86_64.out");
  options.source_dirs = {TestFixture("cores", "lldb")};
  Result<CoreReport> res = AnalyzeCore(TestFixture("cores", "lldb/linux-x86_64.core"), options);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const CoreReport& r = *res;
  EXPECT_EQ(r.signal_name, "SIGSEGV");
  ASSERT_FALSE(r.threads.empty());
  const CoreThread& t = r.threads[0];
  ASSERT_GE(t.frames.size(), 3u);
  // main.c: bar (line 4) <- foo (line 10) <- _start (line 16).
  EXPECT_EQ(t.frames[0].function, "bar");
  EXPECT_EQ(t.frames[0].line, 4);
  EXPECT_EQ(t.frames[1].function, "foo");
  EXPECT_EQ(t.frames[1].line, 10);
  EXPECT_EQ(t.frames[2].function, "_start");
  EXPECT_EQ(t.frames[2].line, 16);
  // Variables: bar's boom is the null pointer, F holds 'b'.
  bool boom = false, f = false;
  for (const CoreVariable& v : t.frames[0].variables) {
    if (v.name == "boom") {
      boom = true;
      EXPECT_TRUE(v.parameter);
      EXPECT_EQ(v.value, "0x0");
    }
    if (v.name == "F") {
      f = true;
      EXPECT_EQ(v.value, "98 'b'");
    }
  }
  EXPECT_TRUE(boom);
  EXPECT_TRUE(f);
  EXPECT_TRUE(r.walk.attempted);
  EXPECT_TRUE(r.walk.concluded) << r.walk.summary;
  EXPECT_NE(r.walk.summary.find("boom=0x0 in bar (main.c:4)"), std::string::npos) << r.walk.summary;
  EXPECT_NE(r.walk.summary.find("_start (main.c:16)"), std::string::npos) << r.walk.summary;
}

TEST(CoreConformanceTest, SatyrNullDereference) {
  REQUIRE_FIXTURES();
  CoreOptions options;
  options.search.exe = TestFixture("cores", "satyr/null_dereference.bin.x86_64");
  options.source_dirs = {TestFixture("cores", "satyr")};
  Result<CoreReport> res =
      AnalyzeCore(TestFixture("cores", "satyr/null_dereference.core.x86_64"), options);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const CoreReport& r = *res;
  EXPECT_EQ(r.signal_name, "SIGSEGV");
  // An old core without NT_SIGINFO: the signal comes from the thread state, the address is
  // not recorded and is not made up.
  EXPECT_FALSE(r.has_fault_address);
  EXPECT_TRUE(r.code_name.empty());
  ASSERT_FALSE(r.threads.empty());
  EXPECT_EQ(r.threads[0].frames[0].function, "main");
  EXPECT_EQ(r.threads[0].frames[0].line, 4);
  EXPECT_TRUE(r.walk.attempted);
  EXPECT_TRUE(r.walk.concluded);
  EXPECT_EQ(r.walk.summary,
            "p=0x0 in main (null_dereference.c:4) came from `p = 0` in main "
            "(null_dereference.c:3), not checked before use");
}

TEST(CoreConformanceTest, IsolatedRunGivesTheSameReport) {
  REQUIRE_FIXTURES();
  CoreReport direct =
      Analyze("elfutils/testfiledwarfinlines.core", "elfutils/testfiledwarfinlines");
  CoreReport child =
      Analyze("elfutils/testfiledwarfinlines.core", "elfutils/testfiledwarfinlines", true);
  EXPECT_EQ(RenderCore(direct, CoreFormat::kJson, {}).str(),
            RenderCore(child, CoreFormat::kJson, {}).str());
}

}  // namespace
}  // namespace inquest
