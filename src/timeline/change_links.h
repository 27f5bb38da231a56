// Which deploy shipped which PRs and commits, on explicit references only: a deploy is linked
// to a change record when they name the same commit or pull request (timeline/change_refs.h),
// or when a `git log` export in the evidence lists the commit between the commit of the
// service's previous deploy and this deploy's. Never on time proximity: a PR merged a minute
// before a deploy and named by nothing is not linked.
//
//   std::vector<ShipLink> links = LinkShippedChanges(changes);
//   // {deploy 4, change 3, "both name commit 9f1e2ab"}
//
// What it cannot know: a deploy that names only a version ("v2.317") with no commit or PR
// anywhere, a PR record that carries neither its number nor its merge commit, commits of a
// history the evidence does not hold, and history order beyond the listing's (a `git log`
// without --first-parent or --topo-order may interleave branches: the listing is taken as is).
#ifndef INQUEST_TIMELINE_CHANGE_LINKS_H_
#define INQUEST_TIMELINE_CHANGE_LINKS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "timeline/change.h"

namespace inquest {

struct ShipLink {
  size_t deploy = 0;  // index of a kDeploy change in the changes given
  size_t change = 0;  // index of a change it shipped (never a deploy)
  std::string how;    // the reference: "both name commit 9f1e2ab", "in git.log between ..."
};

// The links of `changes`, by deploy then change index, each pair once (the first reason kept).
// A change may be shipped by several deploys (a canary and the full rollout, two regions).
//   - Named: the deploy and a record that is not a deploy share a reference (a commit hash,
//     one a prefix of the other, or a pull request number).
//   - Listed: the deploy names a commit of a `git log` export (by hash, or through a PR number
//     in a commit's subject); the latest earlier deploy of the same service (either service
//     unknown counts as the same) that names an older commit of that export bounds the range,
//     and the commits listed between the two are shipped too. An earlier deploy of the same
//     commit is looked past (a canary, then the full rollout); one of a newer commit ends the
//     search (this deploy is a rollback: it ships no range).
std::vector<ShipLink> LinkShippedChanges(const std::vector<Change>& changes);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CHANGE_LINKS_H_
