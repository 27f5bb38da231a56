#include "capture/lab.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "capture/subprocess.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& text, bool executable = false) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  if (executable) chmod(p.c_str(), 0755);
}

TEST(LabTest, ScenariosAreFoldersWithAnExecutableRun) {
  std::string root = ::testing::TempDir() + "lab_test_XXXXXX";
  ASSERT_NE(mkdtemp(root.data()), nullptr);
  fs::path lab = fs::path(root) / "lab";
  WriteFile(lab / "native-b" / "run", "#!/bin/sh\n", true);
  WriteFile(lab / "native-b" / "README.md", "\n# The B drill (SIGSEGV)\n\ntext\n");
  WriteFile(lab / "go-a" / "run", "#!/bin/sh\n", true);
  WriteFile(lab / "not-executable" / "run", "#!/bin/sh\n");
  WriteFile(lab / "_shared" / "run", "#!/bin/sh\n", true);
  WriteFile(lab / "README.md", "# lab\n");

  setenv("INQUEST_LAB_DIR", lab.c_str(), 1);
  Result<std::string> dir = FindLabDir();
  unsetenv("INQUEST_LAB_DIR");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(*dir, lab.string());

  std::vector<LabScenario> all = ListScenarios(*dir);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "go-a");
  EXPECT_EQ(all[0].title, "");
  EXPECT_EQ(all[1].name, "native-b");
  EXPECT_EQ(all[1].title, "The B drill (SIGSEGV)");

  setenv("INQUEST_LAB_DIR", (lab / "missing").c_str(), 1);
  Result<std::string> missing = FindLabDir();
  unsetenv("INQUEST_LAB_DIR");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  fs::remove_all(root);
}

TEST(SubprocessTest, CapturesOutputAndExitCode) {
  Result<CommandResult> r = RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, -1, 10000);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
  EXPECT_NE(r->output.find("out"), std::string::npos);
  EXPECT_NE(r->output.find("err"), std::string::npos);
}

TEST(SubprocessTest, KillsAtTheTimeLimit) {
  int64_t start = MonotonicNs();
  Result<CommandResult> r = RunCommand({"sleep", "30"}, -1, 200);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LT(MonotonicNs() - start, 10'000'000'000);  // far below the 30 s of the sleep
}

TEST(SubprocessTest, MissingProgramIsNotFound) {
  Result<CommandResult> r = RunCommand({"inquest-no-such-program"}, -1, 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(ProgramAvailable("inquest-no-such-program"));
  EXPECT_TRUE(ProgramAvailable("sh"));
}

}  // namespace
}  // namespace inquest
