// Cache stampede: a burst of cache misses or origin fetches for the same key within a short
// window, far above that key's usual rate: many callers refilling one entry at once because
// nothing coalesces them (no singleflight / request collapsing).
#ifndef INQUEST_TIMELINE_DETECTORS_CACHE_STAMPEDE_H_
#define INQUEST_TIMELINE_DETECTORS_CACHE_STAMPEDE_H_

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "timeline/detectors/detector.h"
#include "timeline/detectors/stream_detector.h"

namespace inquest {

// The burst window: misses for one key this close together cannot be independent expiries of
// a cache entry (TTLs are seconds to minutes), they are one refill done many times over.
inline constexpr int64_t kStampedeWindowNs = 1 * kNanosPerSecond;
// Fewest misses for one key in one window to call it a stampede: a handful of concurrent
// refills is normal on any cache without coalescing; twenty is a herd.
inline constexpr size_t kStampedeMinBurst = 20;
// The burst must be this many times the key's usual misses per window (the median over the
// windows where the key missed at all), so a key that always misses heavily is not flagged.
inline constexpr double kStampedeMinRatio = 5.0;
// A change-like event (an invalidation, a flush) this long before the burst is named as what
// set it off.
inline constexpr int64_t kStampedeTriggerLookbackNs = 10 * kNanosPerSecond;

// Events that are misses or origin fetches: the message speaks of a cache miss, an origin or
// backend fetch, a cache fill or recompute, or an attribute says cache=miss. The key comes
// from a key-like field (key, cache_key, cache.key, item, entry).
bool IsCacheMiss(const Event& e);
std::string_view CacheKeyOf(const Event& e);

// Evidence: the first misses of the burst and its last; then, when a change-like event came
// shortly before, that event (always last).
std::vector<Finding> DetectCacheStampede(const DetectorInput& in);

// Windows per key whose miss counts are kept for the key's usual rate; past this, a sample
// of them (every window is equally likely to stay).
inline constexpr size_t kStampedeMaxWindowsPerKey = 1024;

// Cache stampedes as a streaming aggregation. Per key (at most kMaxDetectorKeys): the misses
// of the last kStampedeWindowNs, the densest such window seen so far, and the misses per
// window (a sample of kStampedeMaxWindowsPerKey) for the key's usual rate.
class CacheStampedeDetector : public StreamDetector {
 public:
  explicit CacheStampedeDetector(const DetectorInput& in) : in_(in) {}
  void Observe(const Event& e) override;
  std::vector<Finding> Finish() override;

 private:
  struct Key {
    std::deque<const Event*> recent;  // misses within the last window
    std::vector<const Event*> burst;  // the densest window so far, once it ended
    size_t best = 0;                  // misses in the densest window
    bool recent_is_best = false;      // `recent` is that window and still growing
    std::vector<std::pair<int64_t, uint32_t>> per_window;  // window index, misses: a sample
    uint64_t windows_seen = 0;                             // windows committed to the sample
    int64_t window = 0;                                    // the window being counted
    uint32_t window_misses = 0;                            // 0: none yet
  };
  // Adds the window being counted to the key's sample.
  static void CommitWindow(Key* k);

  const DetectorInput& in_;
  std::map<std::string, Key, std::less<>> keys_;
  size_t untracked_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_CACHE_STAMPEDE_H_
