#include "native/runtime_memory.h"

#include <algorithm>
#include <cstring>

namespace inquest {

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

}  // namespace inquest
