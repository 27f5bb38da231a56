// What kind a change is from its words, service-name equality, and staged rollouts: what every
// change reader shares.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "timeline/change_readers.h"

namespace inquest {
namespace {

// Words that name a kind, in the order they are tried: a text naming two kinds takes the first
// ("config rollout" is a deploy of config; "schema migration" is infrastructure). Matched as
// substrings, so "deploy" also finds "deployed" and "redeploy".
struct KindWord {
  std::string_view word;
  ChangeKind kind;
};
constexpr KindWord kKindWords[] = {
    {"deploy", ChangeKind::kDeploy},   {"release", ChangeKind::kDeploy},
    {"rollback", ChangeKind::kDeploy}, {"rollout", ChangeKind::kDeploy},
    {"canary", ChangeKind::kDeploy},   {"config", ChangeKind::kConfig},
    {"setting", ChangeKind::kConfig},  {"ttl", ChangeKind::kConfig},
    {"flag", ChangeKind::kFlag},       {"toggle", ChangeKind::kFlag},
    {"experiment", ChangeKind::kFlag}, {"infra", ChangeKind::kInfra},
    {"scal", ChangeKind::kInfra},      {"terraform", ChangeKind::kInfra},
    {"node", ChangeKind::kInfra},      {"dns", ChangeKind::kInfra},
    {"network", ChangeKind::kInfra},   {"migration", ChangeKind::kInfra},
    {"upgrade", ChangeKind::kInfra},   {"data", ChangeKind::kData},
    {"schema", ChangeKind::kData},     {"backfill", ChangeKind::kData},
    {"invalidat", ChangeKind::kData},  {"cache", ChangeKind::kData},
    {"purge", ChangeKind::kData},      {"code", ChangeKind::kCode},
    {"commit", ChangeKind::kCode},     {"merge", ChangeKind::kCode},
    {"pr", ChangeKind::kCode},         {"pull", ChangeKind::kCode},
};

std::string NormalizeService(std::string_view s) {
  std::string n = ToLower(TrimSpace(s));
  for (std::string_view suffix : {"-service", "_service", ".service", "-svc"}) {
    if (n.size() > suffix.size() && n.ends_with(suffix)) {
      n.resize(n.size() - suffix.size());
      break;
    }
  }
  return n;
}

// The share in a rollout text ("25%", "canary 5%"), or -1.
double ShareOf(std::string_view s) {
  size_t pct = s.find('%');
  if (pct == std::string_view::npos) return -1;
  size_t b = pct;
  while (b > 0 && ((s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '.')) --b;
  std::optional<double> v = ParseDouble(s.substr(b, pct - b));
  return v ? *v : -1;
}

}  // namespace

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kDeploy:
      return "deploy";
    case ChangeKind::kConfig:
      return "config";
    case ChangeKind::kFlag:
      return "flag";
    case ChangeKind::kInfra:
      return "infra";
    case ChangeKind::kData:
      return "data";
    case ChangeKind::kCode:
      return "code";
    case ChangeKind::kOther:
      return "change";
  }
  return "change";
}

ChangeKind KindFromText(std::string_view text) {
  std::string t = ToLower(TrimSpace(text));
  if (t.empty()) return ChangeKind::kOther;
  for (const KindWord& w : kKindWords)
    if (t.find(w.word) != std::string::npos) return w.kind;
  return ChangeKind::kOther;
}

bool SameService(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  std::string na = NormalizeService(a), nb = NormalizeService(b);
  if (na == nb) return true;
  // "checkout" vs "checkout-worker": one is the other plus a suffix after a separator.
  auto prefix = [](const std::string& s, const std::string& p) {
    return s.size() > p.size() && s.starts_with(p) &&
           (s[p.size()] == '-' || s[p.size()] == '_' || s[p.size()] == '.');
  };
  return prefix(na, nb) || prefix(nb, na);
}

void MarkStagedRollouts(std::vector<Change>* changes) {
  // The records of one subject on one service, in time order.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> groups;
  for (size_t i = 0; i < changes->size(); ++i) {
    const Change& c = (*changes)[i];
    if (c.subject.empty() || ShareOf(c.rollout) < 0) continue;
    groups[{NormalizeService(c.service), ToLower(c.subject)}].push_back(i);
  }
  for (auto& [key, idx] : groups) {
    // A run of rising shares is one staged rollout; a share that falls (a rollback to 0%, or a
    // new rollout from the start) begins the next run.
    size_t begin = 0;
    for (size_t i = 1; i <= idx.size(); ++i) {
      bool ends = i == idx.size() ||
                  ShareOf((*changes)[idx[i]].rollout) <= ShareOf((*changes)[idx[i - 1]].rollout);
      if (!ends) continue;
      size_t n = i - begin;
      if (n >= 2) {
        for (size_t k = begin; k < i; ++k) {
          Change& c = (*changes)[idx[k]];
          c.rollout =
              fmt::format("{}% (staged: step {} of {})", ShareOf(c.rollout), k - begin + 1, n);
          if (c.ref.empty()) c.ref = c.subject;
        }
      }
      begin = i;
    }
  }
}

}  // namespace inquest
