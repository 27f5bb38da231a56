#include "heap/id_index.h"

#include <algorithm>
#include <bit>

namespace inquest::heap {
namespace {

// About this many ids per bucket: the table costs 4 bytes per bucket.
constexpr uint64_t kIdsPerBucket = 16;

}  // namespace

void IdIndex::Build(std::vector<uint64_t> ids) {
  size_ = static_cast<uint32_t>(ids.size());
  small_.clear();
  wide_.clear();
  bucket_.clear();
  narrow_ = false;
  if (ids.empty()) return;
  base_ = ids.front();
  uint64_t gcd_bits = 0;
  for (uint64_t id : ids) gcd_bits |= id - base_;
  shift_ = gcd_bits == 0 ? 0 : std::countr_zero(gcd_bits);
  uint64_t span = (ids.back() - base_) >> shift_;
  narrow_ = span <= UINT32_MAX;
  // Buckets over the span: a power of two of about size/kIdsPerBucket.
  uint64_t buckets = std::bit_ceil(std::max<uint64_t>(1, ids.size() / kIdsPerBucket));
  uint64_t width = ids.back() - ids.front() + 1;
  bucket_shift_ = 0;
  while ((width >> bucket_shift_) > buckets) ++bucket_shift_;
  bucket_base_ = base_;
  uint64_t count = ((ids.back() - base_) >> bucket_shift_) + 2;
  bucket_.assign(count, 0);
  size_t r = 0;
  for (uint64_t b = 0; b < count; ++b) {
    while (r < ids.size() && ((ids[r] - base_) >> bucket_shift_) < b) ++r;
    bucket_[b] = static_cast<uint32_t>(r);
  }
  if (narrow_) {
    small_.resize(ids.size());
    for (size_t k = 0; k < ids.size(); ++k) small_[k] = Key(ids[k]);
  } else {
    wide_ = std::move(ids);
  }
}

uint32_t IdIndex::Find(uint64_t id) const {
  if (size_ == 0 || id < base_) return 0xFFFFFFFFu;
  uint64_t b = (id - bucket_base_) >> bucket_shift_;
  if (b + 1 >= bucket_.size()) return 0xFFFFFFFFu;
  uint32_t lo = bucket_[b], hi = bucket_[b + 1];
  if (narrow_) {
    if (((id - base_) & ((uint64_t{1} << shift_) - 1)) != 0) return 0xFFFFFFFFu;
    uint32_t key = Key(id);
    auto it = std::lower_bound(small_.begin() + lo, small_.begin() + hi, key);
    return it != small_.begin() + hi && *it == key ? uint32_t(it - small_.begin()) : 0xFFFFFFFFu;
  }
  auto it = std::lower_bound(wide_.begin() + lo, wide_.begin() + hi, id);
  return it != wide_.begin() + hi && *it == id ? uint32_t(it - wide_.begin()) : 0xFFFFFFFFu;
}

uint64_t IdIndex::bytes() const {
  return small_.capacity() * 4 + wide_.capacity() * 8 + bucket_.capacity() * 4;
}

}  // namespace inquest::heap
