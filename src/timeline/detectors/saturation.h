// Resource saturation: requests timing out after waiting on a pool, a queue or a lock
// ("pool exhausted", "acquire timeout", "waited 4000ms for connection", "queue full").
// The slowness is not in the work but in the wait for a slot to do it.
#ifndef INQUEST_TIMELINE_DETECTORS_SATURATION_H_
#define INQUEST_TIMELINE_DETECTORS_SATURATION_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "timeline/detectors/detector.h"
#include "timeline/detectors/stream_detector.h"

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

// Saturation as a streaming aggregation: per (service, resource), for at most kMaxDetectorKeys
// of them, the open episode's counts, its longest wait and most waiters, and its evidence (the
// first wait and the first failures, then the last record); an episode that ends with enough
// waits and failures becomes a finding at once.
class SaturationDetector : public StreamDetector {
 public:
  explicit SaturationDetector(const DetectorInput& in) : in_(in) {}
  void Observe(const Event& e) override;
  std::vector<Finding> Finish() override;

 private:
  struct Episode {
    TimePoint first = kNoTime, last = kNoTime;
    size_t events = 0, failures = 0;
    std::string kind;  // the most specific kind of resource the messages name
    double max_wait_ms = 0;
    int64_t max_waiters = 0;
    std::vector<const Event*> evidence;  // the first record, then failures
    const Event* last_event = nullptr;
  };
  void Close(const std::string& service, const std::string& resource, const Episode& ep);

  const DetectorInput& in_;
  std::map<std::pair<std::string, std::string>, Episode> open_;
  size_t untracked_ = 0;  // waits on resources past kMaxDetectorKeys
  std::vector<Finding> found_;
};

std::vector<Finding> DetectSaturation(const DetectorInput& in);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_SATURATION_H_
