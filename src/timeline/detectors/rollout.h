// A change rolled out to 100% in one step: no canary, no staged percentages, so the first
// signal of trouble was the whole fleet failing.
#ifndef INQUEST_TIMELINE_DETECTORS_ROLLOUT_H_
#define INQUEST_TIMELINE_DETECTORS_ROLLOUT_H_

#include <vector>

#include "timeline/detectors/detector.h"

namespace inquest {

// Changes this long before the onset are considered (the ranking window of interest: the
// primer's trigger deploy came 9 minutes before; a day-old deploy is rarely a one-step
// trigger that shows no canary signal).
inline constexpr int64_t kRolloutLookbackNs = 6 * 3600 * kNanosPerSecond;
// An earlier record of the same change at a lower percentage within this time means it was
// staged after all.
inline constexpr int64_t kStagedWindowNs = 24 * 3600 * kNanosPerSecond;

// Whether a change record's rollout says it went everywhere at once ("100%", "all",
// "all-at-once", "full") with no canary or stages named.
bool IsOneStepRollout(const Change& c);

std::vector<Finding> DetectOneStepRollout(const DetectorInput& in);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_ROLLOUT_H_
