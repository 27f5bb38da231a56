#include "logs/key_index.h"

#include <cstring>

namespace inquest {
namespace {

// The first 16 bytes of a key, zero-padded, as two words: for keys of at most 16 bytes they hold
// every byte, so equal lengths and equal words mean equal keys.
inline void KeyWords(std::string_view s, uint64_t* head, uint64_t* tail) {
  size_t n = s.size();
  const char* p = s.data();
  uint64_t h = 0, t = 0;
  if (n >= 16) {
    memcpy(&h, p, 8);
    memcpy(&t, p + 8, 8);
  } else if (n > 8) {
    memcpy(&h, p, 8);
    memcpy(&t, p + n - 8, 8);  // bytes n-8 .. n-1: drop the ones before byte 8
    t >>= 8 * (16 - n);
  } else if (n >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + n - 4, 4);  // bytes n-4 .. n-1: drop the ones before byte 4
    h = lo | (static_cast<uint64_t>(hi) >> (8 * (8 - n)) << 32);
  } else {
    for (size_t i = 0; i < n; ++i)
      h |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  *head = h;
  *tail = t;
}

inline uint64_t Hash(uint64_t head, uint64_t tail, size_t n) {
  uint64_t h = head * 0x9E3779B97F4A7C15ULL ^ (tail + n) * 0xC2B2AE3D27D4EB4FULL;
  return h ^ (h >> 29);
}

}  // namespace

int KeyIndex::Find(std::string_view key) const {
  uint64_t head, tail;
  KeyWords(key, &head, &tail);
  return Probe(key, head, tail);
}

int KeyIndex::FindPadded(std::string_view key) const {
  uint64_t head, tail;
  PaddedKeyWords(key, &head, &tail);
  return Probe(key, head, tail);
}

int KeyIndex::Probe(std::string_view key, uint64_t head, uint64_t tail) const {
  size_t mask = table_.size() - 1;
  for (size_t h = Hash(head, tail, key.size()) & mask;; h = (h + 1) & mask) {
    const Slot& s = table_[h];
    if (s.index < 0) return -1;
    if (s.head == head && s.tail == tail && s.size == key.size() &&
        (key.size() <= 16 || keys_[static_cast<size_t>(s.index)] == key))
      return s.index;
  }
}

int KeyIndex::Add(std::string_view key) {
  if (int i = Find(key); i >= 0) return i;
  keys_.emplace_back(key);
  int i = static_cast<int>(keys_.size()) - 1;
  // At most a quarter full, so that a miss (most keys of most lines) ends at once.
  if (keys_.size() * 4 > table_.size()) {
    table_.assign(table_.size() * 2, Slot());
    for (int k = 0; k < i; ++k) Insert(k);
  }
  Insert(i);
  return i;
}

void KeyIndex::Insert(int i) {
  const std::string& key = keys_[static_cast<size_t>(i)];
  Slot s;
  KeyWords(key, &s.head, &s.tail);
  s.size = static_cast<uint32_t>(key.size());
  s.index = i;
  size_t mask = table_.size() - 1;
  size_t h = Hash(s.head, s.tail, key.size()) & mask;
  while (table_[h].index >= 0) h = (h + 1) & mask;
  table_[h] = s;
}

void KeyIndex::Clear() {
  keys_.clear();
  table_.assign(16, Slot());
}

}  // namespace inquest
