#include "postmortem/lint.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/config.h"
#include "postmortem/lint_output.h"
#include "postmortem/pm_template.h"
#include "postmortem/pm_test_util.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

std::vector<LintFinding> Lint(std::string_view md, const LintConfig& cfg = {}) {
  Result<PmDocument> doc = ParsePmDocument(md, "test.md");
  EXPECT_TRUE(doc.ok());
  if (!doc.ok()) return {};
  return LintPmDocument(*doc, cfg);
}

std::string Summary(const std::vector<LintFinding>& found) {
  std::string out;
  for (const LintFinding& f : found)
    out += std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule + " " +
           f.message + "\n";
  return out;
}

int Count(const std::vector<LintFinding>& found, std::string_view rule) {
  return int(std::count_if(found.begin(), found.end(),
                           [&](const LintFinding& f) { return f.rule == rule; }));
}

const LintFinding* First(const std::vector<LintFinding>& found, std::string_view rule) {
  for (const LintFinding& f : found)
    if (f.rule == rule) return &f;
  return nullptr;
}

TEST(PmLintTest, ThePrimersWorkedExampleIsClean) {
  std::string text = PrimerWorkedExample();
  if (text.empty()) GTEST_SKIP() << "no primer at " << PrimerPath();
  std::vector<LintFinding> found = Lint(text);
  EXPECT_TRUE(found.empty()) << Summary(found);
}

// The worked example with one defect put in at a time: each rule must notice its own.
class PrimerWithDefect : public ::testing::Test {
 protected:
  void SetUp() override {
    text_ = PrimerWorkedExample();
    if (text_.empty()) GTEST_SKIP() << "no primer at " << PrimerPath();
  }
  std::vector<LintFinding> With(std::string_view from, std::string_view to) {
    std::string t = text_;
    size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return Lint(t);
  }
  std::string text_;
};

TEST_F(PrimerWithDefect, VagueImpact) {
  auto found = With(
      "- 14:11–14:18 UTC (6m). 12% of POST /cart/checkout failed (`context deadline exceeded`).\n"
      "- ~1,800 failed checkouts; users could retry successfully after 14:18.",
      "Some users were affected for a while.");
  ASSERT_EQ(Count(found, "impact-not-quantified"), 1) << Summary(found);
  EXPECT_NE(First(found, "impact-not-quantified")->message.find("Some users"), std::string::npos);
  EXPECT_EQ(First(found, "impact-not-quantified")->line, 10);
}

TEST_F(PrimerWithDefect, DetectionWithoutTime) {
  auto found = With("fired at 14:12 (1 min after onset)", "fired");
  ASSERT_EQ(Count(found, "detection-incomplete"), 1) << Summary(found);
  EXPECT_NE(First(found, "detection-incomplete")->message.find("how long after onset"),
            std::string::npos);
}

TEST_F(PrimerWithDefect, TimelineOutOfOrderAndNotUtc) {
  auto found = With("- 14:15  Rollback", "- 14:05  Rollback");
  ASSERT_EQ(Count(found, "timeline-order"), 1) << Summary(found);
  EXPECT_EQ(First(found, "timeline-order")->line, 23);
  EXPECT_EQ(First(found, "timeline-order")->column, 3);
  found = With("## Timeline (UTC)", "## Timeline (times in CEST)");
  ASSERT_EQ(Count(found, "timeline-not-utc"), 1) << Summary(found);
  found = With("## Timeline (UTC)", "## Timeline");
  ASSERT_EQ(Count(found, "timeline-not-utc"), 1) << Summary(found);
}

TEST_F(PrimerWithDefect, SingleRootCauseCarriesThePrimersQuestion) {
  auto found = With(
      "- Trigger: TTL 30s→300s deploy.\n- Contributing factors:\n"
      "  1. Pricing cache origin fetch has no request coalescing (singleflight).\n"
      "  2. checkout→pricing client has no jitter and no circuit breaker (retry storm).\n"
      "  3. No canary/staged rollout — change went 0%→100% in one push.\n"
      "  4. No alert on pricing DB pool saturation — first signal was the symptom.",
      "The root cause was the TTL change.");
  ASSERT_EQ(Count(found, "single-root-cause"), 1) << Summary(found);
  ASSERT_EQ(Count(found, "trigger-missing"), 1) << Summary(found);
  EXPECT_NE(First(found, "single-root-cause")->message.find("if only that one thing had been"),
            std::string::npos);
}

