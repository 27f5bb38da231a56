#include "base/redact_prefilter.h"

#include <algorithm>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace inquest {
namespace {

constexpr size_t kGramChars = 4;
// The shortest text a rule finds anything in ("-pabc", "a@b.io").
constexpr size_t kMinRedactableChars = 5;
// Teddy buckets: one bit of a byte each.
constexpr size_t kBuckets = 8;

// The grams of what the rules look for, ASCII case folded when compared. Each rule's trigger
// has one here; a rule added to redact.cc adds its gram.
constexpr std::string_view kGrams[] = {
    // keys
    "pass", "pwd=", "pwd:", "pwd\"", "pwd'", "pwd ", "secr", "toke", "apik", "api_", "api-", "api ",
    "ss_k", "sske", "ntke", "nt_k", "priv", "auth", "cook", "cred", "sess", "sid=", "sid:", "sid\"",
    "sid'", "sig=", "sig:", "sig\"", "sig'", "-amz",
    // "access key", "signing key", "encryption key", "master key", "license key" ("api key",
    // "secret key", "private key": above)
    "ss k", "ng k", "on k", "er k", "se k",
    // credentials and blocks
    "bear", "basi", "---b", "hook",
    // token prefixes
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "_pat", "glpa", "gldt", "glrt", "glpt", "k_li", "k_te",
    "whse", "ya29", "aiza", "akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "asca",
    // AWS named (secret keys are only looked for then)
    "aws_", "aws-", "aws ", "aws.", "aws=", "aws:", "aws\"", "_aws", "-aws", " aws", ".aws",
    "\"aws", "/aws"};

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Four bytes with ASCII letters folded to lower case (other bytes move the same way in the
// grams and in the text, so they still compare equal to themselves).
uint32_t FoldedWord(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, sizeof x);
  return x | 0x20202020u;
}
uint32_t PairSlot(const char* p) {
  uint16_t x;
  std::memcpy(&x, p, sizeof x);
  return x | 0x2020u;
}
uint32_t GramSlot(const char* p) { return (FoldedWord(p) * 0x9E3779B1u) >> 16; }

// The start of the next four digits in a row at or after `from` (every card number starts with
// a group of four), or npos.
size_t FindFourDigits(std::string_view s, size_t from) {
  size_t n = s.size();
  size_t i = from;
#if defined(__AVX2__)
  const __m256i below = _mm256_set1_epi8('0' - 1), above = _mm256_set1_epi8('9' + 1);
  for (; i + 32 <= n; i += 29) {  // 29: a run starting in the last 3 bytes is seen next time
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
    uint32_t d = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpgt_epi8(v, below), _mm256_cmpgt_epi8(above, v))));
    uint32_t four = d & (d >> 1) & (d >> 2) & (d >> 3) & ((1u << 29) - 1);
    if (four != 0) return i + static_cast<size_t>(__builtin_ctz(four));
  }
#endif
  for (int run = 0; i < n; ++i) {
    run = IsAsciiDigit(s[i]) ? run + 1 : 0;
    if (run == 4) return i - 3;
  }
  return std::string_view::npos;
}

// Whether a run of digits, with single spaces or dashes between them, long enough for a card
// number starts at a group of four digits.
bool HasCardRun(std::string_view s) {
  for (size_t at = FindFourDigits(s, 0); at != std::string_view::npos;) {
    size_t i = at;
    int digits = 0;
    while (i < s.size()) {
      if (IsAsciiDigit(s[i])) {
        ++digits;
        ++i;
      } else if ((s[i] == ' ' || s[i] == '-') && i + 1 < s.size() && IsAsciiDigit(s[i + 1])) {
        ++i;
      } else {
        break;
      }
    }
    if (digits >= kMinCardDigits) return true;
    at = FindFourDigits(s, std::max(i, at + 1));
  }
  return false;
}

}  // namespace

const RedactPrefilter& RedactPrefilter::Get() {
  static const RedactPrefilter kPrefilter;
  return kPrefilter;
}

