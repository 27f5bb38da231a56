// Retry storm: retries multiplying the load on a struggling dependency, made worse when every
// client retries on the same fixed schedule (no jitter): the retries arrive in synchronized
// waves. Measures how many retries there were against the usual rate, and how spread the
// intervals between a request's attempts are.
#ifndef INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_
#define INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "timeline/detectors/detector.h"
#include "timeline/detectors/stream_detector.h"

namespace inquest {

// The window retries are counted in: the same minute grain as the error rate.
inline constexpr int64_t kRetryWindowNs = 60 * kNanosPerSecond;
// Fewest retries in the worst window to speak of a storm at all: a few retries a minute are a
// client doing its job.
inline constexpr size_t kRetryStormMinRetries = 10;
// The worst window must hold this many times the usual retries per window (the median over
// all windows of the logs' span, empty ones included): "retries multiplied".
inline constexpr double kRetryStormMinMultiplier = 5.0;
// Intervals whose coefficient of variation (stddev / mean) is below this are "fixed": even a
// modest jitter of +/-20% gives a CV of about 0.1, while timer and scheduling noise alone stays
// near 0.01.
inline constexpr double kNoJitterMaxCv = 0.05;
// Fewest measured intervals before the spread is judged.
inline constexpr size_t kMinRetryIntervals = 5;
// Gaps longer than this between two attempts of one request belong to different episodes.
inline constexpr int64_t kMaxRetryIntervalNs = 60 * kNanosPerSecond;

// A retry: the message says retry/retrying/retried, or an attempt/retry count field is >= 2.
bool IsRetry(const Event& e);

// Attempts of one request kept to time its retry schedule: retry chains are short; past this
// many the schedule is already measured.
inline constexpr size_t kMaxTimedAttempts = 16;

// Retry storms as a streaming aggregation. Per service (at most kMaxDetectorKeys): retries per
// window with each window's first and last retry and its first few records; per request (at
// most kMaxDetectorKeys a service) its first kMaxTimedAttempts attempts, which time the
// schedule and give the evidence; the backoffs the client declared.
class RetryStormDetector : public StreamDetector {
 public:
  explicit RetryStormDetector(const DetectorInput& in) : in_(in) {}
  void Observe(const Event& e) override;
  std::vector<Finding> Finish() override;

 private:
  struct Attempt {
    const Event* event;
    bool says_retry;
    int64_t attempt;
  };
  struct Request {
    std::vector<Attempt> attempts;  // the first kMaxTimedAttempts
    size_t count = 0;               // all of them
  };
  struct Window {
    size_t count = 0;
    TimePoint first = kNoTime, last = kNoTime;
    std::vector<const Event*> records;  // the first kMaxEvidencePerFinding
  };
  struct Service {
    size_t retries = 0;
    std::map<int64_t, Window> windows;
    std::map<std::string_view, Request> requests;
    size_t untracked_requests = 0;
    bool any_says_retry = false;
    size_t declared = 0;            // backoffs the client declared
    double declared_ms = 0;         // the first of them
    bool declared_all_same = true;  // and whether every other one equals it
  };

  const DetectorInput& in_;
  std::map<std::string, Service> by_service_;
  size_t untracked_ = 0;
  TimePoint span_first_ = kNoTime, span_last_ = kNoTime;
};

std::vector<Finding> DetectRetryStorm(const DetectorInput& in);

// The coefficient of variation of `xs` (0 for fewer than two values or a zero mean).
double CoefficientOfVariation(const std::vector<double>& xs);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_
