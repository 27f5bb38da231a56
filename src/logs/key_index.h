// A set of short keys, numbered in the order they were added, with a lookup cheap enough to run
// on every key of every structured line: one probe of a small open-addressing table, keys of up
// to 16 bytes compared as two words, no allocation. FieldNames (the role of a key) and the
// attributes a scan wants (LoadOptions::attributes) are built on it.
//
//   KeyIndex keys;
//   keys.Add("latency_ms");
//   if (keys.Find(key) >= 0) ...
#ifndef INQUEST_LOGS_KEY_INDEX_H_
#define INQUEST_LOGS_KEY_INDEX_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace inquest {

// The first 16 bytes of `key`, zero-padded past its end, as two words, for a key followed by at
// least 16 readable bytes (a key inside a line that simdjson parses): two loads, masked, no
// branch on the key's length. For keys of at most 16 bytes, equal sizes and words mean equal
// keys.
inline void PaddedKeyWords(std::string_view key, uint64_t* head, uint64_t* tail) {
  size_t n = key.size();
  uint64_t h, t;
  memcpy(&h, key.data(), 8);
  memcpy(&t, key.data() + 8, 8);
  *head = n >= 8 ? h : h & ((uint64_t{1} << (8 * n)) - 1);
  *tail = n >= 16 ? t : n <= 8 ? 0 : t & ((uint64_t{1} << (8 * (n - 8))) - 1);
}

class KeyIndex {
 public:
  // Adds `key` unless present; returns its number (0, 1, ... in the order keys were added).
  int Add(std::string_view key);
  // The number of `key`, or -1. Keys compare byte for byte.
  int Find(std::string_view key) const;
  // The same for a key followed by at least 16 readable bytes (a key inside a line that
  // simdjson parses, which has SIMDJSON_PADDING bytes after it): no branch on the key's length.
  int FindPadded(std::string_view key) const;
  bool Contains(std::string_view key) const { return Find(key) >= 0; }
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  // The key numbered `i` (0 <= i < size()); valid while the index lives and is not added to.
  std::string_view key(int i) const { return keys_[static_cast<size_t>(i)]; }
  void Clear();

 private:
  // One place of the open-addressing table, holding what a probe compares so that a lookup
  // touches one cache line of it.
  struct Slot {
    uint64_t head = 0, tail = 0;  // the first 16 bytes of the key, zero-padded
    uint32_t size = 0;
    int32_t index = -1;  // into keys_; -1: empty
  };
  void Insert(int i);
  int Probe(std::string_view key, uint64_t head, uint64_t tail) const;
  std::vector<std::string> keys_;
  std::vector<Slot> table_ = std::vector<Slot>(16);
};

}  // namespace inquest

#endif  // INQUEST_LOGS_KEY_INDEX_H_
