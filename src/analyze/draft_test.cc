// The draft's discipline: the primer's template sections in order, claims cite evidence, and
// what evidence cannot show is a marked question rather than an invention.
#include "analyze/draft.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/support/test_files.h"

namespace inquest {
namespace {

std::string Draft() {
  AnalyzeOptions opts;
  opts.dir = TestSourceDir() + "/examples/checkout-stampede";
  Result<Analysis> r = AnalyzeBundle(opts, nullptr);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return PostmortemMarkdown(*r);
}

TEST(DraftTest, TemplateSectionsInOrder) {
  std::string md = Draft();
  size_t pos = 0;
  for (const char* h :
       {"# Post-Mortem:", "## Summary", "## Impact", "## Detection", "## Timeline (UTC)",
        "## Root cause & contributing factors", "## Causal analysis", "## Resolution",
        "## Action items", "## What went well", "## Appendix"}) {
    size_t at = md.find(h, pos);
    ASSERT_NE(at, std::string::npos) << h;
    pos = at;
  }
}

TEST(DraftTest, TimelineAndFactorsCiteEvidence) {
  std::string md = Draft();
  std::istringstream in(md);
  std::string line, section;
  int cited = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) section = line;
    bool claim = line.starts_with("- ") ||
                 (line.size() > 3 && line[0] >= '1' && line[0] <= '9' && line[1] == '.');
    if (!claim || line.ends_with(":")) continue;  // a list's heading, not a claim
    if (section == "## Timeline (UTC)" || section.starts_with("## Root cause") ||
        section.starts_with("## Causal")) {
      bool has_ref = line.find(".log") != std::string::npos ||
                     line.find(".jsonl:") != std::string::npos ||
                     line.find("findings.json") != std::string::npos ||
                     line.find(".log.1:") != std::string::npos;
      EXPECT_TRUE(has_ref) << section << ": " << line;
      ++cited;
    }
  }
  EXPECT_GT(cited, 10);
}

TEST(DraftTest, UnknownsAreQuestionsNotInventions) {
  std::string md = Draft();
  EXPECT_GE(std::count(md.begin(), md.end(), '\n'), 50);
  size_t questions = 0;
  for (size_t at = md.find(kQuestionMarker); at != std::string::npos;
       at = md.find(kQuestionMarker, at + 1))
    ++questions;
  EXPECT_GE(questions, 8u);
  // The SEV level and owners are never made up.
  EXPECT_NE(md.find("SEV-?"), std::string::npos);
  EXPECT_EQ(md.find("SEV-2"), std::string::npos);
  // What the evidence does show is there: the onset minute, the trigger candidates, the chain.
  EXPECT_NE(md.find("14:11:00"), std::string::npos);
  EXPECT_NE(md.find("catalog.invalidate"), std::string::npos);
  EXPECT_NE(md.find("PR #4412"), std::string::npos);
  EXPECT_NE(md.find("**Cache stampede**"), std::string::npos);
  EXPECT_NE(md.find("**Missing alert**"), std::string::npos);
}

}  // namespace
}  // namespace inquest
