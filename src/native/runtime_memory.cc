#include "native/runtime_memory.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace inquest {

PageCache::PageCache(ReadMemoryFn inner, size_t pages)
    : inner_(std::move(inner)), tags_(pages, 0), partial_(pages, 0), data_(pages * kPage) {}

bool PageCache::Read(uint64_t addr, void* out, size_t len) {
  uint64_t page = addr & ~(kPage - 1);
  if (len == 0 || tags_.empty() || addr - page + len > kPage) return inner_(addr, out, len);
  size_t slot = (page / kPage) % tags_.size();
  char* bytes = data_.data() + slot * kPage;
  if (tags_[slot] != page + 1) {
    if (partial_[slot] == page + 1) return inner_(addr, out, len);  // known not whole
    if (!inner_(page, bytes, kPage)) {
      tags_[slot] = 0;
      partial_[slot] = page + 1;  // the page is not whole in the core: read just these bytes
      return inner_(addr, out, len);
    }
    tags_[slot] = page + 1;
  }
  std::memcpy(out, bytes + (addr - page), len);
  return true;
}

bool RuntimeMemory::CString(uint64_t addr, size_t cap, std::string* out) const {
  out->clear();
  constexpr size_t kPiece = 64;
  char buf[kPiece];
  while (out->size() < cap) {
    // Up to the end of the current 64-byte block, so a read never crosses into an unmapped
    // page the string does not reach.
    uint64_t at = addr + out->size();
    size_t n = std::min<size_t>(kPiece - at % kPiece, cap - out->size());
    if (!Bytes(at, buf, n)) return false;
    const void* nul = std::memchr(buf, 0, n);
    if (nul != nullptr) {
      out->append(buf, static_cast<const char*>(nul) - buf);
      return true;
    }
    out->append(buf, n);
  }
  return false;
}

}  // namespace inquest