TEST_F(PrimerWithDefect, NoCausalChain) {
  auto found = With("## Causal analysis (5 Whys)", "## Analysis");
  // The five "Why" lines still make a chain.
  EXPECT_EQ(Count(found, "causal-chain-missing"), 0) << Summary(found);
  std::string t = text_;
  t.erase(t.find("## Causal analysis"), t.find("## Resolution") - t.find("## Causal analysis"));
  found = Lint(t);
  ASSERT_EQ(Count(found, "causal-chain-missing"), 1) << Summary(found);
}

TEST_F(PrimerWithDefect, ActionItems) {
  auto found =
      With("| AI-1 | Add singleflight to pricing origin fetch | pricing | 2026-06-12 | open |",
           "| 7 | Improve monitoring | the team |  | soon |");
  ASSERT_EQ(Count(found, "action-vague"), 1) << Summary(found);
  ASSERT_EQ(Count(found, "action-owner"), 1) << Summary(found);
  ASSERT_EQ(Count(found, "action-due"), 1) << Summary(found);
  ASSERT_EQ(Count(found, "action-status"), 1) << Summary(found);
  ASSERT_EQ(Count(found, "action-ticket"), 1) << Summary(found);
  for (const LintFinding& f : found) EXPECT_EQ(f.line, 48) << f.rule;
  EXPECT_NE(First(found, "action-owner")->message.find("owns nothing"), std::string::npos);
}

// One TBD row among the action items is reported on its own, and the other items are still
// checked: it does not hold back the section's rules.
TEST(PmLintTest, ATbdRowDoesNotHideTheOtherItems) {
  std::string md =
      "# Checkout outage\n\n## Action items\n\n"
      "| # | Action | Owner | Due | Status |\n|---|---|---|---|---|\n"
      "| 1 | Improve monitoring | the team |  | open |\n"
      "| 2 | TBD |  |  |  |\n";
  std::vector<LintFinding> found = Lint(md);
  EXPECT_EQ(Count(found, "action-vague"), 1) << Summary(found);
  EXPECT_EQ(Count(found, "action-owner"), 1) << Summary(found);
  EXPECT_EQ(Count(found, "action-due"), 1) << Summary(found);
  bool row_reported = false;
  for (const LintFinding& f : found) row_reported |= f.rule == "section-placeholder" && f.line == 8;
  EXPECT_TRUE(row_reported) << Summary(found);
}

// An item given alone (`actions add`) is held to the same rules as a row of a document.
TEST(PmLintTest, OneItemAloneMeetsTheSameRules) {
  ActionItem vague;
  vague.action = "Improve monitoring";
  vague.owner = "the team";
  vague.from_table = vague.has_owner_column = vague.has_due_column = true;
  std::vector<LintFinding> found = LintActionItem(vague, LintConfig{});
  EXPECT_EQ(Count(found, "action-vague"), 1) << Summary(found);
  EXPECT_EQ(Count(found, "action-owner"), 1) << Summary(found);
  EXPECT_EQ(Count(found, "action-due"), 1) << Summary(found);
  ActionItem good;
  good.action = "Add an alert on pricing DB pool utilization > 80% for 5m";
  good.owner = "SRE on-call";
  good.due = "2026-12-20";
  good.status = "open";
  good.ticket = "OPS-12";
  good.from_table = good.has_owner_column = good.has_due_column = good.has_status_column = true;
  good.has_ticket_column = true;
  std::vector<LintFinding> none = LintActionItem(good, LintConfig{});
  EXPECT_EQ(Count(none, "action-vague") + Count(none, "action-owner") + Count(none, "action-due"),
            0)
      << Summary(none);
}

