#include "base/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace inquest {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            fs::path("inquest_config_test_" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                     std::to_string(getpid()));
    fs::create_directories(root_ / "bundle");
    fs::create_directories(root_ / "cwd");
    fs::create_directories(root_ / "xdg" / "inquest");
    fs::create_directories(root_ / "home" / ".config" / "inquest");
    search_.current_dir = (root_ / "cwd").string();
    search_.xdg_config_home = (root_ / "xdg").string();
    search_.home = (root_ / "home").string();
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  fs::path root_;
  ConfigSearch search_;
};

TEST_F(ConfigTest, SearchOrder) {
  EXPECT_EQ(FindConfig(search_), "");
  Write(root_ / "home" / ".config" / "inquest" / "inquest.toml", "a = 1\n");
  EXPECT_EQ(FindConfig(search_),
            (root_ / "home" / ".config" / "inquest" / "inquest.toml").string());
  Write(root_ / "xdg" / "inquest" / "inquest.toml", "a = 2\n");
  EXPECT_EQ(FindConfig(search_), (root_ / "xdg" / "inquest" / "inquest.toml").string());
  Write(root_ / "cwd" / "inquest.toml", "a = 3\n");
  EXPECT_EQ(FindConfig(search_), (root_ / "cwd" / "inquest.toml").string());
  Write(root_ / "bundle" / "inquest.toml", "a = 4\n");
  search_.bundle_dir = (root_ / "bundle").string();
  Result<Config> c = LoadConfig(search_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->table["a"].value_or(0), 4);
  search_.explicit_path = (root_ / "cwd" / "inquest.toml").string();
  c = LoadConfig(search_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->table["a"].value_or(0), 3);
}

TEST_F(ConfigTest, MissingExplicitFileAndNoFileAtAll) {
  Result<Config> none = LoadConfig(search_);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->path.empty());
  EXPECT_TRUE(none->table.empty());
  search_.explicit_path = (root_ / "nope.toml").string();
  Result<Config> c = LoadConfig(search_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

TEST_F(ConfigTest, ParseErrorNamesFileAndLine) {
  fs::path p = root_ / "cwd" / "inquest.toml";
  Write(p, "[fields]\nrequest_id = [\"x-req\"]\n\nbroken = = 3\n");
  Result<Config> c = LoadConfig(search_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kBadInput);
  EXPECT_EQ(c.status().where().file, p.string());
  EXPECT_EQ(c.status().where().line, 4u);
}

TEST(ConfigParseTest, StringLists) {
  Result<Config> c = ParseConfig(
      "[fields]\nrequest_id = [\"x-req\", \"rid2\"]\nhost = \"box\"\n"
      "bad = [1, 2]\n",
      "t.toml");
  ASSERT_TRUE(c.ok());
  Result<std::vector<std::string>> ids = StringList(c->table["fields"]["request_id"].node(), "id");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"x-req", "rid2"}));
  Result<std::vector<std::string>> host = StringList(c->table["fields"]["host"].node(), "host");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->size(), 1u);
  EXPECT_FALSE(StringList(c->table["fields"]["bad"].node(), "bad").ok());
}

}  // namespace
}  // namespace inquest
