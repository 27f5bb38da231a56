#include "timeline/shared_ids.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace inquest {

std::vector<PromotedIdKey> PromoteSharedIdKeys(std::span<std::vector<Event>* const> files) {
  std::vector<PromotedIdKey> out;
  // Which files carry request ids, and every file's ids, to look other files' values up in.
  std::unordered_map<std::string_view, size_t> owner;  // id -> a file that carries it
  std::vector<bool> has_ids(files.size(), false);
  for (size_t f = 0; f < files.size(); ++f) {
    for (const Event& e : *files[f]) {
      if (e.request_id.empty()) continue;
      has_ids[f] = true;
      owner.emplace(e.request_id, f);
    }
  }
  if (owner.empty()) return out;
  for (size_t f = 0; f < files.size(); ++f) {
    if (has_ids[f] || files[f]->empty()) continue;
    // Distinct values per key, up to the sample size.
    std::unordered_map<std::string_view, std::unordered_set<std::string_view>> values;
    for (const Event& e : *files[f])
      for (const Attr& a : e.attrs) {
        auto& v = values[a.key];
        if (v.size() < kSharedIdSample) v.insert(a.value);
      }
    std::string_view best;
    double best_share = 0;
    for (const auto& [key, v] : values) {
      if (v.size() < kSharedIdMinValues) continue;
      size_t shared = 0;
      for (std::string_view value : v) {
        auto it = owner.find(value);
        shared += it != owner.end() && it->second != f;
      }
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
