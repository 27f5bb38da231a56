#include "base/strings.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace inquest {
namespace {

TEST(StringsTest, FindWordStandsAlone) {
  constexpr size_t npos = std::string_view::npos;
  EXPECT_EQ(FindWord("call Ledger: tls failed", "ledger", 0, false), 5u);
  EXPECT_EQ(FindWord("ledgers", "ledger", 0, false), npos);
  EXPECT_EQ(FindWord("pool inventory-client", "client", 0, false), 15u);
  EXPECT_EQ(FindWord("pool inventory-client", "client", 0, true), npos);
  EXPECT_EQ(FindWord("a client, a client", "client", 3, true), 12u);
  EXPECT_EQ(FindWord("x", "", 0, false), npos);
}

TEST(StringsTest, DidYouMean) {
  std::vector<std::string_view> cmds = {"analyze", "detect", "timeline", "rate", "changes"};
  EXPECT_EQ(ClosestMatch("timelin", cmds), "timeline");
  EXPECT_EQ(ClosestMatch("analyse", cmds), "analyze");
  EXPECT_EQ(ClosestMatch("chnages", cmds), "changes");
  EXPECT_EQ(ClosestMatch("xyzzy", cmds), "");
}

TEST(StringsTest, SanitizeReplacesControlAndInvalidUtf8) {
  EXPECT_EQ(SanitizeForTerminal("ok\x1b[31m"), "ok\xEF\xBF\xBD[31m");
  EXPECT_EQ(SanitizeForTerminal("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(SanitizeForTerminal("bad\xC3"), "bad\xEF\xBF\xBD");
}

TEST(StringsTest, SanitizeUtf8IsStrict) {
  EXPECT_EQ(SanitizeUtf8("ok\x01"), "ok\x01");                      // control bytes stay
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(SanitizeUtf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");                  // emoji
  EXPECT_EQ(SanitizeUtf8("\xF4\x90\x80\x80").substr(0, 3), "\xEF\xBF\xBD");         // > U+10FFFF
}

TEST(StringsTest, JsonEscapeIsValidUtf8) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_EQ(JsonEscape("\xff"), "\\ufffd");
  EXPECT_EQ(JsonEscape("\xE2\x82\xAC"), "\xE2\x82\xAC");
}

TEST(StringsTest, Numbers) {
  EXPECT_EQ(ParseInt("-42"), -42);
  EXPECT_FALSE(ParseInt("42x").has_value());
  EXPECT_FALSE(ParseInt("").has_value());
  EXPECT_DOUBLE_EQ(*ParseDouble("0.25"), 0.25);
}

TEST(StringsTest, MarkdownCellKeepsTheRowWhole) {
  EXPECT_EQ(MarkdownCell("a|b"), "a\\|b");
  EXPECT_EQ(MarkdownCell("line one\nline two\r"), "line one line two ");
  EXPECT_EQ(MarkdownCell("plain"), "plain");
}

}  // namespace
// UTF-16 as the JVM keeps names: a pair is one code point, a lone half is U+FFFD, an odd
// trailing byte is dropped.
TEST(AppendUtf16Test, PairsLoneSurrogatesAndOddBytes) {
  auto le = [](std::initializer_list<uint16_t> units) {
    std::string out;
    for (uint16_t u : units) {
      out.push_back(static_cast<char>(u & 0xff));
      out.push_back(static_cast<char>(u >> 8));
    }
    return out;
  };
  std::string out;
  AppendUtf16Le(le({'w', 0x00f6, 0x4efb, 0xd83d, 0xde00}), &out);
  EXPECT_EQ(out, "w\xc3\xb6\xe4\xbb\xbb\xf0\x9f\x98\x80");
  out.clear();
  AppendUtf16Le(le({0xde00, 'a', 0xd83d}) + "x", &out);
  EXPECT_EQ(out,
            "\xef\xbf\xbd"
            "a"
            "\xef\xbf\xbd");
}

// The same units written big-endian, as an HPROF dump writes a char[].
TEST(AppendUtf16Test, BigEndian) {
  std::string be;
  for (uint16_t u : {uint16_t{'w'}, uint16_t{0x00f6}, uint16_t{0xd83d}, uint16_t{0xde00}}) {
    be.push_back(static_cast<char>(u >> 8));
    be.push_back(static_cast<char>(u & 0xff));
  }
  std::string out;
  AppendUtf16(be, true, &out);
  EXPECT_EQ(out, "w\xc3\xb6\xf0\x9f\x98\x80");
}

}  // namespace inquest
