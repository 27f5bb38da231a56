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

void AppendCodePoint(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else if (c < 0x110000) {
    out->push_back(static_cast<char>(0xf0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else {
    out->append("\xef\xbf\xbd");  // U+FFFD
  }
}

void AppendUtf16Le(std::string_view units, std::string* out) {
  auto unit = [&units](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(units[i]) |
                                 static_cast<unsigned char>(units[i + 1]) << 8);
  };
  for (size_t i = 0; i + 1 < units.size(); i += 2) {
    uint32_t c = unit(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 3 < units.size()) {
      uint32_t low = unit(i + 2);
      if (low >= 0xdc00 && low < 0xe000) {
        AppendCodePoint(0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00), out);
        i += 2;
        continue;
      }
    }
    AppendCodePoint(c >= 0xd800 && c < 0xe000 ? 0xfffd : c, out);
  }
}

}  // namespace inquest
