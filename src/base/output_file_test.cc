#include "base/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace inquest {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = ::testing::TempDir() + "output_file_test_XXXXXX";
    ASSERT_NE(mkdtemp(t.data()), nullptr);
    root_ = t;
    victim_ = root_ + "/victim.txt";
    Put(victim_, "the user's own file\n");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string Get(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // No temporary file left behind in `dir`.
  static bool Clean(const std::string& dir) {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().ends_with(".tmp")) return false;
    return true;
  }

  std::string root_, victim_;
};

TEST_F(OutputFileTest, ReplaceWritesAndReplacesRegularFiles) {
  Result<OutputDir> out = OutputDir::Open(root_ + "/report/");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE(out->Replace("findings.json", "{}\n").ok());
  EXPECT_EQ(Get(root_ + "/report/findings.json"), "{}\n");
  ASSERT_TRUE(out->Replace("findings.json", "{\"again\":1}\n").ok());
  EXPECT_EQ(Get(root_ + "/report/findings.json"), "{\"again\":1}\n");
  EXPECT_TRUE(Clean(root_ + "/report"));
}

TEST_F(OutputFileTest, APlantedLinkAtTheFileIsRefusedAndItsTargetUntouched) {
  fs::create_directory(root_ + "/report");
  ASSERT_EQ(symlink(victim_.c_str(), (root_ + "/report/report.html").c_str()), 0);
  Result<OutputDir> out = OutputDir::Open(root_ + "/report");
  ASSERT_TRUE(out.ok());
  Status s = out->Replace("report.html", "<html>");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("symbolic link to " + victim_), std::string::npos) << s.message();
  EXPECT_EQ(Get(victim_), "the user's own file\n");
  EXPECT_TRUE(fs::is_symlink(root_ + "/report/report.html"));
  // A dangling link (to a file that would be created) is refused the same way.
  ASSERT_EQ(symlink((root_ + "/created-by-link").c_str(), (root_ + "/report/a.md").c_str()), 0);
  EXPECT_FALSE(out->Replace("a.md", "x").ok());
  EXPECT_FALSE(out->CreateNew("a.md", "x").ok());
  EXPECT_FALSE(fs::exists(root_ + "/created-by-link"));
  // A folder where the file goes is not replaced either.
  fs::create_directory(root_ + "/report/postmortem.md");
  EXPECT_FALSE(out->Replace("postmortem.md", "x").ok());
  EXPECT_TRUE(Clean(root_ + "/report"));
}

TEST_F(OutputFileTest, APlantedLinkAsTheFolderIsRefused) {
  fs::create_directory(root_ + "/elsewhere");
  ASSERT_EQ(symlink((root_ + "/elsewhere").c_str(), (root_ + "/report").c_str()), 0);
  for (const std::string& path : {root_ + "/report", root_ + "/report/"}) {
    Result<OutputDir> out = OutputDir::Open(path);
    ASSERT_FALSE(out.ok()) << path;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(out.status().message().find("symbolic link to " + root_ + "/elsewhere"),
              std::string::npos)
        << out.status().message();
  }
  EXPECT_TRUE(fs::is_empty(root_ + "/elsewhere"));
  // The user's own choice to follow it (pm new --out names a file in a folder they chose).
  Result<OutputDir> followed = OutputDir::Open(root_ + "/report", {.refuse_link = false});
  ASSERT_TRUE(followed.ok());
  EXPECT_TRUE(followed->CreateNew("pm.md", "x").ok());
  EXPECT_EQ(Get(root_ + "/elsewhere/pm.md"), "x");
}

TEST_F(OutputFileTest, CreateNewNeverReplaces) {
  Result<OutputDir> out = OutputDir::Open(root_);
  ASSERT_TRUE(out.ok());
  Status s = out->CreateNew("victim.txt", "overwritten");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("exists; not overwriting"), std::string::npos);
  EXPECT_EQ(Get(victim_), "the user's own file\n");
  EXPECT_TRUE(out->CreateNew("new.md", "fresh").ok());
  EXPECT_EQ(Get(root_ + "/new.md"), "fresh");
  EXPECT_TRUE(Clean(root_));
}

TEST_F(OutputFileTest, ModesSubFoldersAndStreaming) {
  Result<OutputDir> out = OutputDir::Open(root_ + "/ev", {.mode = 0700});
  ASSERT_TRUE(out.ok());
  Result<OutputDir> sub = out->Sub("proc", 0700);
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(sub->CreateNew("status", "s", 0600).ok());
  struct stat st;
  ASSERT_EQ(stat((root_ + "/ev/proc/status").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<UniqueFd> fd = out->OpenNewForStreaming("core", 0600);
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(write(fd->get(), "abc", 3), 3);
  EXPECT_FALSE(out->OpenNewForStreaming("core", 0600).ok());
  ASSERT_EQ(symlink(victim_.c_str(), (root_ + "/ev/link").c_str()), 0);
  EXPECT_FALSE(out->OpenNewForStreaming("link", 0600).ok());
  EXPECT_FALSE(out->Sub("link", 0700).ok());
  EXPECT_FALSE(out->Replace("../escape", "x").ok());
  EXPECT_EQ(Get(victim_), "the user's own file\n");
}

}  // namespace
}  // namespace inquest
