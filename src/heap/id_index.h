// Object ids (addresses) to dense numbers and back, 4 bytes per object when the heap's span
// allows it (offset from the lowest id, in units of the ids' common alignment, fits 32 bits: any
// heap under 32 GB with 8-byte alignment), else 8. A table over the ids' top bits narrows each
// look-up to a few dozen entries before the binary search.
//
//   IdIndex ids;
//   ids.Build(std::move(sorted_unique_ids));
//   uint32_t n = ids.Find(0x7f001000);   // its rank, or kNoIndex
//   uint64_t id = ids.At(n);
#ifndef INQUEST_HEAP_ID_INDEX_H_
#define INQUEST_HEAP_ID_INDEX_H_

#include <cstdint>
#include <vector>

namespace inquest::heap {

class IdIndex {
 public:
  // `ids` sorted, without repeats.
  void Build(std::vector<uint64_t> ids);
  // The rank of `id`, or 0xFFFFFFFF when it is not an object's.
  uint32_t Find(uint64_t id) const;
  uint64_t At(uint32_t rank) const {
    return narrow_ ? base_ + (uint64_t{small_[rank]} << shift_) : wide_[rank];
  }
  uint32_t size() const { return size_; }
  // Bytes held, for the record of what the graph costs.
  uint64_t bytes() const;

 private:
  uint32_t Key(uint64_t id) const { return uint32_t((id - base_) >> shift_); }

  uint32_t size_ = 0;
  bool narrow_ = false;
  uint64_t base_ = 0;
  int shift_ = 0;
  std::vector<uint32_t> small_;  // (id - base) >> shift, when narrow
  std::vector<uint64_t> wide_;
  // bucket_[b] is the first rank whose id falls in bucket b (the id's top bits), for b up to
  // the bucket count; the search for an id stays between bucket_[b] and bucket_[b + 1].
  std::vector<uint32_t> bucket_;
  int bucket_shift_ = 0;
  uint64_t bucket_base_ = 0;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_ID_INDEX_H_
