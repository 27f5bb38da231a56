#include "base/large_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace inquest {
namespace {

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

void* AllocateLarge(size_t bytes) {
  if (bytes < kLargePageBytes) return ::operator new(bytes);
  // Map one huge page more than needed, then give back the unaligned ends.
  const size_t size = RoundUp(bytes, kLargePageBytes);
  if (size < bytes || size + kLargePageBytes < size) throw std::bad_alloc();
  void* raw = mmap(nullptr, size + kLargePageBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = RoundUp(start, kLargePageBytes);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + size + kLargePageBytes;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  void* p = reinterpret_cast<void*>(aligned);
  madvise(p, size, MADV_HUGEPAGE);  // advice: ignored where the kernel has none to give
  return p;
}

void FreeLarge(void* p, size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes < kLargePageBytes) {
    ::operator delete(p);
    return;
  }
  munmap(p, RoundUp(bytes, kLargePageBytes));
}

}  // namespace inquest
