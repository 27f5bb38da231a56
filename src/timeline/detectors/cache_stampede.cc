#include "timeline/detectors/cache_stampede.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"

namespace inquest {

bool IsCacheMiss(const Event& e) {
  std::string_view cache = FieldValue(e, "cache");
  if (EqualsIgnoreCase(cache, "miss")) return true;
  if (MessageHasAny(e, {"cache miss", "cache.miss", "cache_miss", "cachemiss", "origin fetch",
                        "fetch from origin", "fetching from origin", "origin.fetch", "cache fill",
                        "cache.fill", "recompute", "cache refill"}))
    return true;
  return false;
}

std::string_view CacheKeyOf(const Event& e) {
  return FirstField(e, {"key", "cache_key", "cache.key", "cachekey", "item", "entry"});
}

std::vector<Finding> DetectCacheStampede(const DetectorInput& in) {
  // Miss times per key (events arrive in time order).
  std::map<std::string, std::vector<const Event*>, std::less<>> by_key;
  for (const Event* e : in.events) {
    if (e->time == kNoTime || !IsCacheMiss(*e)) continue;
    std::string_view key = CacheKeyOf(*e);
    if (key.empty()) continue;
    auto it = by_key.find(key);
    if (it == by_key.end())
      it = by_key.emplace(std::string(key), std::vector<const Event*>{}).first;
    it->second.push_back(e);
  }
  std::vector<Finding> out;
  for (const auto& [key, misses] : by_key) {
    if (misses.size() < kStampedeMinBurst) continue;
    // Densest window: two pointers over the sorted times.
    size_t best = 0, best_lo = 0;
    for (size_t lo = 0, hi = 0; hi < misses.size(); ++hi) {
      while (misses[hi]->time - misses[lo]->time >= kStampedeWindowNs) ++lo;
      if (hi - lo + 1 > best) {
        best = hi - lo + 1;
        best_lo = lo;
      }
    }
    if (best < kStampedeMinBurst) continue;
    // The key's usual misses per window: the median over the windows where it missed at all,
    // outside the burst (a key first seen in the burst has no usual rate: 0).
    TimePoint burst_from = misses[best_lo]->time, burst_to = misses[best_lo + best - 1]->time;
    std::map<int64_t, size_t> per_window;
    for (const Event* e : misses)
      if (e->time < burst_from - kStampedeWindowNs || e->time > burst_to + kStampedeWindowNs)
        per_window[e->time / kStampedeWindowNs]++;
    std::vector<size_t> counts;
    for (const auto& [w, n] : per_window) counts.push_back(n);
    double usual = 0;
    if (!counts.empty()) {
      std::nth_element(counts.begin(), counts.begin() + counts.size() / 2, counts.end());
      usual = static_cast<double>(counts[counts.size() / 2]);
    }
    if (best < kStampedeMinRatio * std::max(usual, 1.0)) continue;

    // What set it off: the latest change-like event shortly before the burst, or inside its
    // first half (a miss or two that happened to fall just before it is not the burst).
    const Change* trigger = nullptr;
    TimePoint search_from = misses[best_lo]->time - kStampedeTriggerLookbackNs;
    TimePoint search_to = misses[best_lo + best / 2]->time;
    for (const Change& c : in.changes)
      if (c.time != kNoTime && c.time >= search_from && c.time <= search_to &&
          (!trigger || c.time > trigger->time))
        trigger = &c;
    if (trigger)
      while (best > 0 && misses[best_lo]->time < trigger->time) {
        ++best_lo;
        --best;
      }
    if (best < kStampedeMinBurst) continue;
    const Event* first = misses[best_lo];
    const Event* last = misses[best_lo + best - 1];
    std::map<std::string, size_t> services;
    for (size_t i = best_lo; i < best_lo + best; ++i) services[ServiceOf(in, *misses[i])]++;

    Finding f = NewFinding("cache-stampede", Severity::kError, "", key, first->time, last->time);
    // The service that logged most of the burst did the refills.
    size_t most = 0;
    for (const auto& [name, count] : services)
      if (count > most) {
        most = count;
        f.service = name;
      }
    std::string svc_list;
    for (const auto& [name, count] : services)
      svc_list += fmt::format("{}{} {}", svc_list.empty() ? "" : ", ", name, count);
    f.title = fmt::format(
        "Cache stampede: {} misses or origin fetches for key {} within {} at {} "
        "({})",
        best, key, FormatDuration(last->time - first->time), FormatClock(first->time), svc_list);
    f.confidence = std::min(1.0, 0.5 + 0.5 * (best / (kStampedeMinRatio * kStampedeMinBurst)));
    f.explanation = fmt::format(
        "{} misses for the same key in {} against a usual {} per second for that key "
        "({:.0f}x). Each miss did its own refill: nothing collapsed the concurrent requests for "
        "one key into one fetch (request coalescing / singleflight). The logs cannot show "
        "whether the cache has coalescing that failed or none at all.",
        best, FormatDuration(last->time - first->time), usual, best / std::max(1.0, usual));
    if (trigger) {
      f.explanation +=
          fmt::format(" The burst began {} after \"{}\" ({}).",
                      FormatDuration(first->time - trigger->time), trigger->what, trigger->source);
    }
    size_t shown = std::min(best, kMaxEvidencePerFinding - (trigger ? 2 : 1));
    for (size_t i = 0; i < shown; ++i) f.evidence.push_back(EvidenceFor(in, *misses[best_lo + i]));
    f.evidence.push_back(EvidenceFor(in, *last));
    // What set it off comes last: the misses are the finding, the trigger its context.
    if (trigger) f.evidence.push_back({trigger->source, Excerpt(trigger->what)});
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
