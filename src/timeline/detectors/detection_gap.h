// Detection gaps: how the incident was found, and what should have found it sooner.
//   - "detection-gap": the first signal came from a customer (a ticket before any alert), or
//     the first alert came long after the onset, or no alert fired at all;
//   - "missing-alert": a saturated resource (a "saturation" finding in DetectorInput::prior)
//     that no alert names: the first alert was on the symptom, not the cause.
#ifndef INQUEST_TIMELINE_DETECTORS_DETECTION_GAP_H_
#define INQUEST_TIMELINE_DETECTORS_DETECTION_GAP_H_

#include <vector>

#include "timeline/detectors/detector.h"

namespace inquest {

// An alert this long after the onset is late. Error-rate alerts are usually written "for 1m"
// to "for 5m"; beyond five minutes the users noticed before the pager did.
inline constexpr int64_t kLateDetectionNs = 5 * 60 * kNanosPerSecond;
// Signals this long before the onset still count as detecting it (an alert evaluates windows
// that straddle the onset, and clocks disagree by seconds to minutes).
inline constexpr int64_t kSignalBeforeOnsetSlackNs = 2 * 60 * kNanosPerSecond;

// The detection of the incident from the signals: the first signal and the first alert (or
// page) at or after the onset (less the slack). Null when there is none.
struct IncidentDetection {
  const Signal* first_signal = nullptr;
  const Signal* first_alert = nullptr;
  int64_t time_to_detect_ns = 0;  // first signal - onset (0 when unknown)
};
IncidentDetection FindDetection(const DetectorInput& in, TimePoint onset);

std::vector<Finding> DetectDetectionGaps(const DetectorInput& in);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_DETECTION_GAP_H_
