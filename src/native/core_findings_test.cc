#include "native/core_findings.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/test_files.h"

namespace inquest {
namespace {

TEST(CoreFindingsTest, PicksTheExecutableByBuildId) {
  struct stat st;
  if (::stat(TestFixture("cores", "").c_str(), &st) != 0)
    GTEST_SKIP() << "no fixtures at " << TestFixture("cores", "");
  std::vector<std::string> exes = {TestFixture("cores", "satyr/null_dereference.bin.x86_64"),
                                   TestFixture("cores", "elfutils/testfiledwarfinlines"),
                                   TestFixture("cores", "lldb/linux-x86_64.out")};
  EXPECT_EQ(PickExecutable(TestFixture("cores", "lldb/linux-x86_64.core"), exes), exes[2]);
  EXPECT_EQ(PickExecutable(TestFixture("cores", "elfutils/testfiledwarfinlines.core"), exes),
            exes[1]);
  EXPECT_EQ(PickExecutable(TestFixture("cores", "elfutils/testfiledwarfinlines.core"), {}), "");
}

TEST(CoreFindingsTest, CrashAndOriginAtTheCoresTime) {
  struct stat st;
  if (::stat(TestFixture("cores", "").c_str(), &st) != 0)
    GTEST_SKIP() << "no fixtures at " << TestFixture("cores", "");
  CoreOptions options;
  options.source_dirs = {TestFixture("cores", "lldb")};
  std::vector<Finding> f = CoreFindings(TestFixture("cores", "lldb/linux-x86_64.core"),
                                        {TestFixture("cores", "lldb/linux-x86_64.out")}, options);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, "crash");
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].title, "a.out crashed with SIGSEGV in bar (main.c:4)");
  ASSERT_EQ(::stat(TestFixture("cores", "lldb/linux-x86_64.core").c_str(), &st), 0);
  EXPECT_EQ(f[0].time, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
  ASSERT_GE(f[0].evidence.size(), 3u);
  EXPECT_NE(f[0].evidence[0].source.find("frame #0"), std::string::npos);
  EXPECT_EQ(f[0].evidence[1].excerpt, "foo (main.c:10)");
  EXPECT_EQ(f[1].kind, "crash-origin");
  EXPECT_NE(f[1].title.find("boom=0x0 in bar (main.c:4)"), std::string::npos) << f[1].title;
}

TEST(CoreFindingsTest, UnreadableCoreIsOneWarning) {
  std::vector<Finding> f = CoreFindings(TestSourceDir() + "/README.md", {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "core-unreadable");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_NE(f[0].explanation.find("not an ELF file"), std::string::npos);
  EXPECT_NE(f[0].time, kNoTime);
}

// A core gcore took from a live process (it stops the process with SIGSTOP) is a snapshot of
// what the process was doing, not a crash: no "crashed with SIGSTOP".
TEST(CoreFindingsTest, AGcoreOfALiveProcessIsASnapshotNotACrash) {
  if (std::system("command -v gcore >/dev/null 2>&1") != 0) GTEST_SKIP() << "no gcore (gdb)";
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("inquest-gcore-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  usleep(200 * 1000);
  std::string cmd =
      "gcore -o " + (dir / "core").string() + " " + std::to_string(child) + " >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_EQ(rc, 0) << cmd;
  std::string core = (dir / ("core." + std::to_string(child))).string();
  std::vector<Finding> f = CoreFindings(core, {});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].kind, "core-snapshot");
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_NE(f[0].title.find("taken from the live process"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].title.find("crashed"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("sleep"), std::string::npos) << f[0].title;
}

}  // namespace
}  // namespace inquest
