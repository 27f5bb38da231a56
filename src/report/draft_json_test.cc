// One draft: the model analyze builds, kept in findings.json and read back by `pm new --from`,
// renders the very document analyze wrote; what the author states (--sev, --title) replaces the
// suggestion; a findings.json without a draft is a clear error.
#include "report/draft_json.h"

#include <gtest/gtest.h>

#include "analyze/analysis.h"
#include "analyze/draft.h"
#include "postmortem/draft_json.h"
#include "postmortem/draft_render.h"
#include "postmortem/lint.h"
#include "postmortem/pm_template.h"
#include "report/findings_json.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

const Analysis& ExampleAnalysis() {
  static Analysis* a = [] {
    AnalyzeOptions opts;
    opts.dir = TestSourceDir() + "/examples/checkout-stampede";
    Result<Analysis> r = AnalyzeBundle(opts, nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new Analysis(std::move(*r));
  }();
  return *a;
}

TEST(DraftJsonTest, PmNewFromFindingsWritesTheDocumentAnalyzeWrote) {
  const SevScale scale = DefaultSevScale();
  DraftModel draft = BuildDraft(ExampleAnalysis(), scale);
  std::string analyze_md = RenderDraft(draft, scale);
  PmTemplateInput in;
  in.findings_json = FindingsJson(ExampleAnalysis(), &draft).str();
  in.findings_path = "findings.json";
  Result<std::string> md = RenderPmTemplate(in);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_EQ(*md, analyze_md);
}

TEST(DraftJsonTest, StatedValuesReplaceSuggestionsAndLintStaysFillInOnly) {
  DraftModel draft = BuildDraft(ExampleAnalysis(), DefaultSevScale());
  PmTemplateInput in;
  in.findings_json = FindingsJson(ExampleAnalysis(), &draft).str();
  in.findings_path = "findings.json";
  in.sev = "SEV-3";
  in.title = "Checkout cache stampede";
  Result<std::string> md = RenderPmTemplate(in);
  ASSERT_TRUE(md.ok());
  EXPECT_NE(md->find("# Post-Mortem: Checkout cache stampede        SEV-3   2026-05-29"),
            std::string::npos);
  EXPECT_EQ(md->find("confirm or change what inquest suggests"), std::string::npos);
  Result<PmDocument> doc = ParsePmDocument(*md, "new.md");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->incident_id.text, draft.incident_id);
  for (const LintFinding& f : LintPmDocument(*doc, LintConfig{})) {
    const LintRule* rule = FindLintRule(f.rule);
    ASSERT_NE(rule, nullptr);
    EXPECT_TRUE(rule->fill_in) << f.line << ": " << f.rule << ": " << f.message;
  }
}

TEST(DraftJsonTest, FindingsWithoutADraftAreAnErrorNamingTheFile) {
  PmTemplateInput in;
  in.findings_json = FindingsJson(ExampleAnalysis()).str();
  in.findings_path = "old/findings.json";
  Result<std::string> md = RenderPmTemplate(in);
  ASSERT_FALSE(md.ok());
  EXPECT_NE(md.status().ToString().find("old/findings.json"), std::string::npos);
  EXPECT_NE(md.status().ToString().find("run `inquest analyze`"), std::string::npos);
  Result<DraftModel> bad = DraftFromFindingsJson(R"({"draft": {"timeline": 3}})", "f.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("timeline"), std::string::npos);
}

}  // namespace
}  // namespace inquest
