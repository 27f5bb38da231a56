// Real goroutine dumps cut inside the test at every call line: a dump that ends mid-record says
// so first, and the complete dump does not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dumps/go/go_dump.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

TEST(GoCutDumpTest, ADumpCutMidRecordSaysSoFirst) {
  for (const char* name : {"waitsince.txt", "frameselided.txt", "go121_createdby.txt"}) {
    std::string whole = ReadTestFile(TestFixture("dumps", std::string("go/") + name));
    ASSERT_FALSE(whole.empty()) << name;
    GoDump complete = ReadGoDump(whole, StackSimilarity::kIgnoreWaitTime);
    EXPECT_FALSE(complete.cut_off) << name;
    for (const Finding& f : GoVerdicts(complete, name, kNoTime))
      EXPECT_NE(f.kind, "dump-incomplete") << name;
    // Cut a few characters into call lines (a function name without its arguments): the
    // record is visibly broken. A cut that leaves a line that still reads ("file.go:116 +0x")
    // or falls between two goroutines leaves no mark, and is not asked for.
    size_t cut = 0;
    for (size_t at = 0; (at = whole.find("\n", at)) != std::string::npos; ++at) {
      size_t start = at + 1;
      if (start + 8 >= whole.size() || whole[start] == '\t' || whole[start] == '\n' ||
          whole.compare(start, 10, "goroutine ") == 0 ||
          whole.find('(', start) > whole.find('\n', start))
        continue;
      size_t end = start + 5;
      GoDump dump =
          ReadGoDump(std::string_view(whole).substr(0, end), StackSimilarity::kIgnoreWaitTime);
      if (dump.records == 0) continue;  // cut before the first goroutine: not a dump yet
      ++cut;
      EXPECT_TRUE(dump.cut_off) << name << " cut at " << end;
      std::vector<Finding> v = GoVerdicts(dump, name, kNoTime);
      ASSERT_FALSE(v.empty()) << name << " cut at " << end;
      EXPECT_EQ(v[0].kind, "dump-incomplete") << name << " cut at " << end;
      EXPECT_NE(v[0].title.find("cut off"), std::string::npos) << v[0].title;
      EXPECT_NE(v[0].title.find(std::to_string(dump.records) + " goroutine"), std::string::npos)
          << v[0].title;
      for (size_t i = 1; i < v.size(); ++i) EXPECT_LE(v[i].confidence, 0.6) << v[i].title;
    }
    EXPECT_GE(cut, 3u) << name;
  }
}

}  // namespace
}  // namespace inquest
