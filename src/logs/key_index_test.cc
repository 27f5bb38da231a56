#include "logs/key_index.h"

#include <gtest/gtest.h>

#include <string>

namespace inquest {
namespace {

TEST(KeyIndexTest, NumbersKeysInOrderAndFindsEveryLength) {
  KeyIndex keys;
  std::vector<std::string> added;
  for (size_t n = 0; n <= 40; ++n) {
    std::string k(n, 'a');
    for (size_t i = 0; i < n; ++i) k[i] = static_cast<char>('a' + (i * 7 + n) % 26);
    EXPECT_EQ(keys.Add(k), static_cast<int>(n));
    added.push_back(k);
  }
  EXPECT_EQ(keys.Add(added[5]), 5);  // already there
  EXPECT_EQ(keys.size(), 41u);
  for (size_t n = 0; n < added.size(); ++n) {
    EXPECT_EQ(keys.Find(added[n]), static_cast<int>(n)) << added[n];
    EXPECT_EQ(keys.key(static_cast<int>(n)), added[n]);
    // One byte off at the start, the middle and the end is another key.
    for (size_t at : {size_t{0}, n / 2, n ? n - 1 : 0}) {
      if (n == 0) break;
      std::string miss = added[n];
      miss[at] = static_cast<char>(miss[at] ^ 0x20);
      EXPECT_EQ(keys.Find(miss), -1) << miss;
    }
  }
  keys.Clear();
  EXPECT_TRUE(keys.empty());
  EXPECT_EQ(keys.Find(added[3]), -1);
}

TEST(KeyIndexTest, FindPaddedAgreesWithFindWhateverFollowsTheKey) {
  KeyIndex keys;
  for (const char* k : {"ts", "time", "level", "msg", "request_id", "latency_ms", "a", "",
                        "http.request_id", "observedTimeUnixNano", "exactly16bytes!!"})
    keys.Add(k);
  for (std::string_view k :
       {"ts", "time", "level", "msg", "request_id", "latency_ms", "a", "", "http.request_id",
        "observedTimeUnixNano", "exactly16bytes!!", "path", "status", "t", "tim", "levelx"}) {
    // The key inside a line, followed by more key-like bytes that must not count.
    std::string line = std::string(k) + "\":\"level_and_more_bytes_after\"" + std::string(16, 'z');
    std::string_view in_line(line.data(), k.size());
    EXPECT_EQ(keys.FindPadded(in_line), keys.Find(k)) << k;
  }
}

}  // namespace
}  // namespace inquest
