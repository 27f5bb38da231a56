// Same item or another one, by the words two texts share (store/item_identity.h).
#include "store/item_identity.h"

#include <algorithm>
#include <set>

namespace inquest::store {
namespace {

// Words that say nothing about what an item is: function words and the verbs every action
// item starts with. Two items sharing only these are not the same item.
const std::set<std::string, std::less<>>& StopWords() {
  static const std::set<std::string, std::less<>> kWords = {
      "a",    "an",     "and",    "are",   "as",    "at",     "be",    "by",     "can",
      "do",   "for",    "from",   "has",   "have",  "if",     "in",    "into",   "is",
      "it",   "its",    "no",     "not",   "of",    "on",     "or",    "our",    "so",
      "than", "that",   "the",    "their", "then",  "there",  "this",  "to",     "was",
      "we",   "when",   "where",  "which", "while", "will",   "with",  "within", "add",
      "make", "ensure", "use",    "set",   "get",   "all",    "any",   "each",   "every",
      "more", "new",    "should", "must",  "after", "before", "about", "per",    "via",
  };
  return kWords;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// A crude stem, so that singular and plural meet: "misses" and "miss" -> "miss", "caches" and
// "cache" -> "cach", "policies" and "policy" -> "policy"; "status", "analysis" keep their s.
std::string Stem(std::string w) {
  if (w.size() >= 5 && w.ends_with("ies")) {
    w.resize(w.size() - 3);
    w += 'y';
    return w;
  }
  if (w.size() > 3 && w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") &&
      !w.ends_with("is")) {
    w.pop_back();
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

}  // namespace

std::vector<std::string> SignificantWords(std::string_view text) {
  std::set<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordByte(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    std::string w(text.substr(start, i - start));
    for (char& c : w) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (w.size() < 2 || StopWords().contains(w)) continue;
    words.insert(Stem(std::move(w)));
  }
  return {words.begin(), words.end()};
}

double WordOverlap(std::string_view a, std::string_view b) {
  if (a == kNoActionText || b == kNoActionText) return 1;
  std::vector<std::string> wa = SignificantWords(a), wb = SignificantWords(b);
  if (wa.empty() || wb.empty()) return 1;
  std::vector<std::string> common;
  std::set_intersection(wa.begin(), wa.end(), wb.begin(), wb.end(), std::back_inserter(common));
  return static_cast<double>(common.size()) / static_cast<double>(std::min(wa.size(), wb.size()));
}

bool LikelySameItem(std::string_view a, std::string_view b) {
  return WordOverlap(a, b) >= kMinSameItemOverlap;
}

}  // namespace inquest::store
