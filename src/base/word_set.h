// Which of a fixed set of words a text holds, ASCII case ignored, in one pass over the text: a
// table look-up per byte on the four bytes a word may start with, and an exact comparison only
// where one of the words may start. A pass over millions of records can ask about dozens of
// words for about the price of one scan of each record.
//
//   WordSet words;
//   size_t deployed = words.Add("deployed");       // the word's bit in WordSet::Found
//   WordSet::Found found;
//   words.Scan(message, &found);
//   if (found[deployed]) ...
//
// Words are compared byte for byte, ASCII letters in either case; up to kMaxWords words. A word
// shorter than kWordSetGram bytes is searched for on its own (a scan per such word).
#ifndef INQUEST_BASE_WORD_SET_H_
#define INQUEST_BASE_WORD_SET_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace inquest {

inline constexpr size_t kWordSetGram = 4;

class WordSet {
 public:
  static constexpr size_t kMaxWords = 128;
  using Found = std::bitset<kMaxWords>;

  WordSet() = default;
  explicit WordSet(std::initializer_list<std::string_view> words);
  // Adds a word and returns its bit. Past kMaxWords the word is not added and kMaxWords is
  // returned (a programming error: sets are built from tables in the code).
  size_t Add(std::string_view word);
  size_t size() const { return words_.size(); }

  // Sets the bit of every word `text` holds (bits already set stay set).
  void Scan(std::string_view text, Found* found) const;
  // Whether `text` holds any of the words.
  bool HoldsAny(std::string_view text) const;

 private:
  // A word's first kWordSetGram bytes, lower-cased, as one number.
  struct Start {
    uint32_t gram;
    uint16_t word;
  };
  static uint32_t Slot(const char* p);
  template <typename OnWord>
  void Each(std::string_view text, OnWord on_word) const;

  std::bitset<1 << 16> slots_;  // Slot() of every word's start
  std::vector<Start> starts_;   // sorted by gram
  std::vector<std::string> words_;
  std::vector<uint16_t> short_;  // words shorter than kWordSetGram
};

}  // namespace inquest

#endif  // INQUEST_BASE_WORD_SET_H_
