#include "timeline/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace inquest {

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& o) {
  if (this == &o) return *this;
  count_ = o.count_;
  max_ = o.max_;
  if (o.counts_) {
    counts_ = std::make_unique<uint32_t[]>(kBuckets);
    memcpy(counts_.get(), o.counts_.get(), sizeof(uint32_t) * kBuckets);
  } else {
    counts_.reset();
  }
  return *this;
}

int LatencyHistogram::BucketOf(double ms) {
  if (!(ms > 0)) return 0;  // also NaN
  int exp;
  double mant = std::frexp(ms, &exp);  // ms = mant * 2^exp, mant in [0.5, 1)
  // The octave [2^(exp-1), 2^exp) is octave index exp-1-kMinExp.
  int octave = exp - 1 - kMinExp;
  if (octave < 0) return 0;
  if (octave >= kMaxExp - kMinExp) return kBuckets - 1;
  int sub = static_cast<int>((mant - 0.5) * 2 * kSubBuckets);
  if (sub >= kSubBuckets) sub = kSubBuckets - 1;
  return octave * kSubBuckets + sub;
}

double LatencyHistogram::BucketMid(int b) {
  int octave = b / kSubBuckets;
  int sub = b % kSubBuckets;
  double low = std::ldexp(1.0, octave + kMinExp);
  return low * (1.0 + (sub + 0.5) / kSubBuckets);
}

void LatencyHistogram::Add(double ms) {
  if (!counts_) counts_ = std::make_unique<uint32_t[]>(kBuckets);
  uint32_t& c = counts_[BucketOf(ms)];
  if (c != UINT32_MAX) ++c;
  ++count_;
  if (ms > max_) max_ = ms;
}

void LatencyHistogram::Merge(const LatencyHistogram& o) {
  if (!o.counts_) return;
  if (!counts_) counts_ = std::make_unique<uint32_t[]>(kBuckets);
  for (int i = 0; i < kBuckets; ++i) {
    uint64_t sum = uint64_t{counts_[i]} + o.counts_[i];
    counts_[i] = static_cast<uint32_t>(std::min<uint64_t>(sum, UINT32_MAX));
  }
  count_ += o.count_;
  max_ = std::max(max_, o.max_);
}

double LatencyHistogram::Percentile(double q) const {
  if (!counts_ || count_ == 0) return 0;
  if (q >= 1) return max_;
  q = std::max(q, 0.0);
  // The rank of the q-quantile (nearest rank, 1-based).
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(BucketMid(i), max_);
  }
  return max_;
}

}  // namespace inquest
