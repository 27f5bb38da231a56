#include "heap/duplicate_strings.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"

namespace inquest::heap {
namespace {

// A value's bytes mixed 8 at a time (pieces arrive in multiples of 8 but the last).
struct Hasher {
  uint64_t h = 0x243F6A8885A308D3ull;
  void Add(std::string_view bytes) {
    size_t k = 0;
    for (; k + 8 <= bytes.size(); k += 8) {
      uint64_t w;
      std::memcpy(&w, bytes.data() + k, 8);
      Mix(w);
    }
    uint64_t tail = 0;
    for (size_t j = 0; k < bytes.size(); ++k, ++j) tail |= uint64_t(uint8_t(bytes[k])) << (8 * j);
    if (tail != 0) Mix(tail);
  }
  void Mix(uint64_t w) {
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
};

// The text of a String's array: char[] is UTF-16 written big-endian in the dump; a compact
// string's byte[] is Latin-1, or UTF-16 in the machine's (little-endian) order when every
// other byte is zero.
std::string Decode(uint8_t type, std::string_view b) {
  std::string out;
  if (type == kTypeChar) {
    AppendUtf16(b, true, &out);
    return out;
  }
  bool utf16 = b.size() >= 2 && b.size() % 2 == 0;
  for (size_t k = 1; utf16 && k < b.size(); k += 2) utf16 = b[k] == 0;
  if (utf16) {
    AppendUtf16(b, false, &out);
    return out;
  }
  for (char c : b) AppendCodePoint(uint8_t(c), &out);
  return out;
}

struct Value {
  uint32_t count = 0;
  uint32_t copy_bytes = 0;  // one String and its array
};

}  // namespace

class DuplicateStringFinder::StringValues : public HprofVisitor {
 public:
  StringValues(const HeapGraph& g, const std::vector<uint8_t>& backing, uint64_t string_size)
      : g_(g), backing_(backing), string_size_(string_size) {}

  void OnPrimitiveArray(uint64_t id, uint8_t type, uint32_t length, uint64_t) override {
    want_ = false;
    if (type != kTypeChar && type != kTypeByte) return;
    uint32_t i = g_.Find(id);
    if (i == kNoIndex || backing_[i] == 0) return;
    want_ = true;
    array_ = i;
    type_ = type;
    remaining_ = uint64_t{length} * (type == kTypeChar ? 2 : 1);
    hash_ = Hasher{};
    head_.clear();
    if (remaining_ == 0) Finish();
  }
  bool WantsPrimitiveData(uint8_t, uint32_t) override { return want_; }
  void OnPrimitiveData(std::string_view bytes) override {
    if (!want_) return;
    hash_.Add(bytes);
    if (head_.size() < 4 * kShownChars)
      head_.append(bytes.substr(0, 4 * kShownChars - head_.size()));
    remaining_ -= std::min<uint64_t>(remaining_, bytes.size());
    if (remaining_ == 0) Finish();
  }

  absl::flat_hash_map<uint64_t, Value> values;
  absl::flat_hash_map<uint64_t, std::string> texts;  // duplicated values only

 private:
  void Finish() {
    want_ = false;
    uint64_t key = hash_.h ^ (uint64_t(g_.ArrayLength(array_)) * 0xC2B2AE3D27D4EB4Full) ^ type_;
    Value& v = values[key];
    v.count += backing_[array_];
    v.copy_bytes = static_cast<uint32_t>(g_.Shallow(array_) + string_size_);
    if (v.count >= 2 && !texts.contains(key)) texts[key] = Decode(type_, head_);
  }

  const HeapGraph& g_;
  const std::vector<uint8_t>& backing_;
  uint64_t string_size_;
  bool want_ = false;
  uint32_t array_ = 0;
  uint8_t type_ = 0;
  uint64_t remaining_ = 0;
  Hasher hash_;
  std::string head_;
};

DuplicateStringFinder::DuplicateStringFinder(const HeapGraph& g) {
  std::vector<bool> is_string(g.classes().size(), false);
  uint64_t string_size = 0;
  for (size_t k = 0; k < g.classes().size(); ++k)
    if (g.classes()[k].name == "java.lang.String" &&
        g.classes()[k].kind == HeapClass::Kind::kInstance) {
      is_string[k] = true;
      string_size = g.classes()[k].instance_size;
    }
  // The arrays behind the strings, with how many strings share each (saturating).
  backing_.assign(g.objects(), 0);
  for (uint32_t i = 0; i < g.objects(); ++i) {
    if (!is_string[g.ClassOf(i)]) continue;
    ++strings_;
    for (uint32_t e : g.Refs(i)) {
      uint32_t t = e & ~kWeakEdge;
      const HeapClass& c = g.classes()[g.ClassOf(t)];
      if (c.kind == HeapClass::Kind::kPrimitiveArray &&
          (c.element_type == kTypeChar || c.element_type == kTypeByte)) {
        if (backing_[t] < 255) ++backing_[t];
        break;
      }
    }
  }
  if (strings_ > 0) pass_ = std::make_unique<StringValues>(g, backing_, string_size);
}

DuplicateStringFinder::~DuplicateStringFinder() = default;

HprofVisitor* DuplicateStringFinder::visitor() { return pass_.get(); }

DuplicateStrings DuplicateStringFinder::Finish(size_t top) const {
  DuplicateStrings d;
  d.strings = strings_;
  if (!pass_) return d;
  const StringValues& pass = *pass_;
  d.distinct = pass.values.size();
  std::vector<std::pair<uint64_t, DuplicateString>> dups;
  for (const auto& [key, v] : pass.values) {
    if (v.count < 2) continue;
    uint64_t wasted = uint64_t(v.count - 1) * v.copy_bytes;
    d.wasted += wasted;
    auto text = pass.texts.find(key);
    dups.push_back(
        {key, DuplicateString{text == pass.texts.end() ? "" : text->second, v.count, wasted}});
  }
  std::sort(dups.begin(), dups.end(), [](const auto& a, const auto& b) {
    return a.second.wasted != b.second.wasted ? a.second.wasted > b.second.wasted
                                              : a.second.text < b.second.text;
  });
  for (size_t k = 0; k < dups.size() && k < top; ++k) {
    DuplicateString s = std::move(dups[k].second);
    if (s.text.size() > kShownChars) {
      size_t cut = kShownChars;
      while (cut > 0 && (uint8_t(s.text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
      s.text = s.text.substr(0, cut) + "…";
    }
    d.top.push_back(std::move(s));
  }
  return d;
}

}  // namespace inquest::heap
