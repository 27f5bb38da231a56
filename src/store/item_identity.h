// Whether an action item's new text still describes the same item: an import keys items by
// their id column, and a text rewritten beyond recognition under a kept id is most likely
// another item (rows swapped, an id reused), whose ticket, status and notes must not follow it.
//
//   if (!LikelySameItem(stored_text, document_text)) { /* store as a new item, keep the old */ }
#ifndef INQUEST_STORE_ITEM_IDENTITY_H_
#define INQUEST_STORE_ITEM_IDENTITY_H_

#include <string>
#include <string_view>
#include <vector>

namespace inquest::store {

// An edit that keeps at least half of the shorter text's significant words is the same item
// reworded ("Alert on misses" -> "Alert when the miss ratio exceeds 20%": 2 of 2 kept); below
// that it is taken for another item ("Coalesce origin fetches" -> "Require a change ticket for
// catalog flushes": 0 of 3). Half is where a rewrite has changed what the item is about rather
// than how it is said: refinements keep their nouns, swapped rows share none.
inline constexpr double kMinSameItemOverlap = 0.5;

// The text `pm import` stores for an item the document gives none; it says nothing about which
// item it is.
inline constexpr std::string_view kNoActionText = "(no text)";

// The words that carry meaning: lowercase runs of letters and digits (bytes of UTF-8
// sequences count as letters), without function words and generic verbs ("the", "add",
// "ensure"), crudely stemmed so that plural and singular meet ("misses" -> "miss", "caches" ->
// "cach"); sorted, each once.
std::vector<std::string> SignificantWords(std::string_view text);

// |A ∩ B| / min(|A|, |B|) over SignificantWords; 1 when either text has no significant word
// or is kNoActionText (nothing to judge by: a text filled in for a placeholder is the same
// item).
double WordOverlap(std::string_view a, std::string_view b);

// WordOverlap(a, b) >= kMinSameItemOverlap.
bool LikelySameItem(std::string_view a, std::string_view b);

}  // namespace inquest::store

#endif  // INQUEST_STORE_ITEM_IDENTITY_H_
