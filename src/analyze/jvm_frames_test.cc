#include "analyze/jvm_frames.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "native/dwfl_session.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

RuntimeView TwoThreads() {
  RuntimeView v;
  v.runtime = "HotSpot";
  RuntimeThread& a = v.threads.emplace_back();
  a.lwp = 0x6697;
  a.name = "mover-1";
  a.state = "BLOCKED";
  RuntimeThread& b = v.threads.emplace_back();
  b.lwp = 9658;
  return v;
}

TEST(JvmFrames, JoinsJhsdbFramesOnTheHexNid) {
  RuntimeView v = TwoThreads();
  std::string jhsdb =
      "Attaching to core core from executable /usr/bin/java, please wait...\n"
      "JVM version is 17.0.9+9\n"
      "\"mover-1\" #12 prio=5 tid=0x00007f00aa000012 nid=0x6697 waiting for monitor entry "
      "[0x00007f]\n"
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      " - Bank.move(Bank$Acct, Bank$Acct) @bci=16, line=18 (Interpreted frame)\n"
      " - Bank$$Lambda$1+0x00007fdb88000c18.run() @bci=8 (Interpreted frame)\n";
  EXPECT_EQ(JoinJavaDump(jhsdb, &v), 1u);
  ASSERT_EQ(v.threads[0].frames.size(), 2u);
  EXPECT_EQ(v.threads[0].frames[0].function, "Bank.move(Bank$Acct, Bank$Acct)");
  EXPECT_EQ(v.threads[0].frames[0].line, 18);
  EXPECT_EQ(v.threads[0].frames[0].file, "");
  EXPECT_EQ(v.threads[0].frames[1].function, "Bank$$Lambda$1+0x00007fdb88000c18.run()");
  EXPECT_EQ(v.threads[0].frames[1].line, 0);
  EXPECT_TRUE(v.threads[1].frames.empty());
}

TEST(JvmFrames, JoinsJstackFramesOnTheDecimalNidAndFillsWhatTheCoreLacked) {
  RuntimeView v = TwoThreads();
  std::string jstack =
      "Full thread dump OpenJDK 64-Bit Server VM (25+36-LTS mixed mode, sharing):\n\n"
      "\"teller-1\" #21 [9658] prio=5 os_prio=0 cpu=0.62ms elapsed=3.35s tid=0x00007faa340b78c0 "
      "nid=9658 waiting for monitor entry  [0x00007faa0d0f8000]\n"
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      "\tat Transfers.transfer(Transfers.java:18)\n"
      "\tat java.lang.Thread.run(java.base@25/Thread.java:1474)\n";
  EXPECT_EQ(JoinJavaDump(jstack, &v), 1u);
  const RuntimeThread& t = v.threads[1];
  EXPECT_EQ(t.name, "teller-1");
  EXPECT_EQ(t.state, "BLOCKED");
  ASSERT_EQ(t.frames.size(), 2u);
  EXPECT_EQ(t.frames[0].function, "Transfers.transfer");
  EXPECT_EQ(t.frames[0].file, "Transfers.java");
  EXPECT_EQ(t.frames[0].line, 18);
  EXPECT_EQ(t.frames[1].file, "java.base@25/Thread.java");
  EXPECT_EQ(t.frames[1].line, 1474);
}

// A JDK home whose libjvm.so is this test program (it has a build-id) and whose bin/jhsdb is
// a script.
class FakeJdk : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("inquest-jdks-" + std::to_string(::getpid()));
    home_ = root_ / "jdk-17";
    fs::create_directories(home_ / "lib/server");
    fs::create_directories(home_ / "bin");
    fs::copy_file("/proc/self/exe", home_ / "lib/server/libjvm.so");
    std::ofstream(home_ / "bin/jhsdb") << "#!/bin/sh\nexit 0\n";
    fs::permissions(home_ / "bin/jhsdb", fs::perms::owner_all);
    fs::create_directories(root_ / "not-a-jdk");
    build_id_ = FileBuildId("/proc/self/exe");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_, home_;
  std::string build_id_;
};

TEST_F(FakeJdk, FindsTheJdkWhoseLibjvmHasTheBuildId) {
  ASSERT_FALSE(build_id_.empty());
  JvmFramesOptions o;
  o.jdk_roots = {root_.string()};
  EXPECT_EQ(FindJdkFor(build_id_, "", o), home_.string());
  // From the module's own path too, with no root to search.
  o.jdk_roots.clear();
  EXPECT_EQ(FindJdkFor(build_id_, (home_ / "lib/server/libjvm.so").string(), o), home_.string());
  // Another build, or no build-id, matches nothing.
  o.jdk_roots = {root_.string()};
  EXPECT_EQ(FindJdkFor("00" + build_id_.substr(2), "", o), "");
  EXPECT_EQ(FindJdkFor("", "", o), "");
  // No jhsdb: not usable.
  fs::remove(home_ / "bin/jhsdb");
  EXPECT_EQ(FindJdkFor(build_id_, "", o), "");
}

TEST_F(FakeJdk, WithoutAMatchingJdkTheCoreSaysWhichBuildIsNeeded) {
  CoreReport r;
  r.runtime = TwoThreads();
  r.runtime.version = "17.0.9+9";
  r.runtime.build_id = "00" + build_id_.substr(2);
  JvmFramesOptions o;
  o.jdk_roots = {root_.string()};
  ::setenv("JAVA_HOME", "", 1);
  JvmFrames f = AddJavaFrames("/nonexistent/core", &r, o);
  EXPECT_TRUE(f.jdk.empty());
  EXPECT_NE(f.missing.find(r.runtime.build_id), std::string::npos) << f.missing;
  EXPECT_NE(f.missing.find("17.0.9+9"), std::string::npos);
  EXPECT_NE(f.missing.find("--jdk"), std::string::npos);
  ASSERT_EQ(r.runtime.problems.size(), 1u);
  // The matching (fake) JDK runs, writes nothing, and that is said too.
  r.runtime.build_id = build_id_;
  r.runtime.problems.clear();
  f = AddJavaFrames("/nonexistent/core", &r, o);
  EXPECT_EQ(f.jdk, home_.string());
  EXPECT_NE(f.missing.find("wrote nothing"), std::string::npos) << f.missing;
}

}  // namespace
}  // namespace inquest
