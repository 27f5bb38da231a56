#include "timeline/change_links.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace inquest {
namespace {

bool IsDeploy(const Change& c) { return c.kind == ChangeKind::kDeploy; }

// A reference both changes make, or nullptr.
const ChangeRef* SharedRef(const Change& deploy, const Change& other) {
  for (const ChangeRef& d : deploy.refs)
    for (const ChangeRef& o : other.refs)
      if (SameChangeRef(d, o)) return &d;
  return nullptr;
}

// Deploys of the same service for bounding a range: equal, or either unknown.
bool SameDeployTarget(const Change& a, const Change& b) {
  return a.service.empty() || b.service.empty() || SameService(a.service, b.service);
}

std::string ShortHash(const Change& commit) {
  for (const ChangeRef& r : commit.refs)
    if (r.kind == ChangeRef::Kind::kCommit)
      return r.id.substr(0, std::min<size_t>(12, r.id.size()));
  return commit.ref;
}

}  // namespace

std::vector<ShipLink> LinkShippedChanges(const std::vector<Change>& changes) {
  std::vector<ShipLink> links;
  std::set<std::pair<size_t, size_t>> seen;
  auto add = [&](size_t d, size_t c, std::string how) {
    if (seen.insert({d, c}).second) links.push_back({d, c, std::move(how)});
  };
  std::vector<size_t> deploys;
  for (size_t i = 0; i < changes.size(); ++i)
    if (IsDeploy(changes[i]) && !changes[i].refs.empty()) deploys.push_back(i);
  if (deploys.empty()) return links;

  // Named: a reference in common. For each deploy, also where it sits in each history: the
  // newest listed commit it names.
  std::map<std::string, std::map<size_t, int64_t>> deploy_pos;  // history -> deploy -> position
  for (size_t d : deploys) {
    for (size_t c = 0; c < changes.size(); ++c) {
      const Change& x = changes[c];
      if (IsDeploy(x) || x.refs.empty()) continue;
      const ChangeRef* shared = SharedRef(changes[d], x);
      if (!shared) continue;
      add(d, c, fmt::format("both name {}", ChangeRefText(*shared)));
      if (x.history_pos < 0) continue;
      auto [it, fresh] = deploy_pos[x.history].emplace(d, x.history_pos);
      if (!fresh) it->second = std::min(it->second, x.history_pos);
    }
  }

  // Listed: the commits of a history between the previous deploy's commit and this one's.
  // Deploys in time order (record order for equal times).
  std::vector<size_t> by_time = deploys;
  std::stable_sort(by_time.begin(), by_time.end(),
                   [&](size_t a, size_t b) { return changes[a].time < changes[b].time; });
  for (const auto& [history, pos] : deploy_pos) {
    std::map<int64_t, size_t> listed;  // position -> change
    for (size_t c = 0; c < changes.size(); ++c)
      if (changes[c].history == history && changes[c].history_pos >= 0 && !IsDeploy(changes[c]))
        listed.emplace(changes[c].history_pos, c);
    for (size_t k = 0; k < by_time.size(); ++k) {
      const size_t d = by_time[k];
      auto mine = pos.find(d);
      if (mine == pos.end()) continue;
      for (size_t j = k; j-- > 0;) {
        const size_t p = by_time[j];
        auto theirs = pos.find(p);
        if (theirs == pos.end() || !SameDeployTarget(changes[d], changes[p])) continue;
        if (theirs->second == mine->second) continue;  // the same commit: a canary, a region
        if (theirs->second < mine->second) break;      // a newer commit: this is a rollback
        std::string from = ShortHash(changes[listed.at(theirs->second)]);
        std::string to = ShortHash(changes[listed.at(mine->second)]);
        for (auto it = listed.upper_bound(mine->second);
             it != listed.end() && it->first < theirs->second; ++it)
          add(d, it->second,
              fmt::format("listed in {} after commit {} (the previous deploy, {}) up to commit {}",
                          history, from, changes[p].source, to));
        break;
      }
    }
  }
  std::stable_sort(links.begin(), links.end(), [](const ShipLink& a, const ShipLink& b) {
    return a.deploy != b.deploy ? a.deploy < b.deploy : a.change < b.change;
  });
  return links;
}

}  // namespace inquest
