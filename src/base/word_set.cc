#include "base/word_set.h"

#include <algorithm>
#include <cstring>

namespace inquest {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

uint32_t ExactGram(const char* p) {
  char b[kWordSetGram];
  for (size_t i = 0; i < kWordSetGram; ++i) b[i] = LowerAscii(p[i]);
  uint32_t x;
  std::memcpy(&x, b, sizeof x);
  return x;
}

// Whether `text` at `at` holds `word` (lower case), ASCII case ignored.
bool HoldsAt(std::string_view text, size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (LowerAscii(text[at + i]) != word[i]) return false;
  return true;
}

}  // namespace

WordSet::WordSet(std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) Add(w);
}

uint32_t WordSet::Slot(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, sizeof x);
  x |= 0x20202020u;  // a cheap fold: equal letters of either case land on the same slot
  return (x * 0x9E3779B1u) >> 16;
}

size_t WordSet::Add(std::string_view word) {
  if (words_.size() >= kMaxWords) return kMaxWords;
  const auto id = static_cast<uint16_t>(words_.size());
  std::string lower(word);
  for (char& c : lower) c = LowerAscii(c);
  words_.push_back(lower);
  if (lower.size() < kWordSetGram) {
    short_.push_back(id);
    return id;
  }
  slots_.set(Slot(lower.data()));
  Start s{ExactGram(lower.data()), id};
  starts_.insert(std::upper_bound(starts_.begin(), starts_.end(), s,
                                  [](const Start& a, const Start& b) { return a.gram < b.gram; }),
                 s);
  return id;
}

template <typename OnWord>
void WordSet::Each(std::string_view text, OnWord on_word) const {
  for (uint16_t w : short_) {
    const std::string& word = words_[w];
    for (size_t at = 0; at + word.size() <= text.size(); ++at)
      if (HoldsAt(text, at, word)) {
        if (!on_word(w)) return;
        break;
      }
  }
  if (text.size() < kWordSetGram || starts_.empty()) return;
  const size_t last = text.size() - kWordSetGram;
  for (size_t at = 0; at <= last; ++at) {
    if (!slots_.test(Slot(text.data() + at))) continue;
    const uint32_t gram = ExactGram(text.data() + at);
    auto it = std::lower_bound(starts_.begin(), starts_.end(), gram,
                               [](const Start& s, uint32_t g) { return s.gram < g; });
    for (; it != starts_.end() && it->gram == gram; ++it)
      if (HoldsAt(text, at, words_[it->word]) && !on_word(it->word)) return;
  }
}

void WordSet::Scan(std::string_view text, Found* found) const {
  Each(text, [found](uint16_t w) {
    found->set(w);
    return true;
  });
}

bool WordSet::HoldsAny(std::string_view text) const {
  bool any = false;
  Each(text, [&any](uint16_t) {
    any = true;
    return false;
  });
  return any;
}

}  // namespace inquest
