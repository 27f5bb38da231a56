// Same item or another one, judged by shared words (store/item_identity.h).
#include "store/item_identity.h"

#include <gtest/gtest.h>

namespace inquest::store {
namespace {

TEST(ItemIdentityTest, SignificantWordsDropFunctionWordsAndPlurals) {
  EXPECT_EQ(SignificantWords("Add an alert on the cache misses"),
            (std::vector<std::string>{"alert", "cach", "miss"}));
  EXPECT_EQ(SignificantWords("Rotate TLS certificates; renew policies"),
            (std::vector<std::string>{"certificat", "policy", "renew", "rotat", "tls"}));
  EXPECT_TRUE(SignificantWords("to the and of").empty());
  EXPECT_EQ(SignificantWords("cache caches"), SignificantWords("cache"));
  EXPECT_EQ(SignificantWords("status analysis"), (std::vector<std::string>{"analysis", "status"}));
  EXPECT_EQ(SignificantWords("Vérifier les caches"),
            (std::vector<std::string>{"cach", "les", "vérifier"}));
}

TEST(ItemIdentityTest, RewordingsAreTheSameItem) {
  EXPECT_TRUE(LikelySameItem("Alert on misses", "Alert when the miss ratio exceeds 20% for 2 min"));
  EXPECT_TRUE(LikelySameItem("Add jitter and a circuit breaker to the checkout client",
                             "Add 10% jitter and a circuit breaker to the checkout client"));
  EXPECT_TRUE(LikelySameItem("Rotate the TLS certificate", "Automate TLS certificate renewal"));
  EXPECT_TRUE(LikelySameItem("Add alret on cache", "Add alert on cache"));  // a typo fixed
  EXPECT_DOUBLE_EQ(WordOverlap("same words", "same words"), 1.0);
}

TEST(ItemIdentityTest, ADifferentItemUnderTheSameIdIsNot) {
  EXPECT_FALSE(LikelySameItem("Coalesce pricing cache origin fetches (singleflight)",
                              "Require a change ticket for manual catalog flushes"));
  EXPECT_FALSE(LikelySameItem("Add alert on cache misses", "Add alert on disk usage"));
  EXPECT_LT(WordOverlap("Add alert on cache misses", "Add alert on disk usage"),
            kMinSameItemOverlap);
}

TEST(ItemIdentityTest, NothingToJudgeByIsTheSameItem) {
  EXPECT_TRUE(LikelySameItem(kNoActionText, "Page on pool saturation"));
  EXPECT_TRUE(LikelySameItem("", "Page on pool saturation"));
  EXPECT_TRUE(LikelySameItem("to do", "Page on pool saturation"));
}

}  // namespace
}  // namespace inquest::store