TEST_F(PrimerWithDefect, AllOneClass) {
  auto found = With("| AI-2 | Add jitter + circuit breaker to pricing client |",
                    "| AI-2 | Add jitter to pricing client retries |");
  found = Lint([&] {
    std::string t = text_;
    for (auto [from, to] : {std::pair{"Add jitter + circuit breaker", "Add jitter"},
                            std::pair{"Canary 10/50/100% for checkout deploys",
                                      "Validate TTL changes against the invalidate period"},
                            std::pair{"Alert on pricing DB pool > 80% for 5m",
                                      "Cap the pricing DB pool fetch concurrency at 64"}})
      t.replace(t.find(from), std::string_view(from).size(), to);
    return t;
  }());
  ASSERT_EQ(Count(found, "action-classes"), 1) << Summary(found);
  EXPECT_NE(First(found, "action-classes")->message.find("prevent"), std::string::npos);
}

TEST_F(PrimerWithDefect, BlameWording) {
  auto found = With("- Poorly: TTL change reviewed without modeling the invalidate interaction.",
                    "- Poorly: Bob should have modeled the invalidate interaction; the reviewer "
                    "failed to ask. Human error.");
  ASSERT_EQ(Count(found, "blame-wording"), 3) << Summary(found);
  EXPECT_EQ(First(found, "blame-wording")->line, 55);
  EXPECT_EQ(First(found, "blame-wording")->column, 15);
}

TEST_F(PrimerWithDefect, SevAgainstImpact) {
  auto found = With("SEV-2   2026-05-29", "SEV-4   2026-05-29");
  EXPECT_EQ(Count(found, "sev-impact-mismatch"), 0) << Summary(found);
  found = With("No data loss.", "Data loss for 3% of carts.");
  EXPECT_EQ(Count(found, "sev-impact-mismatch"), 0);  // the impact section says nothing severe
  found = With("- ~1,800 failed checkouts;", "- data loss: ~1,800 carts;");
  EXPECT_EQ(Count(found, "sev-impact-mismatch"), 0) << Summary(found);  // SEV-2 is severe
  std::string t = text_;
  t.replace(t.find("SEV-2   2026"), 5, "SEV-3");
  t.replace(t.find("- ~1,800 failed"), 15, "- data loss: 1,800");
  found = Lint(t);
  ASSERT_EQ(Count(found, "sev-impact-mismatch"), 1) << Summary(found);
  found = With("SEV-2   2026-05-29", "SEV-7   2026-05-29");
  ASSERT_EQ(Count(found, "sev-missing"), 1) << Summary(found);
}

TEST_F(PrimerWithDefect, MissingAndPlaceholderSections) {
  auto found = With(
      "## Detection\nAlert \"checkout error rate > 5% for 1m\" fired at 14:12 (1 min "
      "after onset). Good.",
      "## Detection\nTBD");
  ASSERT_EQ(Count(found, "section-placeholder"), 1) << Summary(found);
  EXPECT_EQ(First(found, "section-placeholder")->line, 14);
  EXPECT_EQ(Count(found, "detection-incomplete"), 0);  // held back until it is filled in
  found = With("## Impact", "## Consequences");
  ASSERT_EQ(Count(found, "section-missing"), 1) << Summary(found);
  found =
      With("- Lucky: hit mid-afternoon, not peak. At peak this likely cascades to inventory.", "");
  ASSERT_EQ(Count(found, "reflection-missing"), 1) << Summary(found);
}

TEST(PmLintTest, TimelineSourceColumnMustBeFilled) {
  const char* md =
      "# T\n\n## Timeline (UTC)\n| Time | Event | Source |\n|---|---|---|\n"
      "| 10:00 | deploy | deploy bot |\n| 10:05 | errors rise |  |\n| 10:07 | page | pager:12 |\n";
  std::vector<LintFinding> found = Lint(md);
  ASSERT_EQ(Count(found, "timeline-source"), 1) << Summary(found);
  EXPECT_EQ(First(found, "timeline-source")->line, 7);
  EXPECT_EQ(Count(found, "timeline-not-utc"), 0);
  EXPECT_EQ(Count(found, "timeline-order"), 0);
}