RedactPrefilter::RedactPrefilter() {
  for (std::string_view g : kGrams) AddGram(g.data());
  for (char c = 'a'; c <= 'z'; ++c) {  // Slack: xoxb-, xoxp-, ...
    char xox[kGramChars] = {'x', 'o', 'x', c};
    AddGram(xox);
  }
  // JWTs: "eyJ" ('{"' in base64url) and any fourth character.
  for (char c :
       std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) {
    char eyj[kGramChars] = {'e', 'y', 'J', c};
    AddGram(eyj);
  }
  // Teddy buckets: fingerprints sorted, so that one bucket holds alike ones (the fewer nibbles a
  // bucket mixes, the fewer positions pass by accident).
  std::sort(fingerprints_.begin(), fingerprints_.end());
  fingerprints_.erase(std::unique(fingerprints_.begin(), fingerprints_.end()), fingerprints_.end());
  for (size_t i = 0; i < fingerprints_.size(); ++i) {
    auto bit = static_cast<uint8_t>(1u << (i * kBuckets / fingerprints_.size()));
    for (int k = 0; k < 3; ++k) {
      uint8_t b = static_cast<uint8_t>(fingerprints_[i] >> (16 - 8 * k));
      for (int lane : {0, 16}) {
        lo_[k][lane + (b & 0xF)] |= bit;
        hi_[k][lane + (b >> 4)] |= bit;
      }
    }
  }
}

void RedactPrefilter::AddGram(const char* gram) {
  uint32_t pair = PairSlot(gram), slot = GramSlot(gram);
  pairs_[pair >> 6] |= uint64_t{1} << (pair & 63);
  grams_[slot >> 6] |= uint64_t{1} << (slot & 63);
  uint32_t folded = FoldedWord(gram);  // bytes in memory order: byte 0 lowest
  fingerprints_.push_back(((folded & 0xFF) << 16) | (folded & 0xFF00) | ((folded >> 16) & 0xFF));
}

bool RedactPrefilter::GramAt(const char* p) const {
  uint32_t pair = PairSlot(p), slot = GramSlot(p);
  return ((pairs_[pair >> 6] >> (pair & 63)) & (grams_[slot >> 6] >> (slot & 63)) & 1) != 0;
}

bool RedactPrefilter::OtherSigns(std::string_view s) const {
  if (std::memchr(s.data(), '@', s.size()) != nullptr) return true;
  if (HasCardRun(s)) return true;
  for (const char* d = static_cast<const char*>(std::memchr(s.data(), '-', s.size())); d != nullptr;
       d = static_cast<const char*>(std::memchr(d + 1, '-', s.size() - (d + 1 - s.data())))) {
    size_t i = static_cast<size_t>(d - s.data());
    // "-pPASSWORD" starts a word; "sk-" starts a key.
    if (i + 1 < s.size() && s[i + 1] == 'p' && RedactWordStart(s, i)) return true;
    if (i >= 2 && s[i - 1] == 'k' && s[i - 2] == 's') return true;
  }
  return false;
}

bool RedactPrefilter::GramsAvx2(std::string_view s, size_t* scanned) const {
  size_t i = 0;
#if defined(__AVX2__)
  const char* p = s.data();
  size_t n = s.size();
  const __m256i fold = _mm256_set1_epi8(0x20), low = _mm256_set1_epi8(0x0F);
  __m256i lo[3], hi[3];
  for (int k = 0; k < 3; ++k) {
    lo[k] = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo_[k]));
    hi[k] = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi_[k]));
  }
  auto buckets = [&](const char* at, int k) {
    __m256i v = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(at)), fold);
    __m256i l = _mm256_shuffle_epi8(lo[k], _mm256_and_si256(v, low));
    __m256i h = _mm256_shuffle_epi8(hi[k], _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
    return _mm256_and_si256(l, h);
  };
  // 32 positions per round; their fingerprints reach 2 bytes past them.
  for (; i + 32 + 2 <= n; i += 32) {
    __m256i m = _mm256_and_si256(_mm256_and_si256(buckets(p + i, 0), buckets(p + i + 1, 1)),
                                 buckets(p + i + 2, 2));
    auto cand =
        ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256())));
    while (cand != 0) {
      size_t at = i + static_cast<size_t>(__builtin_ctz(cand));
      if (at + kGramChars <= n && GramAt(p + at)) return true;
      cand &= cand - 1;
    }
  }
#endif
  *scanned = i;
  return false;
}

bool RedactPrefilter::MayHold(std::string_view s) const {
  if (s.size() < kMinRedactableChars) return false;
  if (OtherSigns(s)) return true;
  size_t from = 0;
  if (GramsAvx2(s, &from)) return true;
  for (size_t i = from; i + kGramChars <= s.size(); ++i)
    if (GramAt(s.data() + i)) return true;
  return false;
}

bool RedactPrefilter::MayHoldScalar(std::string_view s) const {
  if (s.size() < kMinRedactableChars) return false;
  if (OtherSigns(s)) return true;
  for (size_t i = 0; i + kGramChars <= s.size(); ++i)
    if (GramAt(s.data() + i)) return true;
  return false;
}

}  // namespace inquest
