// Small string helpers that the standard library lacks.
#ifndef INQUEST_BASE_STRINGS_H_
#define INQUEST_BASE_STRINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inquest {

// Levenshtein distance (for did-you-mean).
size_t EditDistance(std::string_view a, std::string_view b);
// The candidate closest to `word` within a distance of max(2, len/3), or empty.
std::string_view ClosestMatch(std::string_view word,
                              const std::vector<std::string_view>& candidates);

// A space or a tab: what separates the fields of a log line.
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }
std::string_view TrimSpace(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// The first place at or after `from` where `word` stands in `text` as a word, ASCII case
// ignored: no letter or digit glued to either side, nor '-' or '_' when `dash_joins` ("client"
// is not a word of "inventory-client" then). npos when none.
size_t FindWord(std::string_view text, std::string_view word, size_t from, bool dash_joins);
std::string ToLower(std::string_view s);
// What follows the last '/' of a path (the whole path when it has none).
std::string Basename(const std::string& path);
// Whole-string integer / double parses; nullopt on any junk.
std::optional<int64_t> ParseInt(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);
// Replaces control bytes and invalid UTF-8 with U+FFFD so text is safe to print.
std::string SanitizeForTerminal(std::string_view s);
// Replaces each invalid UTF-8 sequence with U+FFFD, leaving everything else (control bytes
// included) as it is.
std::string SanitizeUtf8(std::string_view s);
// JSON string escaping (without the quotes).
std::string JsonEscape(std::string_view s);
// JsonEscape(s) appended to `out`, without a string of its own.
void AppendJsonEscaped(std::string_view s, std::string* out);
// HTML escaping of &, <, >, " and '.
std::string HtmlEscape(std::string_view s);
// Text safe inside one cell of a Markdown table: '|' escaped, line breaks turned into spaces
// (either would end the cell or the row).
std::string MarkdownCell(std::string_view s);

// Appends the UTF-8 of code point `c` (U+FFFD past U+10FFFF): runtimes keep text as Latin-1,
// UTF-16 or UCS-4 code units.
void AppendCodePoint(uint32_t c, std::string* out);
// Appends the UTF-8 of UTF-16 code units in either byte order (a trailing odd byte is
// ignored): a surrogate pair as its code point, a lone surrogate as U+FFFD.
void AppendUtf16(std::string_view units, bool big_endian, std::string* out);
inline void AppendUtf16Le(std::string_view units, std::string* out) {
  AppendUtf16(units, false, out);
}

// A byte count for people: "512 B", "3.4 KiB", "1.2 GiB" (binary units, one decimal).
std::string HumanBytes(uint64_t bytes);
// A count with thousands separated by commas: 1234567 -> "1,234,567".
std::string WithThousands(uint64_t n);

}  // namespace inquest

#endif  // INQUEST_BASE_STRINGS_H_
