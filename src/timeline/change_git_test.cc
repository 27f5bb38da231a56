// `git log` exports read as changes: the references and places in the listing that link
// commits to deploys, and the one-line layouts.
#include <gtest/gtest.h>

#include "timeline/change.h"

namespace inquest {
namespace git_test {
namespace {

TimePoint T(std::string_view s) { return *ParseUserTime(s); }

std::vector<Change> Read(std::string data, IssueLog* issues = nullptr) {
  auto r = ReadChanges(InputFile::FromString(std::move(data), "git.log"), TimeContext(), issues);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Change>{};
}

using Kind = ChangeRef::Kind;

TEST(GitLogChangesTest, CommitsCarryTheirHashPullRequestAndPlace) {
  std::vector<Change> c = Read(
      "commit 9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02\n"
      "Merge: 1a2b3c4 5d6e7f8\n"
      "Author: A <a@example.com>\n"
      "Date:   2026-05-29 13:58:12 +0000\n"
      "\n"
      "    Merge pull request #4412 from acme/ttl\n"
      "\n"
      "    cache TTL 30s -> 300s; fixes #77\n"
      "\n"
      "commit 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b\n"
      "Author: B <b@example.com>\n"
      "Date:   2026-05-29 12:00:00 +0000\n"
      "\n"
      "    checkout: retry budget\n");
  ASSERT_EQ(c.size(), 2u);
  // Sorted by time; the listing's place is kept (0: first listed, the newest).
  EXPECT_EQ(c[0].history, "git.log");
  EXPECT_EQ(c[0].history_pos, 1);
  EXPECT_EQ(c[1].history_pos, 0);
  EXPECT_EQ(c[1].ref, "PR #4412 (9f1e2ab4c7d0)");
  // Its own hash and PR; not the merge's parents, not the issue it fixes.
  EXPECT_EQ(c[1].refs,
            (std::vector<ChangeRef>{{Kind::kCommit, "9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02"},
                                    {Kind::kPull, "4412"}}));
}

TEST(GitLogChangesTest, OneLineFormats) {
  // --format='%H %aI %s'
  std::vector<Change> a = Read(
      "9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02 2026-05-29T15:58:12+02:00 Merge pull request "
      "#4412 from acme/ttl\n"
      "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b 2026-05-29T12:00:00Z checkout: retry budget\n");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].time, T("2026-05-29T13:58:12Z"));
  EXPECT_EQ(a[1].what, "Merge pull request #4412 from acme/ttl");
  EXPECT_EQ(a[1].history_pos, 0);
  EXPECT_EQ(a[0].service, "checkout");
  // --format='%h|%an|%ad|%s' --date=default, and --date=iso with spaces.
  std::vector<Change> b = Read(
      "9f1e2ab|Ann Lee|Fri May 29 15:58:12 2026 +0200|cache TTL 30s -> 300s (#4412)\n"
      "1a2b3c4|Bo|Fri May 29 12:00:00 2026 +0000|retry budget\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].time, T("2026-05-29T13:58:12Z"));
  EXPECT_EQ(b[1].what, "cache TTL 30s -> 300s (#4412)");
  EXPECT_EQ(b[1].refs, (std::vector<ChangeRef>{{Kind::kCommit, "9f1e2ab"}, {Kind::kPull, "4412"}}));
  std::vector<Change> c = Read(
      "9f1e2ab 2026-05-29 15:58:12 +0200 cache TTL 30s -> 300s\n"
      "1a2b3c4 Fri May 29 12:00:00 2026 +0000 2 retries at most\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].time, T("2026-05-29T13:58:12Z"));
  EXPECT_EQ(c[0].time, T("2026-05-29T12:00:00Z"));
  EXPECT_EQ(c[0].what, "2 retries at most");
  EXPECT_GT(ProbeChanges("9f1e2ab 2026-05-29T13:58:12Z cache TTL\n"), 0.9);
}

TEST(GitLogChangesTest, OneLineLayoutNeedsAHashADateAndASubject) {
  // A log whose lines start with a hex id and a time; a number column; `--oneline` (no date).
  EXPECT_EQ(ProbeChanges("4bf92f3577b3 2026-05-29T14:11:00Z ERROR payment failed\n"
                         "00f067aa0ba9 2026-05-29T14:11:01Z INFO retrying\n"),
            0);
  EXPECT_EQ(ProbeChanges("1234567 2026-05-29T14:11:00Z one\n7654321 2026-05-29T14:12:00Z two\n"),
            0);
  EXPECT_EQ(ProbeChanges("9f1e2ab cache TTL 30s -> 300s (#4412)\n1a2b3c4 retry budget\n"), 0);
}

}  // namespace
}  // namespace git_test
}  // namespace inquest
