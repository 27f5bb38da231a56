// Whether a text can hold anything the redaction rules (base/redact.h) find, decided at a few
// tenths of a cycle per byte: most of what inquest writes (log lines, timestamps, paths) holds
// nothing, and the rules then never run. Never says no to a text a rule would change; says yes
// to a few texts in a hundred that hold nothing (the rules then decide).
//
//   if (RedactPrefilter::Get().MayHold(line)) { ... run the rules ... }
//
// What it looks for: four-byte grams (ASCII case folded) of every sensitive key word and token
// prefix, found with a Teddy-style nibble filter on AVX2 (one pass of shuffles per 32 bytes,
// candidates checked against the grams), or a table look-up per byte without AVX2; '@' (URL
// passwords, e-mail); four digits in a row that start a run long enough for a card number;
// "-p" starting a word and "sk-".
#ifndef INQUEST_BASE_REDACT_PREFILTER_H_
#define INQUEST_BASE_REDACT_PREFILTER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace inquest {

// Card numbers have 13 to 19 digits (ISO/IEC 7812).
inline constexpr int kMinCardDigits = 13;
inline constexpr int kMaxCardDigits = 19;

// Whether position `i` of `s` starts a word for the rules ("--password X", "-pX", "Bearer X").
inline bool RedactWordStart(std::string_view s, size_t i) {
  if (i == 0) return true;
  char p = s[i - 1];
  return p == ' ' || p == '\t' || p == '"' || p == '\'' || p == '\n' || p == '(' || p == '[' ||
         p == '=' || p == ',';
}

class RedactPrefilter {
 public:
  // The one instance (built on first use; read-only afterwards, so any thread may use it).
  static const RedactPrefilter& Get();

  bool MayHold(std::string_view text) const;

  // The same without the AVX2 scan (tests compare the two).
  bool MayHoldScalar(std::string_view text) const;

 private:
  RedactPrefilter();
  void AddGram(const char* gram);
  bool GramAt(const char* p) const;  // 4 bytes at p
  bool OtherSigns(std::string_view text) const;
  bool GramsAvx2(std::string_view text, size_t* scanned) const;

  static constexpr size_t kTableWords = (1 << 16) / 64;
  uint64_t pairs_[kTableWords] = {};    // first two bytes of a gram, folded
  uint64_t grams_[kTableWords] = {};    // the four bytes, folded and hashed
  std::vector<uint32_t> fingerprints_;  // first three bytes of each gram, folded
  // Teddy tables: for each of the three fingerprint bytes, the buckets holding a fingerprint
  // with that low / high nibble there, repeated in both 128-bit lanes.
  alignas(32) uint8_t lo_[3][32] = {};
  alignas(32) uint8_t hi_[3][32] = {};
};

}  // namespace inquest

#endif  // INQUEST_BASE_REDACT_PREFILTER_H_