TEST(PmLintTest, DetectionWithoutHowAndInflatedSev) {
  const char* md =
      "# Post-Mortem: Label typo  SEV-1  2026-01-05\n\n## Impact\nCosmetic: one dashboard label "
      "was wrong for 2 days.\n\n## Detection\nSeen 2 days after the onset.\n";
  std::vector<LintFinding> found = Lint(md);
  ASSERT_EQ(Count(found, "detection-incomplete"), 1) << Summary(found);
  EXPECT_NE(First(found, "detection-incomplete")->message.find("how the incident was found"),
            std::string::npos);
  ASSERT_EQ(Count(found, "sev-impact-mismatch"), 1) << Summary(found);
  EXPECT_NE(First(found, "sev-impact-mismatch")->message.find("inflation"), std::string::npos);
  EXPECT_EQ(Count(found, "impact-not-quantified"), 0);
}

TEST(PmLintTest, TemplateLineLeftInAFilledSection) {
  const char* md =
      "# T\n\n## Timeline\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n"
      "| 2024-03-13 HH:mm | Short event description. |\n| 2024-03-13 10:01 | Node NotReady. |\n"
      "| 2024-03-13 10:03 | Alert on Slack. |\n| 2024-03-13 10:05 | Investigation starts, the "
      "node is cordoned, drained and replaced by the autoscaler; the alert clears. |\n";
  std::vector<LintFinding> found = Lint(md);
  ASSERT_EQ(Count(found, "section-placeholder"), 1) << Summary(found);
  EXPECT_EQ(First(found, "section-placeholder")->line, 8);
  EXPECT_EQ(Count(found, "timeline-no-time"), 1);  // the section's own rules still run
}

TEST(PmLintTest, SystemFailuresAndOrdinaryHaveAreNotBlame) {
  const char* md =
      "# T\n\n## Summary\nThe pod failed to start. Critical workloads should have priority. "
      "Check if the node had restarted.\n";
  EXPECT_EQ(Count(Lint(md), "blame-wording"), 0) << Summary(Lint(md));
}

TEST(PmLintTest, ConfigSwitchesOffAndRegrades) {
  Result<Config> cfg = ParseConfig(
      "[lint]\nmin_words = 10\n[lint.rules]\nsev-missing = \"off\"\naction-ticket = \"error\"\n",
      "inquest.toml");
  ASSERT_TRUE(cfg.ok());
  Result<LintConfig> lint = LintConfigFromToml(cfg->table);
  ASSERT_TRUE(lint.ok()) << lint.status().ToString();
  const char* md =
      "# T\n\n## Action items\n| ID | Action | Owner | Due | Status |\n|--|--|--|--|--|\n"
      "| 1 | Add a disk alert at 90% | SRE | 2026-01-01 | open |\n";
  std::vector<LintFinding> found = Lint(md, *lint);
  EXPECT_EQ(Count(found, "sev-missing"), 0);
  ASSERT_EQ(Count(found, "action-ticket"), 1);
  EXPECT_EQ(First(found, "action-ticket")->severity, LintSeverity::kError);
  EXPECT_TRUE(HasLintErrors(found));
  EXPECT_EQ(Count(found, "length"), 0);

  cfg = ParseConfig("[lint.rules]\naction-tickt = \"off\"\n", "inquest.toml");
  lint = LintConfigFromToml(cfg->table);
  ASSERT_FALSE(lint.ok());
  EXPECT_NE(lint.status().message().find("did you mean action-ticket"), std::string::npos);
  cfg = ParseConfig("[lint.rules]\naction-ticket = \"fatal\"\n", "inquest.toml");
  EXPECT_FALSE(LintConfigFromToml(cfg->table).ok());
}

TEST(PmLintTest, ConfiguredSevScale) {
  Result<Config> cfg = ParseConfig(
      "[[sev]]\nname = \"P1\"\nmeaning = \"all down\"\n[[sev]]\nname = \"P2\"\n", "inquest.toml");
  ASSERT_TRUE(cfg.ok());
  Result<LintConfig> lint = LintConfigFromToml(cfg->table);
  ASSERT_TRUE(lint.ok());
  ASSERT_EQ(lint->sev_scale.size(), 2u);
  std::vector<LintFinding> found = Lint("# T  SEV-2\n", *lint);
  ASSERT_EQ(Count(found, "sev-missing"), 1);
  EXPECT_NE(First(found, "sev-missing")->message.find("not on the configured"), std::string::npos);
}

