#include "base/find.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace inquest {
namespace {

const char* Reference(std::string_view h, std::string_view n) {
  return static_cast<const char*>(memmem(h.data(), h.size(), n.data(), n.size()));
}

TEST(FindSubstringTest, EdgeCases) {
  std::string_view text = "abc";
  EXPECT_EQ(FindSubstring(text, ""), text.data());
  EXPECT_EQ(FindSubstring(text, "abcd"), nullptr);
  EXPECT_EQ(FindSubstring(text, "c"), text.data() + 2);
  EXPECT_EQ(FindSubstring(text, "abc"), text.data());
  EXPECT_EQ(FindSubstring("", "a"), nullptr);
}

// Agrees with memmem at every position and length, including matches that straddle the 32-byte
// blocks and needles at the very end of the haystack.
TEST(FindSubstringTest, AgreesWithMemmemOnRandomText) {
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    size_t size = rng() % 300;
    std::string h(size, 'a');
    for (char& c : h) c = "ab0\n6"[rng() % 5];  // a small alphabet: many partial matches
    size_t n = 1 + rng() % 12;
    std::string needle;
    if (size >= n && rng() % 2) {
      needle = h.substr(rng() % (size - n + 1), n);
    } else {
      for (size_t k = 0; k < n; ++k) needle += "ab0\n6"[rng() % 5];
    }
    ASSERT_EQ(FindSubstring(h, needle), Reference(h, needle)) << h << " / " << needle;
  }
}

TEST(FindSubstringTest, FindsIdInLogText) {
  std::string log;
  for (int i = 0; i < 10000; ++i)
    log +=
        "{\"ts\":\"2026-05-29T14:11:08Z\",\"request_id\":\"" + std::to_string(600000 + i) + "\"}\n";
  const char* hit = FindSubstring(log, "\"609999\"");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit, Reference(log, "\"609999\""));
  EXPECT_EQ(FindSubstring(log, "\"610000\""), nullptr);
}

}  // namespace
}  // namespace inquest
