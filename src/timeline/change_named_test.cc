// Ranking with the services the error records name: a dependency that logs no errors itself.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "timeline/change.h"

namespace inquest {
namespace {

constexpr TimePoint kOnset = 1780063200LL * kNanosPerSecond;

Change At(int64_t seconds_before, std::string service, std::string what) {
  Change c;
  c.time = kOnset - seconds_before * kNanosPerSecond;
  c.kind = ChangeKind::kConfig;
  c.service = std::move(service);
  c.what = std::move(what);
  return c;
}

TEST(ChangeNamedTest, TheDependencyTheErrorsBlameOutranksANearerDecoy) {
  std::vector<Change> changes = {At(200, "shipping-service", "tls cert rotated"),
                                 At(20, "mailer", "log level debug"),
                                 At(10, "search", "v2 deployed")};
  std::vector<std::string> messages;
  for (int i = 0; i < 40; ++i)
    messages.push_back(i % 4 ? "quote failed: upstream shipping: x509: certificate expired"
                             : "quote failed: timeout");
  std::vector<std::string_view> views(messages.begin(), messages.end());
  RankOptions opts;
  opts.onset = kOnset;
  opts.error_services = {"quotes-api"};
  opts.error_shares = {1.0};
  SetNamedServices(changes, views, &opts);
  ASSERT_EQ(opts.named_services.size(), 1u);
  EXPECT_EQ(opts.named_services[0], "shipping-service");
  EXPECT_NEAR(opts.named_shares[0], 0.75, 1e-9);
  std::vector<RankedChange> r = RankChanges(changes, opts);
  EXPECT_EQ(r[0].change.service, "shipping-service") << r[0].reason;
  EXPECT_NE(r[0].reason.find("75% of the error records name shipping-service"), std::string::npos)
      << r[0].reason;
}

TEST(ChangeNamedTest, NamesAreWordsNotSubstrings) {
  std::vector<Change> changes = {At(60, "geo", "v3 deployed"), At(30, "api", "v9 deployed")};
  std::vector<std::string> messages(20, "geometry failed for apiary_x: geology-svc down");
  std::vector<std::string_view> views(messages.begin(), messages.end());
  RankOptions opts;
  opts.onset = kOnset;
  SetNamedServices(changes, views, &opts);
  EXPECT_TRUE(opts.named_services.empty());
}

// A service that shows a few errors and is blamed by most of its callers' errors ranks by the
// blame; a record naming its own service blames nobody; "reco-client" names reco.
TEST(ChangeNamedTest, BlameCountsBesideErrorsButNotSelfNaming) {
  std::vector<Change> changes = {At(2220, "shipping", "v4.355.6 deployed"),
                                 At(100, "mailer", "v7.6 deployed")};
  std::vector<std::string> messages;
  std::vector<std::string_view> own;
  for (int i = 0; i < 50; ++i) {
    bool callee = i % 25 == 0;
    messages.push_back(callee ? "shipping: out of memory" : "call failed: pool reco-client");
    own.push_back(callee ? "shipping" : "checkout");
  }
  for (int i = 0; i < 50; ++i) {
    messages.push_back("request failed: upstream shipping timed out");
    own.push_back("checkout");
  }
  std::vector<std::string_view> views(messages.begin(), messages.end());
  RankOptions opts;
  opts.onset = kOnset;
  opts.error_services = {"checkout", "shipping"};
  opts.error_shares = {0.98, 0.02};
  SetNamedServices(changes, views, &opts, &own);
  ASSERT_EQ(opts.named_services.size(), 1u);
  EXPECT_NEAR(opts.named_shares[0], 0.5, 1e-9);  // its own two records not counted
  std::vector<RankedChange> r = RankChanges(changes, opts);
  EXPECT_EQ(r[0].change.service, "shipping") << r[0].reason;
  EXPECT_NE(r[0].reason.find("shows 2% of the errors; 50% of the error records name shipping"),
            std::string::npos)
      << r[0].reason;
  std::vector<Change> reco = {At(60, "reco", "v2 deployed")};
  SetNamedServices(reco, views, &opts, &own);
  ASSERT_EQ(opts.named_services.size(), 1u);
  EXPECT_EQ(opts.named_services[0], "reco");
}

TEST(ChangeNamedTest, APriorBelowOneLowersTheScoreAndSaysWhy) {
  Change record = At(120, "", "v2 deployed");
  Change lifted = record;
  lifted.prior = 0.5;
  lifted.prior_reason = "read from a log line's words, not a change record";
  RankOptions opts;
  opts.onset = kOnset;
  std::vector<RankedChange> r = RankChanges({lifted, record}, opts);
  EXPECT_EQ(r[0].change.prior, 1);
  EXPECT_NEAR(r[1].score, r[0].score * 0.5, 1e-9);
  EXPECT_NE(r[1].reason.find("not a change record"), std::string::npos);
}

}  // namespace
}  // namespace inquest
