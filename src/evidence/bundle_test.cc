#include "evidence/bundle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

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

TEST(BundleTest, NeverLeavesTheBundleAndReadsEachFileOnce) {
  fs::path base = fs::temp_directory_path() / ("inquest-bundle-links-" + std::to_string(getpid()));
  fs::remove_all(base);
  fs::path dir = base / "bundle";
  Touch(base / "secret.txt", "outside\n");
  Touch(base / "outside/more.log");
  Touch(dir / "app.log");
  Touch(dir / ".stash/kept.log");
  Touch(dir / "inquest-report/findings.json");
  fs::create_symlink(base / "secret.txt", dir / "absolute.log");  // out, absolute
  fs::create_symlink("../secret.txt", dir / "relative.log");      // out, relative
  fs::create_symlink("../../outside", dir / "sub-dir-link");      // a folder out (dangling)
  fs::create_directories(dir / "logs");
  fs::create_symlink("../../outside", dir / "logs/out-dir");                // a folder out
  fs::create_symlink("app.log", dir / "again.log");                         // in, listed already
  fs::create_symlink(".stash/kept.log", dir / "stash.log");                 // in, not listed else
  fs::create_symlink("stash.log", dir / "stash.log.2");                     // in, read already
  fs::create_symlink(".", dir / "loop");                                    // in, a folder: no loop
  fs::create_symlink("inquest-report/findings.json", dir / "report.json");  // our own output
  fs::create_symlink("self-loop", dir / "self-loop");                       // cannot be resolved
  auto files = ListBundle(dir.string(), {"inquest-report"});
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::map<std::string, const BundleFile*> by;
  for (const BundleFile& f : *files) by[f.relative] = &f;
  EXPECT_EQ(by.size(), 7u);
  ASSERT_TRUE(by.count("app.log"));
  EXPECT_TRUE(by["app.log"]->refused.empty());
  for (const char* out : {"absolute.log", "relative.log", "logs/out-dir"}) {
    ASSERT_TRUE(by.count(out)) << out;
    EXPECT_NE(by[out]->refused.find("outside the bundle: not read"), std::string::npos) << out;
    EXPECT_NE(by[out]->refused.find(
                  (base / (std::string(out).ends_with("dir") ? "outside" : "secret.txt")).string()),
              std::string::npos)
        << by[out]->refused;
  }
  EXPECT_NE(by["relative.log"]->refused.find("../secret.txt"), std::string::npos);
  ASSERT_TRUE(by.count("self-loop"));
  EXPECT_FALSE(by["self-loop"]->refused.empty());
  // The folder link that leaves the bundle is refused even though its target is missing: the
  // walk says where it pointed.
  ASSERT_TRUE(by.count("sub-dir-link"));
  EXPECT_NE(by["sub-dir-link"]->refused.find("outside the bundle"), std::string::npos);
  // A link to a file inside that nothing else lists is read once, as that file.
  ASSERT_TRUE(by.count("stash.log"));
  EXPECT_TRUE(by["stash.log"]->refused.empty());
  EXPECT_EQ(fs::path(by["stash.log"]->path), fs::canonical(dir / ".stash/kept.log"));
  EXPECT_FALSE(by.count("again.log"));
  EXPECT_FALSE(by.count("stash.log.2"));
  EXPECT_FALSE(by.count("loop"));
  EXPECT_FALSE(by.count("report.json"));
  fs::remove_all(base);
}

}  // namespace
}  // namespace inquest
