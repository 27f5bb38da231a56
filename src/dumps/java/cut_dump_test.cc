// Real thread dumps cut at byte offsets inside the test, as a dump stops when the process dies
// or a pipe closes mid-write: the headline of every format says the dump is cut off and counts
// the threads read (out of the SMR list's total when the dump printed one), and the verdicts
// on what the dump does not show are less sure.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "dumps/java/dump_summary.h"
#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace cut_dump_test {

std::string Fixture(std::string_view name) {
  return ReadTestFile(TestFixturesDir() + "/dumps/java/" + std::string(name));
}

// Thread headers in `text` counted independently of the parser: lines that open with a quoted
// name, and of those the ones with a Java id ("#30"), which the SMR list counts.
size_t CountHeaders(std::string_view text, bool with_java_id) {
  static const std::regex kHeader(R"(^\s*"[^"]*")");
  static const std::regex kJavaHeader(R"(^\s*"[^"]*"\s+#\d+)");
  size_t n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? nl : nl - pos));
    if (std::regex_search(line, with_java_id ? kJavaHeader : kHeader)) ++n;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return n;
}

// The byte offset `into` bytes past the start of the k-th thread header (1-based).
size_t InsideThread(std::string_view text, size_t k, size_t into) {
  size_t at = 0;
  for (size_t i = 0; i < k; ++i) {
    at = text.find("\n\"", at + 1);
    if (at == std::string_view::npos) return text.size();
  }
  return std::min(text.size(), at + 1 + into);
}

// The analysis of `cut` must say it is cut off: `headline` first, `expected` in the detail of
// every format (the same text for a single dump).
void ExpectCutOff(std::string_view cut, const std::string& expected,
                  const std::string& headline = {}) {
  SCOPED_TRACE(expected);
  Result<DumpAnalysis> a = JavaThreadDumpReader().analyze("cut.txt", cut, DumpOptions{});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_FALSE(a->verdicts.empty());
  EXPECT_EQ(a->verdicts[0].kind, "dump-incomplete");
  EXPECT_EQ(a->verdicts[0].title, headline.empty() ? expected : headline);
  EXPECT_NE(a->text.find(expected), std::string::npos);
  EXPECT_NE(a->markdown.find(expected), std::string::npos);
  EXPECT_NE(a->json.str().find(fmt::format("\"incomplete\":\"{}\"", expected)), std::string::npos);
  EXPECT_NE(a->json.str().find("\"complete\":false"), std::string::npos);
  for (const Finding& f : a->verdicts) {
    if (f.kind == "no-deadlock") EXPECT_LE(f.confidence, kIncompleteDumpConfidence);
  }
}

TEST(CutDumpTest, Jdk25DumpCutAtSeveralOffsetsCountsJavaThreadsOfTheSmrList) {
  std::string whole = Fixture("jthreaddump/deadlock.txt");
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  // Whole, it is complete: no verdict about what is missing.
  Result<DumpAnalysis> full = JavaThreadDumpReader().analyze("d.txt", whole, DumpOptions{});
  ASSERT_TRUE(full.ok());
  EXPECT_NE(full->verdicts[0].kind, "dump-incomplete");
  const size_t listed = 16;  // "Threads class SMR info: ... length=16"
  ASSERT_NE(whole.find("length=16"), std::string::npos);
  for (size_t k : {1, 2, 5, 9, 16}) {
    for (size_t into : {10, 60, 400}) {
      size_t at = InsideThread(whole, k, into);
      std::string_view cut = std::string_view(whole).substr(0, at);
      size_t read = CountHeaders(cut, true);
      ASSERT_GT(read, 0u);
      ExpectCutOff(cut, fmt::format("cut off: {} of {} Java threads read", read, listed));
    }
  }
}

TEST(CutDumpTest, Jdk8DumpWithoutAnSmrListCountsThreadsRead) {
  std::string whole = Fixture("dumpling/openjdk-1.8.log");
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  for (double share : {0.1, 0.35, 0.5, 0.8, 0.95}) {
    size_t at = static_cast<size_t>(static_cast<double>(whole.size()) * share);
    std::string_view cut = std::string_view(whole).substr(0, at);
    size_t read = CountHeaders(cut, false);
    ExpectCutOff(cut, fmt::format("cut off after {}", JavaCount(read, "thread")));
  }
}

TEST(CutDumpTest, ASeriesSaysWhichDumpWasCut) {
  std::string whole = Fixture("tda/test.log");
  if (whole.empty()) GTEST_SKIP() << "fixtures not present";
  // Cut inside the third of three dumps: the first two end with <EndOfDump>.
  size_t third = whole.rfind("Full thread dump");
  ASSERT_NE(third, whole.find("Full thread dump"));
  size_t cut_at = whole.find("\n\"", third + 2000);
  ASSERT_NE(cut_at, std::string::npos);
  std::string_view cut = std::string_view(whole).substr(0, cut_at + 1);
  size_t read = CountHeaders(cut.substr(third), false);
  ASSERT_GT(read, 0u);
  std::string said = fmt::format("cut off after {}", JavaCount(read, "thread"));
  ExpectCutOff(cut, said, "dump 3 of 3: " + said);
}

}  // namespace cut_dump_test
}  // namespace inquest
