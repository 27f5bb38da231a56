// Change texts echoed by the error records; see change_echo.h.
#include "timeline/change_echo.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"

namespace inquest {
namespace {

// Words of change summaries that say nothing about what changed.
constexpr std::string_view kStopWords[] = {
    "the",    "and",      "for",    "from",       "with",    "into",    "onto",    "set",
    "was",    "are",      "this",   "that",       "new",     "old",     "via",     "per",
    "all",    "not",      "by",     "to",         "of",      "on",      "in",      "at",
    "deploy", "deployed", "canary", "rollout",    "rolled",  "release", "merged",  "merge",
    "change", "changed",  "update", "updated",    "enable",  "enabled", "disable", "disabled",
    "turned", "off",      "prod",   "production", "staging", "percent"};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool Keep(std::string_view w) {
  if (w.size() < 3 || w.size() > 80) return false;
  if (std::all_of(w.begin(), w.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return false;
  if (!IsAlnum(w.front()) || !IsAlnum(w.back())) return false;
  std::string lower = ToLower(w);
  return std::find(std::begin(kStopWords), std::end(kStopWords), lower) == std::end(kStopWords);
}

}  // namespace

std::vector<std::string> ChangeWords(std::string_view text) {
  std::set<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsAlnum(text[i])) ++i;
    size_t b = i;
    while (i < text.size() &&
           (IsAlnum(text[i]) || text[i] == '.' || text[i] == '-' || text[i] == '_'))
      ++i;
    std::string_view tok = text.substr(b, i - b);
    while (!tok.empty() && !IsAlnum(tok.back())) tok.remove_suffix(1);
    if (tok.empty()) continue;
    if (i < text.size() && text[i] == '=') continue;  // a key ("reason=..."), not content
    if (Keep(tok)) out.insert(ToLower(tok));
    // The parts of "tls-ledger", "feature_x": each may be what the errors say.
    size_t p = 0;
    while (p < tok.size()) {
      size_t q = tok.find_first_of("-_", p);
      if (q == std::string_view::npos) q = tok.size();
      std::string_view part = tok.substr(p, q - p);
      if (part.size() != tok.size() && Keep(part) && part.find('.') == std::string_view::npos)
        out.insert(ToLower(part));
      p = q + 1;
    }
  }
  return {out.begin(), out.end()};
}

bool QuotesWord(std::string_view text, std::string_view word) {
  for (size_t at = FindWord(text, word, 0, false); at != std::string_view::npos;
       at = FindWord(text, word, at + 1, false)) {
    size_t after = at + word.size();
    // A key, not content: "reason=...", "\"reason\":".
    if (after < text.size() && text[after] == '=') continue;
    if (after + 1 < text.size() && text[after] == '"' && text[after + 1] == ':') continue;
    return true;
  }
  return false;
}

std::vector<ChangeEcho> FindChangeEchoes(const std::vector<Change>& changes,
                                         const std::vector<std::string_view>& error_texts,
                                         const std::vector<std::string_view>& normal_texts) {
  std::vector<ChangeEcho> out(changes.size());
  if (error_texts.empty()) return out;
  std::map<std::string, bool> distinctive;  // word -> rare before the onset
  auto rare = [&](const std::string& w) {
    auto [it, added] = distinctive.try_emplace(w, false);
    if (!added) return it->second;
    size_t seen = 0;
    for (std::string_view t : normal_texts) seen += QuotesWord(t, w);
    it->second =
        normal_texts.empty() ||
        static_cast<double>(seen) / static_cast<double>(normal_texts.size()) <= kMaxNormalShare;
    return it->second;
  };
  for (size_t c = 0; c < changes.size(); ++c) {
    std::vector<std::string> words;
    for (std::string& w : ChangeWords(changes[c].what + " " + changes[c].subject))
      if (rare(w)) words.push_back(std::move(w));
    if (words.empty()) continue;
    std::vector<size_t> per_word(words.size(), 0);
    size_t quoting = 0;
    for (std::string_view t : error_texts) {
      bool any = false;
      for (size_t k = 0; k < words.size(); ++k)
        if (QuotesWord(t, words[k])) {
          ++per_word[k];
          any = true;
        }
      quoting += any;
    }
    if (quoting == 0) continue;
    size_t best =
        static_cast<size_t>(std::max_element(per_word.begin(), per_word.end()) - per_word.begin());
    out[c].share = static_cast<double>(quoting) / static_cast<double>(error_texts.size());
    out[c].word = words[best];
  }
  return out;
}

}  // namespace inquest
