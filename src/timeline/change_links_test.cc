#include "timeline/change_links.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace inquest {
namespace links_test {
namespace {

TimePoint T(std::string_view s) { return *ParseUserTime(s); }

std::vector<Change> Read(std::string data, std::string name = "changes.jsonl") {
  auto r = ReadChanges(InputFile::FromString(std::move(data), name), TimeContext(), nullptr);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Change>{};
}

// The changes of several exports, in time order (as analyze merges them).
std::vector<Change> Merge(std::vector<std::vector<Change>> files) {
  std::vector<Change> all;
  for (auto& f : files)
    for (Change& c : f) all.push_back(std::move(c));
  std::stable_sort(all.begin(), all.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  return all;
}

// "deploy source -> shipped source" for every link.
std::vector<std::string> Pairs(const std::vector<Change>& c) {
  std::vector<std::string> out;
  for (const ShipLink& l : LinkShippedChanges(c))
    out.push_back(c[l.deploy].source + " -> " + c[l.change].source);
  return out;
}

TEST(ChangeLinksTest, DeployNamesTheMergeCommitByAPrefix) {
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T13:58:12Z","type":"code","service":"checkout","summary":"PR #4412 merged: cache TTL 30s -> 300s","ref":"PR #4412","merge_commit":"9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02"}
{"time":"2026-05-29T14:02:31Z","type":"deploy","service":"checkout","version":"v2.317","ref":"checkout@9F1E2AB","summary":"checkout-service v2.317 deployed"}
)js");
  std::vector<ShipLink> links = LinkShippedChanges(c);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(c[links[0].deploy].source, "changes.jsonl:2");
  EXPECT_EQ(c[links[0].change].source, "changes.jsonl:1");
  EXPECT_EQ(links[0].how, "both name commit 9f1e2ab");
}

TEST(ChangeLinksTest, PullRequestNumberInAnyForm) {
  // "ships #N" against GitLab's "!N"; a pull URL against "PR #N"; a number under "pr".
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T10:00:00Z","type":"code","service":"a","summary":"!4412 merged: ttl"}
{"time":"2026-05-29T10:05:00Z","type":"deploy","service":"a","version":"v1","summary":"a v1 deployed, ships #4412"}
{"time":"2026-05-29T11:00:00Z","type":"code","service":"b","summary":"PR #77 merged: pool","ref":"PR #77"}
{"time":"2026-05-29T11:05:00Z","type":"deploy","service":"b","version":"v9","summary":"b v9 deployed","link":"https://github.com/acme/b/pull/77"}
{"time":"2026-05-29T12:00:00Z","type":"code","service":"c","summary":"Merge pull request #5 from acme/x"}
{"time":"2026-05-29T12:05:00Z","type":"deploy","service":"c","version":"v3","summary":"c v3 deployed","pr":5}
)js");
  EXPECT_EQ(Pairs(c), (std::vector<std::string>{"changes.jsonl:2 -> changes.jsonl:1",
                                                "changes.jsonl:4 -> changes.jsonl:3",
                                                "changes.jsonl:6 -> changes.jsonl:5"}));
}

TEST(ChangeLinksTest, NoLinkWithoutAnExplicitReference) {
  // A PR merged a minute before a deploy of its service, named by nothing; a deploy naming a
  // version only; a PR that names an issue the deploy also names; a deploy that reverts a PR.
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T14:01:00Z","type":"code","service":"checkout","summary":"PR #4412 merged: cache TTL","ref":"PR #4412"}
{"time":"2026-05-29T14:02:00Z","type":"deploy","service":"checkout","version":"v2.317","summary":"checkout v2.317 deployed"}
{"time":"2026-05-29T14:03:00Z","type":"code","service":"pricing","summary":"pool size 20 -> 40, fixes #31","ref":"PR #4420"}
{"time":"2026-05-29T14:04:00Z","type":"deploy","service":"pricing","version":"v8","summary":"pricing v8 deployed, closes #31"}
{"time":"2026-05-29T14:20:00Z","type":"deploy","service":"checkout","version":"v2.316","summary":"rollback to v2.316, reverting #4412"}
)js");
  EXPECT_TRUE(LinkShippedChanges(c).empty());
}

