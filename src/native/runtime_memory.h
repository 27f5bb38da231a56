// Reads of a dead process's memory for the runtime walkers (CPython, Go, HotSpot): every
// pointer they follow is read through a ReadMemoryFn, which fails outside the core and the
// files it maps, so a damaged structure ends a walk instead of crashing it.
//
//   RuntimeMemory m(read);
//   uint64_t next = 0;
//   if (!m.Get(node + 8, &next)) ...  // not in the core
#ifndef INQUEST_NATIVE_RUNTIME_MEMORY_H_
#define INQUEST_NATIVE_RUNTIME_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace inquest {

// Reads `len` bytes of the process's memory at `addr` into `out`; false when not all of them
// are in the core or in the files it maps.
using ReadMemoryFn = std::function<bool(uint64_t addr, void* out, size_t len)>;

// Typed reads over a ReadMemoryFn; address 0 and ranges that wrap around fail.
class RuntimeMemory {
 public:
  explicit RuntimeMemory(const ReadMemoryFn& read) : read_(read) {}
  template <typename T>
  bool Get(uint64_t addr, T* out) const {
    return Bytes(addr, out, sizeof(T));
  }
  bool Pointer(uint64_t addr, uint64_t* out) const { return Get(addr, out); }
  bool Bytes(uint64_t addr, void* out, size_t len) const {
    if (addr == 0 || addr + len < addr) return false;
    return read_(addr, out, len);
  }
  // The NUL-terminated string at `addr`, at most `cap` bytes (read in small pieces, so a
  // string near the end of a mapping is still read); false when no NUL comes within `cap`.
  bool CString(uint64_t addr, size_t cap, std::string* out) const;

 private:
  const ReadMemoryFn& read_;
};

// A ReadMemoryFn with a small direct-mapped cache of 4 KiB pages in front of it: the runtime
// walkers read a structure field by field and a stack word by word, and each read of the core
// is a system call. Reads that cross a page, or whose page cannot be read whole, go to `inner`
// (which should read the core alone: a page is never filled from another source).
// Memory: `pages` * 4 KiB, whatever the core's size.
class PageCache {
 public:
  static constexpr uint64_t kPage = 4096;
  PageCache(ReadMemoryFn inner, size_t pages = 256);
  bool Read(uint64_t addr, void* out, size_t len);
  ReadMemoryFn AsFn() {
    return [this](uint64_t addr, void* out, size_t len) { return Read(addr, out, len); };
  }

 private:
  ReadMemoryFn inner_;
  std::vector<uint64_t> tags_;     // page address + 1 per slot; 0: empty
  std::vector<uint64_t> partial_;  // per slot, a page known not to be whole in `inner` (+ 1)
  std::vector<char> data_;
};

}  // namespace inquest

#endif  // INQUEST_NATIVE_RUNTIME_MEMORY_H_
