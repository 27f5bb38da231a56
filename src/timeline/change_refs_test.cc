#include "timeline/change_refs.h"

#include <gtest/gtest.h>

namespace inquest {
namespace refs_test {
namespace {

using Kind = ChangeRef::Kind;

std::vector<ChangeRef> Refs(std::string_view text) {
  std::vector<ChangeRef> out;
  FindChangeRefs(text, &out);
  return out;
}

ChangeRef Commit(std::string id) { return {Kind::kCommit, std::move(id)}; }
ChangeRef Pull(std::string id) { return {Kind::kPull, std::move(id)}; }

TEST(ChangeRefsTest, CommitHashesShortAndLong) {
  EXPECT_EQ(Refs("v2.317 checkout@9f1e2ab"), std::vector<ChangeRef>{Commit("9f1e2ab")});
  EXPECT_EQ(Refs("merge commit 9F1E2AB4C7D0"), std::vector<ChangeRef>{Commit("9f1e2ab4c7d0")});
  EXPECT_EQ(Refs("sha 9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02"),
            std::vector<ChangeRef>{Commit("9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02")});
  // git describe.
  EXPECT_EQ(Refs("v2.317-3-g9f1e2ab"), std::vector<ChangeRef>{Commit("9f1e2ab")});
}

TEST(ChangeRefsTest, NotCommits) {
  // Too short, no digit (a word), no letter (a number, a date), a UUID's groups, trace and span
  // ids, hex inside a longer word.
  EXPECT_TRUE(Refs("9f1e2a").empty());
  EXPECT_TRUE(Refs("the defaced facade was effaced").empty());
  EXPECT_TRUE(Refs("at 20260529 took 1748527092123").empty());
  EXPECT_TRUE(Refs("request 4bf92f35-77b3-4da6-a3ce-929d0e0e4736").empty());
  EXPECT_TRUE(Refs("trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7").empty());
  EXPECT_TRUE(Refs("image sha256-ish x9f1e2ab4 and 0x9f1e2ab4").empty());
}

TEST(ChangeRefsTest, PullRequestForms) {
  EXPECT_EQ(Refs("PR #4412 merged"), std::vector<ChangeRef>{Pull("4412")});
  EXPECT_EQ(Refs("ships #4412, #4415"), (std::vector<ChangeRef>{Pull("4412"), Pull("4415")}));
  EXPECT_EQ(Refs("MR !12 merged"), std::vector<ChangeRef>{Pull("12")});
  EXPECT_EQ(Refs("!12 merged: cache"), std::vector<ChangeRef>{Pull("12")});
  EXPECT_EQ(Refs("PR-4412"), std::vector<ChangeRef>{Pull("4412")});
  EXPECT_EQ(Refs("pr 4412"), std::vector<ChangeRef>{Pull("4412")});
  EXPECT_EQ(Refs("Merge pull request #4412 from acme/ttl"), std::vector<ChangeRef>{Pull("4412")});
  EXPECT_EQ(Refs("merge request 88"), std::vector<ChangeRef>{Pull("88")});
  EXPECT_EQ(Refs("https://github.com/acme/checkout/pull/4412"),
            std::vector<ChangeRef>{Pull("4412")});
  EXPECT_EQ(Refs("https://gitlab.example.com/g/p/-/merge_requests/88/diffs"),
            std::vector<ChangeRef>{Pull("88")});
}

TEST(ChangeRefsTest, NotPullRequests) {
  EXPECT_TRUE(Refs("color #4412ff, page.html#12, wow!1, print 42, Mr. Smith 3").empty());
  EXPECT_TRUE(Refs("order #1234567890 of customer").empty());  // too many digits for a PR
}

TEST(ChangeRefsTest, ReferencesToOtherChangesAreLeftOut) {
  // An issue the change closes, a change it reverts or follows.
  EXPECT_EQ(Refs("cache TTL 30s -> 300s (fixes #77) (#4412)"),
            std::vector<ChangeRef>{Pull("4412")});
  EXPECT_TRUE(Refs("Revert \"Merge pull request #4412 from acme/ttl\"").empty());
  EXPECT_EQ(Refs("Revert \"cache TTL\" (#4420)"), std::vector<ChangeRef>{Pull("4420")});
  EXPECT_EQ(Refs("Revert PR #4412 (#4420)"), std::vector<ChangeRef>{Pull("4420")});
  EXPECT_TRUE(Refs("follow-up to #4400").empty());
  EXPECT_TRUE(Refs("(cherry picked from commit 9f1e2ab4c7d0)").empty());
  EXPECT_TRUE(Refs("This reverts commit 9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02.").empty());
  // A conventional-commit type is not a closing keyword.
  EXPECT_EQ(Refs("fix(checkout): cache ttl (#4412)"), std::vector<ChangeRef>{Pull("4412")});
}

TEST(ChangeRefsTest, FieldNamesSayWhatAValueIs) {
  std::vector<ChangeRef> r;
  FindFieldRefs("pr", "4412", &r);
  FindFieldRefs("merge_commit_sha", "4412993", &r);  // all digits: a commit only by its name
  FindFieldRefs("build_number", "4412", &r);         // a number under another name: nothing
  FindFieldRefs("previous_commit", "1a2b3c4d", &r);  // the commit a deploy replaced
  FindFieldRefs("description", "ships #4415", &r);
  EXPECT_EQ(r, (std::vector<ChangeRef>{Pull("4412"), Commit("4412993"), Pull("4415")}));
}

TEST(ChangeRefsTest, SameChangeByPrefixOrNumber) {
  EXPECT_TRUE(SameChangeRef(Commit("9f1e2ab"), Commit("9f1e2ab4c7d05e3b")));
  EXPECT_TRUE(SameChangeRef(Commit("9f1e2ab4c7d05e3b"), Commit("9f1e2ab")));
  EXPECT_FALSE(SameChangeRef(Commit("9f1e2ab"), Commit("9f1e2ac4c7d05e3b")));
  EXPECT_FALSE(SameChangeRef(Commit("9f1e2a"), Commit("9f1e2ab4c7d05e3b")));  // under 7 digits
  EXPECT_TRUE(SameChangeRef(Pull("4412"), Pull("4412")));
  EXPECT_FALSE(SameChangeRef(Pull("4412"), Pull("44120")));
  EXPECT_FALSE(SameChangeRef(Pull("4412"), Commit("4412")));
  EXPECT_EQ(ChangeRefText(Commit("9f1e2ab4c7d05e3b8a61")), "commit 9f1e2ab4c7d0");
  EXPECT_EQ(ChangeRefText(Pull("4412")), "#4412");
}

}  // namespace
}  // namespace refs_test
}  // namespace inquest
