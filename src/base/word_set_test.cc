#include "base/word_set.h"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

namespace inquest {
namespace {

// The oracle: a plain search for each word, ASCII case ignored.
bool NaiveHolds(std::string_view text, std::string_view word) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (size_t at = 0; at + word.size() <= text.size(); ++at) {
    size_t k = 0;
    while (k < word.size() && lower(text[at + k]) == lower(word[k])) ++k;
    if (k == word.size()) return true;
  }
  return false;
}

TEST(WordSetTest, FindsExactlyTheWordsAPlainSearchFinds) {
  // Overlapping words, shared starts, punctuation, trailing spaces and short words.
  const std::vector<std::string_view> words = {
      "cache clear", "cache cleared", "cache.flush", "deploy.",   "deployed",     "release ",
      "no-op",       "noop",          "ok",          "0 keys",    "flag toggled", "toggled flag",
      "rollout",     "rolled out",    "Purge",       "up-to-date"};
  WordSet set;
  for (std::string_view w : words) set.Add(w);
  ASSERT_EQ(set.size(), words.size());
  std::mt19937_64 rng(11);
  const std::string alphabet = "abcdeflmnoprstuvy .-_0123ABCDELOPRT\t,:";
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    size_t n = rng() % 120;
    for (size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) {
      std::string w(words[rng() % words.size()]);
      if (rng() % 4 == 0) w.resize(rng() % (w.size() + 1));  // a cut word must not be found
      for (char& c : w)
        if (rng() % 2) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      text.insert(rng() % (text.size() + 1), w);
    }
    WordSet::Found found;
    set.Scan(text, &found);
    bool any = false;
    for (size_t i = 0; i < words.size(); ++i) {
      bool want = NaiveHolds(text, words[i]);
      any |= want;
      ASSERT_EQ(found[i], want) << "word '" << words[i] << "' in '" << text << "'";
    }
    ASSERT_EQ(set.HoldsAny(text), any) << text;
  }
}

TEST(WordSetTest, ShortTextsAndEdges) {
  WordSet set({"deploy", "ab"});
  WordSet::Found found;
  set.Scan("", &found);
  set.Scan("dep", &found);
  set.Scan("deplo", &found);
  EXPECT_TRUE(found.none());
  set.Scan("DEPLOY", &found);
  EXPECT_TRUE(found[0]);
  EXPECT_FALSE(found[1]);
  EXPECT_TRUE(set.HoldsAny("xAb"));
  EXPECT_FALSE(set.HoldsAny("a b"));
  // Bits already set stay set.
  set.Scan("nothing here", &found);
  EXPECT_TRUE(found[0]);
}

TEST(WordSetTest, StopsAtItsLimit) {
  WordSet set;
  for (size_t i = 0; i < WordSet::kMaxWords; ++i) EXPECT_EQ(set.Add("word" + std::to_string(i)), i);
  EXPECT_EQ(set.Add("one more"), WordSet::kMaxWords);
  EXPECT_EQ(set.size(), WordSet::kMaxWords);
  EXPECT_TRUE(set.HoldsAny("xx WORD127 yy"));
  EXPECT_FALSE(set.HoldsAny("one more"));
}

}  // namespace
}  // namespace inquest
