// Retry storm: retries multiplying the load on a struggling dependency, made worse when every
// client retries on the same fixed schedule (no jitter): the retries arrive in synchronized
// waves. Measures how many retries there were against the usual rate, and how spread the
// intervals between a request's attempts are.
#ifndef INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_
#define INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_

#include <vector>

#include "timeline/detectors/detector.h"

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

std::vector<Finding> DetectRetryStorm(const DetectorInput& in);

// The coefficient of variation of `xs` (0 for fewer than two values or a zero mean).
double CoefficientOfVariation(const std::vector<double>& xs);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_RETRY_STORM_H_