// A fresh template trips only "fill this in" rules, with and without evidence to pre-fill.
void ExpectOnlyFillIn(const std::string& md) {
  std::vector<LintFinding> found = Lint(md);
  EXPECT_FALSE(found.empty());
  for (const LintFinding& f : found) {
    const LintRule* rule = FindLintRule(f.rule);
    ASSERT_NE(rule, nullptr);
    EXPECT_TRUE(rule->fill_in) << f.line << ": " << f.rule << ": " << f.message << "\n" << md;
  }
}

TEST(PmTemplateTest, FreshTemplateLintsWithFillInFindingsOnly) {
  PmTemplateInput in;
  in.date = "2026-06-01";
  Result<std::string> md = RenderPmTemplate(in);
  ASSERT_TRUE(md.ok());
  ExpectOnlyFillIn(*md);
  EXPECT_NE(md->find("SEV-4  Negligible"), std::string::npos);
  in.sev = "SEV-9";
  EXPECT_FALSE(RenderPmTemplate(in).ok());
  in.sev = "sev 2";
  md = RenderPmTemplate(in);
  ASSERT_TRUE(md.ok());
  EXPECT_NE(md->find("SEV-2   2026-06-01"), std::string::npos);
}

TEST(PmTemplateTest, FindingsThatAreNotJsonAreAnErrorNamingTheFile) {
  PmTemplateInput in;
  in.findings_path = "findings.json";
  in.findings_json = "[1, 2";
  Result<std::string> bad = RenderPmTemplate(in);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("findings.json"), std::string::npos);
}

TEST(PmLintOutputTest, JsonAndSarifAreValid) {
  std::vector<LintedFile> files{{"a \"b\".md", Lint("# T\n\n## Summary\nTBD\n")}};
  ASSERT_FALSE(files[0].findings.empty());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string json = FormatLintJson(files).str();
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  int64_t errors = 0;
  ASSERT_EQ(root["errors"].get_int64().get(errors), simdjson::SUCCESS);
  EXPECT_GT(errors, 0);
  std::string sarif = FormatLintSarif(files, "0.1.0").str();
  ASSERT_EQ(parser.parse(sarif).get(root), simdjson::SUCCESS) << sarif;
  std::string_view version;
  ASSERT_EQ(root["version"].get_string().get(version), simdjson::SUCCESS);
  EXPECT_EQ(version, "2.1.0");
  simdjson::dom::array results;
  ASSERT_EQ(root["runs"].at(0)["results"].get_array().get(results), simdjson::SUCCESS);
  EXPECT_EQ(results.size(), files[0].findings.size());
  std::string text = FormatLintText(files, false).str();
  EXPECT_NE(text.find("[section-placeholder]"), std::string::npos);
}

// The real post-mortems of ../shared/fixtures/postmortems: every finding is compared with the
// reviewed expected-findings file (tests/postmortem/<dir>/<name>.expected), so a new finding or
// a lost one fails.
std::string Expected(const fs::path& file) {
  std::string out;
  std::istringstream in(ReadWholeFile(file.string()));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t hash = line.find(" #");
    if (hash != std::string::npos) line.resize(hash);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

TEST(PmLintFixturesTest, RealPostMortemsMatchTheirReviewedFindings) {
  fs::path fixtures = fs::path(TestFixturesDir()) / "postmortems";
  if (!fs::is_directory(fixtures)) GTEST_SKIP() << "no fixtures at " << fixtures;
  fs::path expected_dir = fs::path(TestSourceDir()) / "tests" / "postmortem";
  int documents = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    if (entry.path().extension() != ".md") continue;
    ++documents;
    fs::path rel = fs::relative(entry.path(), fixtures);
    fs::path expected = expected_dir / rel;
    expected.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected)) << "no reviewed findings for " << rel;
    Result<PmDocument> doc = ReadPmDocument(entry.path().string());
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    std::string actual;
    for (const LintFinding& f : LintPmDocument(*doc, LintConfig{}))
      actual += std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                std::string(LintSeverityName(f.severity)) + " " + f.rule + "\n";
    EXPECT_EQ(actual, Expected(expected)) << rel;
  }
  EXPECT_GE(documents, 40);
}

}  // namespace
}  // namespace inquest
