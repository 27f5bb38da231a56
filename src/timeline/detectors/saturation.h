// Resource saturation: requests timing out after waiting on a pool, a queue or a lock
// ("pool exhausted", "acquire timeout", "waited 4000ms for connection", "queue full").
// The slowness is not in the work but in the wait for a slot to do it.
#ifndef INQUEST_TIMELINE_DETECTORS_SATURATION_H_
#define INQUEST_TIMELINE_DETECTORS_SATURATION_H_

#include <vector>

#include "timeline/detectors/detector.h"

namespace inquest {

// Fewest wait or exhaustion events on one resource of one service to report it: one slow
// acquire is noise, a handful in an incident is a pattern.
inline constexpr size_t kSaturationMinEvents = 5;
// At least this many of them must be outright failures (timeouts, rejections, exhaustion) and
// not just waits, so a pool that is busy but coping is not called saturated.
inline constexpr size_t kSaturationMinFailures = 2;
// Quiet time that ends one saturation episode of a resource and starts another.
inline constexpr int64_t kSaturationEpisodeGapNs = 5 * 60 * kNanosPerSecond;

enum class WaitKind : uint8_t { kNone, kWait, kFailure };
// Whether the event speaks of waiting on a bounded resource, and whether it failed. *resource
// is the pool, queue or lock named by a pool=, queue=, lock= or resource= field, else the kind
// of resource the message mentions; *kind is that kind ("db pool", "connection pool", "queue",
// "lock"; may be empty when only a field names the resource).
WaitKind ClassifyWait(const Event& e, std::string* resource, std::string* kind = nullptr);

std::vector<Finding> DetectSaturation(const DetectorInput& in);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_SATURATION_H_