TEST(ChangeLinksTest, DeploysAreNeverShipped) {
  // A canary and the full rollout name the same commit: both ship the PR, neither ships the
  // other.
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T13:00:00Z","type":"code","service":"a","summary":"PR #9 merged","sha":"aaaa1111bbbb2222"}
{"time":"2026-05-29T13:30:00Z","type":"deploy","service":"a","version":"v2","summary":"a v2 canary","commit":"aaaa111"}
{"time":"2026-05-29T14:00:00Z","type":"deploy","service":"a","version":"v2","summary":"a v2 deployed","commit":"aaaa111"}
)js");
  EXPECT_EQ(Pairs(c), (std::vector<std::string>{"changes.jsonl:2 -> changes.jsonl:1",
                                                "changes.jsonl:3 -> changes.jsonl:1"}));
}

// A `git log` (newest first) of one repository, and two releases of it.
constexpr std::string_view kHistory =
    "commit 5555555555555555555555555555555555555555\n"
    "Author: E <e@example.com>\n"
    "Date:   2026-05-29 13:50:00 +0000\n"
    "\n"
    "    Merge pull request #4412 from acme/ttl\n"
    "\n"
    "commit 4444444444444444444444444444444444444444\n"
    "Author: D <d@example.com>\n"
    "Date:   2026-05-29 13:40:00 +0000\n"
    "\n"
    "    checkout: retry budget\n"
    "\n"
    "commit 3333333333333333333333333333333333333333\n"
    "Author: C <c@example.com>\n"
    "Date:   2026-05-29 11:00:00 +0000\n"
    "\n"
    "    checkout: new summary page\n"
    "\n"
    "commit 2222222222222222222222222222222222222222\n"
    "Author: B <b@example.com>\n"
    "Date:   2026-05-29 10:30:00 +0000\n"
    "\n"
    "    checkout: rename helpers\n"
    "\n"
    "commit 1111111111111111111111111111111111111111\n"
    "Author: A <a@example.com>\n"
    "Date:   2026-05-29 09:00:00 +0000\n"
    "\n"
    "    checkout: the release before\n";

