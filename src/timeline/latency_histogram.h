// A fixed-memory histogram of durations in milliseconds, for latency percentiles over windows
// of any number of events, mergeable across threads.
//
// Buckets are log-linear (HDR style): each power of two from kMinMs to kMaxMs is cut into
// kSubBuckets equal parts, so a bucket spans at most 1/kSubBuckets of its lower bound and a
// percentile, reported as the bucket's midpoint, is within 1/(2*kSubBuckets) = 3.1% of the true
// order statistic. Values below kMinMs count in the first bucket, above kMaxMs in the last.
// Memory: nothing until the first value, then kBuckets counters (2 KB).
#ifndef INQUEST_TIMELINE_LATENCY_HISTOGRAM_H_
#define INQUEST_TIMELINE_LATENCY_HISTOGRAM_H_

#include <cstdint>
#include <memory>

namespace inquest {

class LatencyHistogram {
 public:
  // 16 linear steps per octave: 3.1% worst-case error, enough to tell a 4.0 s p99 from 4.2 s.
  static constexpr int kSubBuckets = 16;
  // 2^-7 ms (7.8 µs) to 2^25 ms (9.3 h): from in-process calls to stuck batch jobs.
  static constexpr int kMinExp = -7;
  static constexpr int kMaxExp = 25;
  static constexpr int kBuckets = (kMaxExp - kMinExp) * kSubBuckets;

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram& o) { *this = o; }
  LatencyHistogram& operator=(const LatencyHistogram& o);
  LatencyHistogram(LatencyHistogram&&) noexcept = default;
  LatencyHistogram& operator=(LatencyHistogram&&) noexcept = default;

  void Add(double ms);
  void Merge(const LatencyHistogram& o);
  uint64_t count() const { return count_; }
  double max() const { return max_; }
  // The q-quantile (0..1), 0 when empty. Exact at the extremes (q=1 returns the maximum seen).
  double Percentile(double q) const;

 private:
  static int BucketOf(double ms);
  static double BucketMid(int b);
  std::unique_ptr<uint32_t[]> counts_;
  uint64_t count_ = 0;
  double max_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_TIMELINE_LATENCY_HISTOGRAM_H_
