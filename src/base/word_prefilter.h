// A fast "might contain" test for a fixed set of words, ASCII case ignored: one table look-up per
// byte of text, so a pass over millions of records can skip the exact word search on nearly all
// of them. Never says no to a text that holds a word; says yes to about one 100-byte text in
// ten that holds none (then the caller's exact search decides).
//
//   static const WordPrefilter kWords({"deployed", "rollback"});
//   if (kWords.MayContain(text) && ExactSearch(text)) ...
//
// Words shorter than kPrefilterGram bytes make every text a candidate.
#ifndef INQUEST_BASE_WORD_PREFILTER_H_
#define INQUEST_BASE_WORD_PREFILTER_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace inquest {

inline constexpr size_t kPrefilterGram = 4;

class WordPrefilter {
 public:
  WordPrefilter() = default;
  explicit WordPrefilter(std::initializer_list<std::string_view> words) { Add(words); }
  void Add(std::initializer_list<std::string_view> words);
  void Add(std::string_view word);
  // False only when `text` holds none of the words.
  bool MayContain(std::string_view text) const;

 private:
  static uint32_t Slot(const char* p);
  std::bitset<1 << 16> grams_;
  bool any_text_ = false;  // a word too short to filter on
};

}  // namespace inquest

#endif  // INQUEST_BASE_WORD_PREFILTER_H_