TEST(ChangeLinksTest, GitHistoryBetweenTwoDeploysGoesToTheLater) {
  std::vector<Change> c = Merge(
      {Read(std::string(kHistory), "git.log"),
       Read(
           R"js({"time":"2026-05-29T09:30:00Z","type":"deploy","service":"checkout","version":"v2.315","commit":"1111111"}
{"time":"2026-05-29T12:00:00Z","type":"deploy","service":"checkout","version":"v2.316","commit":"3333333"}
{"time":"2026-05-29T14:02:00Z","type":"deploy","service":"checkout","version":"v2.317","summary":"checkout v2.317 deployed, ships #4412"}
{"time":"2026-05-29T14:20:00Z","type":"deploy","service":"checkout","version":"v2.316","summary":"rollback to v2.316","commit":"3333333"}
)js")});
  // v2.315 ships its own commit; v2.316 the two after it; v2.317 (named through the PR number
  // of its merge commit) the two after v2.316's; the rollback its named commit only.
  EXPECT_EQ(Pairs(c), (std::vector<std::string>{
                          "changes.jsonl:1 -> git.log:25",
                          "changes.jsonl:2 -> git.log:19",
                          "changes.jsonl:2 -> git.log:13",
                          "changes.jsonl:3 -> git.log:7",
                          "changes.jsonl:3 -> git.log:1",
                          "changes.jsonl:4 -> git.log:13",
                      }));
  std::vector<ShipLink> links = LinkShippedChanges(c);
  auto it = std::find_if(links.begin(), links.end(),
                         [&](const ShipLink& l) { return c[l.change].source == "git.log:7"; });
  ASSERT_NE(it, links.end());
  EXPECT_EQ(it->how,
            "listed in git.log after commit 333333333333 (the previous deploy, changes.jsonl:2) "
            "up to commit 555555555555");
}

TEST(ChangeLinksTest, OtherServicesDoNotBoundARange) {
  std::vector<Change> c = Merge(
      {Read(std::string(kHistory), "git.log"),
       Read(
           R"js({"time":"2026-05-29T12:00:00Z","type":"deploy","service":"search","version":"v7","commit":"3333333"}
{"time":"2026-05-29T14:02:00Z","type":"deploy","service":"checkout","version":"v2.317","commit":"5555555"}
)js")});
  // No earlier checkout deploy: v2.317 ships the commit it names and nothing listed before it.
  EXPECT_EQ(Pairs(c), (std::vector<std::string>{"changes.jsonl:1 -> git.log:13",
                                                "changes.jsonl:2 -> git.log:1"}));
}

TEST(ChangeLinksTest, RankedAsOneCandidate) {
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T13:58:12Z","type":"code","service":"checkout","summary":"PR #4412 merged: cache TTL 30s -> 300s","ref":"PR #4412","merge_commit":"9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02"}
{"time":"2026-05-29T14:02:31Z","type":"deploy","service":"checkout","version":"v2.317","ref":"checkout@9f1e2ab","summary":"checkout-service v2.317 deployed"}
{"time":"2026-05-29T14:05:00Z","type":"config","service":"search","summary":"search: page size 10 -> 20"}
)js");
  RankOptions opts;
  opts.onset = T("2026-05-29T14:11:00Z");
  opts.error_services = {"checkout"};
  opts.error_shares = {1.0};
  std::vector<RankedChange> r = RankChanges(c, opts);
  ASSERT_EQ(r.size(), 2u) << "the PR ranks with the deploy, not on its own";
  EXPECT_EQ(r[0].change.source, "changes.jsonl:2");
  ASSERT_EQ(r[0].shipped.size(), 1u);
  EXPECT_EQ(r[0].shipped[0].source, "changes.jsonl:1");
  EXPECT_EQ(r[0].shipped[0].ref, "PR #4412");
  EXPECT_EQ(r[0].shipped[0].what, "PR #4412 merged: cache TTL 30s -> 300s");
  EXPECT_EQ(r[0].shipped[0].link, "both name commit 9f1e2ab");
  EXPECT_EQ(r[0].shipped[0].time, T("2026-05-29T13:58:12Z"));
  EXPECT_NE(r[0].reason.find("; ships PR #4412 (changes.jsonl:1)"), std::string::npos)
      << r[0].reason;
  EXPECT_TRUE(r[1].shipped.empty());
}

TEST(ChangeLinksTest, ADeployCarriesWhatItShippedTiesToTheErrors) {
  // The deploy's record names no service; the PR it shipped is to the service in trouble.
  std::vector<Change> c = Read(
      R"js({"time":"2026-05-29T13:58:12Z","type":"code","service":"checkout","summary":"PR #4412 merged","ref":"PR #4412"}
{"time":"2026-05-29T14:02:31Z","type":"deploy","version":"v2.317","summary":"release v2.317 deployed (#4412)"}
)js");
  RankOptions opts;
  opts.onset = T("2026-05-29T14:11:00Z");
  opts.error_services = {"checkout"};
  opts.error_shares = {1.0};
  std::vector<RankedChange> alone = RankChanges({c[1]}, opts);
  std::vector<RankedChange> linked = RankChanges(c, opts);
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_GT(linked[0].score, alone[0].score);
  EXPECT_NE(linked[0].reason.find("checkout shows 100% of the errors (what it shipped)"),
            std::string::npos)
      << linked[0].reason;
}

}  // namespace
}  // namespace links_test
}  // namespace inquest
