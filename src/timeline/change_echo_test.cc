// Change texts quoted by the error records: distinctive words only, at word boundaries.
#include "timeline/change_echo.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

Change Make(std::string what) {
  Change c;
  c.what = std::move(what);
  return c;
}

TEST(ChangeEchoTest, WordsAndParts) {
  std::vector<std::string> w = ChangeWords("restore secret tls-ledger from backup (CHG9994)");
  EXPECT_NE(std::find(w.begin(), w.end(), "tls-ledger"), w.end());
  EXPECT_NE(std::find(w.begin(), w.end(), "tls"), w.end());
  EXPECT_NE(std::find(w.begin(), w.end(), "ledger"), w.end());
  EXPECT_EQ(std::find(w.begin(), w.end(), "from"), w.end());  // a stop word
  w = ChangeWords("coredns: forward zone svc.cluster.local to 10.1.0.53");
  EXPECT_NE(std::find(w.begin(), w.end(), "svc.cluster.local"), w.end());
  EXPECT_EQ(std::find(w.begin(), w.end(), "10.1.0.53"), w.end());  // a bare number
}

TEST(ChangeEchoTest, QuotesAtWordBoundaries) {
  EXPECT_TRUE(QuotesWord("lookup profile.svc.cluster.local: no such host", "svc.cluster.local"));
  EXPECT_TRUE(QuotesWord("call ledger: TLS: failed", "tls"));
  EXPECT_FALSE(QuotesWord("tlsx handshake", "tls"));
  EXPECT_FALSE(QuotesWord("ledgers", "ledger"));
  EXPECT_FALSE(QuotesWord("failed reason=timeout", "reason"));
  EXPECT_FALSE(QuotesWord("{\"reason\":\"x\"}", "reason"));
  std::vector<std::string> keyed = ChangeWords("invalidate key=catalog:v98 reason=price-sync");
  EXPECT_EQ(std::find(keyed.begin(), keyed.end(), "reason"), keyed.end());
  EXPECT_NE(std::find(keyed.begin(), keyed.end(), "price-sync"), keyed.end());
}

TEST(ChangeEchoTest, DistinctiveWordsTheErrorsRepeat) {
  std::vector<Change> changes = {Make("restore secret tls-ledger from backup"),
                                 Make("scale node group audit-ng from 6 to 8 nodes"),
                                 Make("orders v2 deployed")};
  std::vector<std::string_view> errors = {
      "request failed: call ledger: tls: failed to verify certificate",
      "request failed: call ledger: tls: failed to verify certificate",
      "request failed: orders timeout", "request failed: call ledger: tls: expired"};
  // "ledger" and "orders" are said on every normal request: not distinctive.
  std::vector<std::string_view> normal(100, "calling ledger op=GET for orders");
  std::vector<ChangeEcho> e = FindChangeEchoes(changes, errors, normal);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_DOUBLE_EQ(e[0].share, 0.75);
  EXPECT_EQ(e[0].word, "tls");
  EXPECT_EQ(e[1].share, 0);
  EXPECT_EQ(e[2].share, 0);  // "orders" is ordinary before the onset
}

}  // namespace
}  // namespace inquest
