// Memory for large tables touched at random (a hash table of a million requests): blocks of 2 MiB
// and more are mapped aligned to 2 MiB and offered to the kernel for transparent huge pages
// (madvise(MADV_HUGEPAGE); Debian's default THP mode honours exactly that). One fault then maps
// 2 MiB instead of 4 KiB: on a 100 MB table, 50 faults instead of 25,000, each of which costs
// more under virtualisation than the zeroing it does. Smaller blocks come from operator new.
// Where the kernel has no huge pages, the advice is ignored and the memory is ordinary.
//
//   absl::flat_hash_map<K, V, absl::Hash<K>, std::equal_to<K>,
//                       LargePageAllocator<std::pair<const K, V>>> table;
#ifndef INQUEST_BASE_LARGE_PAGES_H_
#define INQUEST_BASE_LARGE_PAGES_H_

#include <cstddef>
#include <new>

namespace inquest {

inline constexpr size_t kLargePageBytes = size_t{2} << 20;

// `bytes` of memory aligned for any type; throws std::bad_alloc when there is none.
void* AllocateLarge(size_t bytes);
// Frees what AllocateLarge(bytes) returned, given the same `bytes`.
void FreeLarge(void* p, size_t bytes) noexcept;

template <typename T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <typename U>
  LargePageAllocator(const LargePageAllocator<U>&) {}  // NOLINT: rebinding is implicit
  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(AllocateLarge(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { FreeLarge(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const LargePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace inquest

#endif  // INQUEST_BASE_LARGE_PAGES_H_
