#include "timeline/shared_ids.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace inquest {

std::vector<PromotedIdKey> PromoteSharedIdKeys(std::span<std::vector<Event>* const> files) {
  std::vector<PromotedIdKey> out;
  // Which files carry request ids; the others are the ones to look at.
  std::vector<bool> has_ids(files.size(), false);
  bool any_ids = false;
  for (size_t f = 0; f < files.size(); ++f)
    for (const Event& e : *files[f])
      if (!e.request_id.empty()) {
        has_ids[f] = any_ids = true;
        break;
      }
  if (!any_ids) return out;
  // Each such file's keys with their distinct values, up to the sample size.
  using Values = std::unordered_map<std::string_view, std::unordered_set<std::string_view>>;
  std::vector<Values> values(files.size());
  std::unordered_set<std::string_view> candidates;  // every value sampled
  for (size_t f = 0; f < files.size(); ++f) {
    if (has_ids[f] || files[f]->empty()) continue;
    for (const Event& e : *files[f])
      for (const Attr& a : e.attrs) {
        auto& v = values[f][a.key];
        if (v.size() < kSharedIdSample) v.insert(a.value);
      }
    for (const auto& [key, v] : values[f])
      if (v.size() >= kSharedIdMinValues) candidates.insert(v.begin(), v.end());
  }
  if (candidates.empty()) return out;
  // The candidates that are request ids of the files that carry them (never of the file the
  // value came from: it carries none). The sampled side is the small one: it is looked up.
  std::unordered_set<std::string_view> ids;
  for (size_t f = 0; f < files.size(); ++f) {
    if (!has_ids[f]) continue;
    for (const Event& e : *files[f])
      if (!e.request_id.empty() && candidates.count(e.request_id)) ids.insert(e.request_id);
  }
  for (size_t f = 0; f < files.size(); ++f) {
    if (values[f].empty()) continue;
    std::string_view best;
    double best_share = 0;
    for (const auto& [key, v] : values[f]) {
      if (v.size() < kSharedIdMinValues) continue;
      size_t shared = 0;
      for (std::string_view value : v) shared += ids.count(value);
      double share = static_cast<double>(shared) / static_cast<double>(v.size());
      if (share >= kSharedIdShare && share > best_share) {
        best = key;
        best_share = share;
      }
    }
    if (best.empty()) continue;
    PromotedIdKey p{f, std::string(best), best_share, 0};
    for (Event& e : *files[f]) {
      std::string_view v = e.Attribute(best);
      if (v.empty()) continue;
      e.request_id = v;
      ++p.promoted;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace inquest
