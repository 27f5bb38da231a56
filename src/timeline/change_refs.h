// References a change record makes to code changes, found by their content: commit hashes and
// pull (merge) request numbers. They are what links a deploy to the PRs and commits it shipped
// (timeline/change_links.h), so only what is written as a reference counts, never a guess.
//
//   std::vector<ChangeRef> refs;
//   FindChangeRefs("v2.317 checkout@9f1e2ab, ships #4412", &refs);
//   // refs: {kCommit "9f1e2ab"}, {kPull "4412"}
//
// What is read as a reference:
//   - a commit: a run of 7 to 64 hex digits standing alone (not part of a longer word nor of a
//     dashed hex id such as a UUID) with a letter and a digit in it, or a full 40 or 64 digit
//     hash whatever its digits; git describe's "v2.317-3-g9f1e2ab"; any 7 to 64 hex digits
//     under a field named for commits ("commit", "sha", "merge_commit_sha", ...). 16 and 32
//     digit runs in free text are trace and span ids, not commits.
//   - a pull request: "#4412", GitLab's "!4412", "PR 4412", "PR-4412", "MR !12", "pull request
//     #4412", URLs ".../pull/4412", ".../merge_requests/12", ".../pull-requests/7"; a bare
//     number under a field named for pull requests ("pr", "pull_request", "mr", ...).
//   - not a reference to this change: one written after a word that points at another change
//     or at an issue ("fixes #12", "Revert \"Merge pull request #4412\"", "follow-up to #4400",
//     "cherry picked from commit 1a2b3c4"). The words are a table in change_refs.cc.
#ifndef INQUEST_TIMELINE_CHANGE_REFS_H_
#define INQUEST_TIMELINE_CHANGE_REFS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inquest {

struct ChangeRef {
  enum class Kind : uint8_t { kCommit, kPull };
  Kind kind = Kind::kCommit;
  std::string id;  // a commit's hex digits in lower case; a pull request's number, no zeros first
  bool operator==(const ChangeRef&) const = default;
};

// Commits are the same when one hash is a prefix of the other and both have at least this many
// digits: git's shortest default abbreviation.
inline constexpr size_t kMinCommitDigits = 7;

// Appends the references `text` makes, in order, without duplicates already in `out`.
void FindChangeRefs(std::string_view text, std::vector<ChangeRef>* out);
// The same for one field of a record: its name may say the value is a commit or a pull request
// number where the value alone could not ("sha": "4412993", "pr": 4412).
void FindFieldRefs(std::string_view name, std::string_view value, std::vector<ChangeRef>* out);
// Appends a commit hash known to be one (a `git log` header): any 7..64 hex digits.
void AddCommitRef(std::string_view hash, std::vector<ChangeRef>* out);

// Whether two references name the same change: equal pull request numbers, or commit hashes
// one of which is a prefix of the other (case-insensitive, kMinCommitDigits or more).
bool SameChangeRef(const ChangeRef& a, const ChangeRef& b);

// "commit 9f1e2ab" or "#4412".
std::string ChangeRefText(const ChangeRef& r);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CHANGE_REFS_H_
