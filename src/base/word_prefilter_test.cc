#include "base/word_prefilter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/strings.h"

namespace inquest {
namespace {

TEST(WordPrefilterTest, NeverMissesAWordInAnyCaseAnywhere) {
  const std::string_view words[] = {"deployed", "rollback", "cache flush", "feature_flag"};
  WordPrefilter f;
  for (std::string_view w : words) f.Add(w);
  std::mt19937_64 rng(5);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t n = rng() % 200;
    for (size_t i = 0; i < n; ++i) text += static_cast<char>(' ' + rng() % 95);
    std::string w(words[rng() % 4]);
    for (char& c : w)
      if (rng() % 2) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    text.insert(rng() % (text.size() + 1), w);
    ASSERT_TRUE(f.MayContain(text)) << text;
  }
}

TEST(WordPrefilterTest, RejectsMostTextsWithoutTheWords) {
  WordPrefilter f({"deployed", "rollback", "invalidate", "config reload"});
  std::mt19937_64 rng(9);
  int yes = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = 0; i < 100; ++i) text += static_cast<char>('a' + rng() % 26);
    yes += f.MayContain(text);
  }
  EXPECT_LT(yes, 400);  // a filter that says yes to everything is no filter
  EXPECT_FALSE(f.MayContain("GET /api/cart 200 12ms"));
}

TEST(WordPrefilterTest, ShortWordsAndShortTexts) {
  WordPrefilter shortw({"ok"});
  EXPECT_TRUE(shortw.MayContain("anything"));
  WordPrefilter f({"deploy"});
  EXPECT_FALSE(f.MayContain("dep"));
  EXPECT_TRUE(f.MayContain("DEPLOY"));
}

}  // namespace
}  // namespace inquest
