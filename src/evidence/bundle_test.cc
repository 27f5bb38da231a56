#include "evidence/bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace inquest {
namespace {

namespace fs = std::filesystem;

void Touch(const fs::path& p, const std::string& text = "x\n") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(BundleTest, ListsSortedSkippingHiddenAndOutput) {
  fs::path dir = fs::temp_directory_path() / ("inquest-bundle-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  Touch(dir / "pods/b.log");
  Touch(dir / "a.jsonl");
  Touch(dir / ".git/config");
  Touch(dir / ".hidden");
  Touch(dir / "inquest-report/findings.json");
  auto files = ListBundle(dir.string(), {"inquest-report"});
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].relative, "a.jsonl");
  EXPECT_EQ((*files)[1].relative, "pods/b.log");
  EXPECT_EQ((*files)[1].size, 2u);
  // A single file is a bundle of one.
  auto one = ListBundle((dir / "a.jsonl").string(), {});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  EXPECT_FALSE(ListBundle((dir / "missing").string(), {}).ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inquest
