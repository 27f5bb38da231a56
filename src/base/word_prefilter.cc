#include "base/word_prefilter.h"

#include <cstring>

namespace inquest {

uint32_t WordPrefilter::Slot(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, sizeof x);
  x |= 0x20202020u;  // ASCII letters to lower case (other bytes move the same way in words)
  return (x * 0x9E3779B1u) >> 16;
}

void WordPrefilter::Add(std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) Add(w);
}

void WordPrefilter::Add(std::string_view word) {
  if (word.size() < kPrefilterGram) {
    any_text_ = true;
    return;
  }
  grams_.set(Slot(word.data()));
}

bool WordPrefilter::MayContain(std::string_view text) const {
  if (any_text_) return true;
  if (text.size() < kPrefilterGram) return false;
  const char* p = text.data();
  const char* end = p + text.size() - kPrefilterGram + 1;
  for (; p < end; ++p)
    if (grams_.test(Slot(p))) return true;
  return false;
}

}  // namespace inquest
