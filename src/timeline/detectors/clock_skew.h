// Hosts whose clocks run off, found from their logs alone (timeline/log_clock_skew.h), as
// findings: "The clock of api-2 runs about 3.2s behind api-3's", with a shared request's lines
// on both hosts as evidence.
#ifndef INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_
#define INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_

#include <string>
#include <vector>

#include "timeline/detectors/detector.h"
#include "timeline/log_clock_skew.h"

namespace inquest {

// How sure a log-based estimate is: the offset is bounded by many requests' causal order, so
// it is solid, but it rests on assuming that most hosts' clocks are right (the reference) and
// that request ids are not reused across unrelated requests.
inline constexpr double kLogSkewConfidence = 0.8;

// One "clock-skew" finding per skewed host of `report`. `file_names` name the clocks of records
// that name no host (as given to EstimateLogSkew); `adjusted` says whether --adjust-skew moved
// the host's records (the explanation says so). Evidence: the first request the host shares
// with its reference, a line on each side.
std::vector<Finding> DetectLogClockSkew(const DetectorInput& in, const LogSkewReport& report,
                                        const std::vector<std::string>& file_names, bool adjusted);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_
