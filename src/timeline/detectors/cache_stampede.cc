#include "timeline/detectors/cache_stampede.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "timeline/window_counter.h"

namespace inquest {

bool IsCacheMiss(const Event& e) {
  std::string_view cache = FieldValue(e, "cache");
  if (EqualsIgnoreCase(cache, "miss")) return true;
  static const WordSet kWords({"cache miss", "cache.miss", "cache_miss", "cachemiss",
                               "origin fetch", "fetch from origin", "fetching from origin",
                               "origin.fetch", "cache fill", "cache.fill", "recompute",
                               "cache refill"});
  return MessageHasAny(e, kWords);
}

std::string_view CacheKeyOf(const Event& e) {
  return FirstField(e, {"key", "cache_key", "cache.key", "cachekey", "item", "entry"});
}

void CacheStampedeDetector::CommitWindow(Key* k) {
  if (k->window_misses == 0) return;
  std::pair<int64_t, uint32_t> w{k->window, k->window_misses};
  k->window_misses = 0;
  uint64_t seen = k->windows_seen++;
  if (k->per_window.size() < kStampedeMaxWindowsPerKey) {
    k->per_window.push_back(w);
    return;
  }
  // Reservoir sampling with a fixed, deterministic sequence (the same input, the same sample).
  uint64_t j = (seen * 0x9E3779B97F4A7C15ULL >> 11) % (seen + 1);
  if (j < kStampedeMaxWindowsPerKey) k->per_window[j] = w;
}

void CacheStampedeDetector::Observe(const Event& e) {
  if (e.time == kNoTime || !IsCacheMiss(e)) return;
  std::string_view name = CacheKeyOf(e);
  if (name.empty()) return;
  auto it = keys_.find(name);
  if (it == keys_.end()) {
    if (keys_.size() >= kMaxDetectorKeys) {
      ++untracked_;
      return;
    }
    it = keys_.emplace(std::string(name), Key{}).first;
  }
  Key& k = it->second;
  // The densest window: the misses of the last kStampedeWindowNs, kept when they beat the best.
  // The window is copied out only when it is about to lose a miss while it is the best, so a
  // growing burst is copied once, not once per miss.
  while (!k.recent.empty() && e.time - k.recent.front()->time >= kStampedeWindowNs) {
    if (k.recent_is_best) k.burst.assign(k.recent.begin(), k.recent.end());
    k.recent_is_best = false;
    k.recent.pop_front();
  }
  k.recent.push_back(&e);
  if (k.recent.size() > k.best) {
    k.best = k.recent.size();
    k.recent_is_best = true;
  }
  int64_t window = WindowIndex(e.time, kStampedeWindowNs);
  if (k.window_misses > 0 && window != k.window) CommitWindow(&k);
  k.window = window;
  ++k.window_misses;
}

std::vector<Finding> CacheStampedeDetector::Finish() {
  std::vector<Finding> out;
  for (auto& [key, k] : keys_) {
    CommitWindow(&k);
    if (k.recent_is_best) k.burst.assign(k.recent.begin(), k.recent.end());
    std::vector<const Event*>& burst = k.burst;
    if (burst.size() < kStampedeMinBurst) continue;
    // The key's usual misses per window: the median over the windows where it missed at all,
    // away from the burst (a key first seen in the burst has no usual rate: 0).
    TimePoint burst_from = burst.front()->time, burst_to = burst.back()->time;
    std::vector<uint32_t> counts;
    for (const auto& [w, n] : k.per_window) {
      TimePoint from = w * kStampedeWindowNs, to = from + kStampedeWindowNs;
      if (to > burst_from - kStampedeWindowNs && from <= burst_to + kStampedeWindowNs) continue;
      counts.push_back(n);
    }
    double usual = 0;
    if (!counts.empty()) {
      std::nth_element(counts.begin(), counts.begin() + counts.size() / 2, counts.end());
      usual = static_cast<double>(counts[counts.size() / 2]);
    }
    if (burst.size() < kStampedeMinRatio * std::max(usual, 1.0)) continue;
    // What set it off: the latest change-like event shortly before the burst, or inside its
    // first half (a miss or two that happened to fall just before it is not the burst).
    const Change* trigger = nullptr;
    TimePoint search_from = burst_from - kStampedeTriggerLookbackNs;
    TimePoint search_to = burst[burst.size() / 2]->time;
    for (const Change& c : in_.changes)
      if (c.time != kNoTime && c.time >= search_from && c.time <= search_to &&
          (!trigger || c.time > trigger->time))
        trigger = &c;
    size_t lo = 0;
    if (trigger)
      while (lo < burst.size() && burst[lo]->time < trigger->time) ++lo;
    size_t best = burst.size() - lo;
    if (best < kStampedeMinBurst) continue;
    const Event* first = burst[lo];
    const Event* last = burst.back();
    std::map<std::string, size_t> services;
    for (size_t i = lo; i < burst.size(); ++i) services[ServiceOf(in_, *burst[i])]++;
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
    if (untracked_ > 0)
      f.explanation += fmt::format(" ({} misses of keys past the first {} were not tracked.)",
                                   untracked_, kMaxDetectorKeys);
    size_t shown = std::min(best, kMaxEvidencePerFinding - (trigger ? 2 : 1));
    for (size_t i = 0; i < shown; ++i) f.evidence.push_back(EvidenceFor(in_, *burst[lo + i]));
    f.evidence.push_back(EvidenceFor(in_, *last));
    // What set it off comes last: the misses are the finding, the trigger its context.
    if (trigger) f.evidence.push_back({trigger->source, Excerpt(trigger->what)});
    out.push_back(std::move(f));
  }
  keys_.clear();
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return out;
}

std::vector<Finding> DetectCacheStampede(const DetectorInput& in) {
  CacheStampedeDetector d(in);
  return RunDetector(d, in.events);
}

}  // namespace inquest
