// Hosts whose clocks run off, found from their logs alone (timeline/log_clock_skew.h), as
// findings: "The clock of api-2 runs about 3.2s behind api-3's", with a shared request's lines
// on both hosts as evidence.
#ifndef INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_
#define INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "timeline/detectors/detector.h"
#include "timeline/detectors/stream_detector.h"
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

// The same as a streaming aggregation. It keeps, for the first kMaxDetectorKeys request ids,
// the first record of each on every clock (up to kMaxClocksPerRequest), and for each skewed
// host its first record and its first kMaxDetectorKeys records that carry an id.
class LogClockSkewDetector : public StreamDetector {
 public:
  LogClockSkewDetector(const DetectorInput& in, const LogSkewReport& report,
                       const std::vector<std::string>& file_names, bool adjusted);
  void Observe(const Event& e) override;
  std::vector<Finding> Finish() override;

 private:
  struct Host {
    const HostClock* clock;
    TimePoint first = kNoTime;
    std::vector<std::pair<std::string, const Event*>> requests;  // id (lower case), record
  };
  struct Seen {
    std::string_view clock;
    const Event* event;
  };
  const DetectorInput& in_;
  const LogSkewReport& report_;
  const std::vector<std::string>& file_names_;
  bool adjusted_;
  std::vector<Host> hosts_;  // the skewed ones
  std::unordered_map<std::string, std::vector<Seen>> firsts_;
};

// Clocks one request's first records are kept on: a request crosses a handful of hosts.
inline constexpr size_t kMaxClocksPerRequest = 8;

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_CLOCK_SKEW_H_
