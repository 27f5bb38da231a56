// The report writers on the analysis of the bundled example: findings.json parses and keeps its
// contract; report.html is one self-contained file.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "analyze/analysis.h"
#include "postmortem/lint.h"
#include "postmortem/pm_template.h"
#include "report/findings_json.h"
#include "report/html_report.h"
#include "report/json_writer.h"
#include "report/svg_timeline.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

const Analysis& Example() {
  static Analysis* a = [] {
    AnalyzeOptions opts;
    opts.dir = TestSourceDir() + "/examples/checkout-stampede";
    Result<Analysis> r = AnalyzeBundle(opts, nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new Analysis(std::move(r).value());
  }();
  return *a;
}

// `pm new --from findings.json` on what analyze found in the example: the draft is pre-filled
// (impact, a UTC timeline in order, action rows) and lints with "fill this in" findings only.
TEST(PmTemplateFromFindingsTest, PrefilledFromTheExampleLintsWithFillInFindingsOnly) {
  PmTemplateInput in;
  in.findings_json = FindingsJson(Example());
  in.findings_path = "findings.json";
  in.sev = "SEV-2";
  Result<std::string> md = RenderPmTemplate(in);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  Result<PmDocument> doc = ParsePmDocument(*md, "new.md");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<LintFinding> found = LintPmDocument(*doc, LintConfig{});
  EXPECT_FALSE(found.empty());
  for (const LintFinding& f : found) {
    const LintRule* rule = FindLintRule(f.rule);
    ASSERT_NE(rule, nullptr);
    EXPECT_TRUE(rule->fill_in) << f.line << ": " << f.rule << ": " << f.message;
  }
  EXPECT_EQ(doc->date.text, "2026-05-29");
  EXPECT_NE(doc->sections[doc->FindSection({"impact"})].text.find("56 of 448 requests failed"),
            std::string::npos);
  EXPECT_GE(doc->timeline.size(), 4u);
  for (size_t i = 1; i < doc->timeline.size(); ++i)
    EXPECT_LE(doc->timeline[i - 1].time, doc->timeline[i].time);
  EXPECT_GE(doc->actions.size(), 5u);
}

TEST(JsonWriterTest, NestedAndEscaped) {
  JsonWriter w;
  w.BeginObject();
  w.Field("a", "x\"y\n");
  w.Key("b");
  w.BeginArray();
  w.Int(-1);
  w.Double(0.5, 2);
  w.Time(kNoTime);
  w.Double(1.0 / 0.0);
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(w.Take(),
            "{\n  \"a\": \"x\\\"y\\n\",\n  \"b\": [\n    -1,\n    0.50,\n    null,\n    null\n"
            "  ],\n  \"c\": {}\n}\n");
}

TEST(FindingsJsonTest, ContractFieldsPresentAndTyped) {
  const Analysis& a = Example();
  std::string text = FindingsJson(a);
  // The DOM API: its parser is compiled in libsimdjson, where On Demand would inline a whole
  // parser into this one test body (a minute of compile time under the sanitizers).
  simdjson::dom::parser p;
  simdjson::dom::element root = p.parse(text);
  // onset {time, confidence, signal}
  auto onset = root["onset"];
  EXPECT_EQ(std::string_view(onset["time"]), "2026-05-29T14:11:00.000Z");
  EXPECT_GT(double(onset["confidence"]), 0.5);
  EXPECT_FALSE(std::string_view(onset["signal"]).empty());
  EXPECT_EQ(std::string_view(root["recovery"]["time"]), "2026-05-29T14:18:00.000Z");
  // detection {first_signal {time, source}, first_alert {time, source}, time_to_detect_s}
  auto det = root["detection"];
  EXPECT_EQ(std::string_view(det["first_alert"]["source"]), "exports/0529-b.jsonl:2");
  EXPECT_FALSE(std::string_view(det["first_signal"]["time"]).empty());
  EXPECT_DOUBLE_EQ(double(det["time_to_detect_s"]), 64.0);
  // impact {failed, total, ratio, window}
  auto im = root["impact"];
  EXPECT_EQ(uint64_t(im["failed"]), a.impact.failed);
  EXPECT_EQ(uint64_t(im["total"]), a.impact.total);
  EXPECT_NEAR(double(im["ratio"]), a.impact.ratio(), 1e-4);
  EXPECT_EQ(std::string_view(im["window"]["start"]), "2026-05-29T14:11:00.000Z");
  // changes: ranked, each with time, ref, service, what, score, reason
  double prev = 2;
  size_t n = 0;
  for (auto c : root["changes"].get_array()) {
    simdjson::dom::object o = c.get_object();
    for (const char* k : {"time", "ref", "service", "what", "reason", "source"}) {
      simdjson::dom::element v;
      ASSERT_EQ(o[k].get(v), simdjson::SUCCESS) << k;
    }
    double score = double(o["score"]);
    if (n < 3) EXPECT_LE(score, prev + 1e-9);
    prev = score;
    ++n;
  }
  EXPECT_EQ(n, std::min(a.ranked.size(), kMaxChangesInReport));
  // findings: kind, severity, title, time, evidence [{source, excerpt}]
  size_t findings = 0;
  for (auto f : root["findings"].get_array()) {
    simdjson::dom::object o = f.get_object();
    EXPECT_FALSE(std::string_view(o["kind"]).empty());
    EXPECT_FALSE(std::string_view(o["severity"]).empty());
    EXPECT_FALSE(std::string_view(o["title"]).empty());
    EXPECT_FALSE(std::string_view(o["time"]).empty());
    size_t ev = 0;
    for (auto e : o["evidence"].get_array()) {
      std::string_view src = e["source"];
      EXPECT_NE(src.rfind(':'), std::string_view::npos);
      ++ev;
    }
    EXPECT_GT(ev, 0u);
    ++findings;
  }
  EXPECT_EQ(findings, a.findings.size());
  // inputs: each file, what it was taken for, format, confidence, records, skipped lines
  size_t inputs = 0;
  for (auto i : root["inputs"].get_array()) {
    simdjson::dom::object o = i.get_object();
    EXPECT_FALSE(std::string_view(o["file"]).empty());
    EXPECT_FALSE(std::string_view(o["taken_for"]).empty());
    uint64_t skipped = o["skipped_lines"];
    EXPECT_EQ(skipped, 0u);
    ++inputs;
  }
  EXPECT_EQ(inputs, a.inputs.size());
}

TEST(HtmlReportTest, SelfContainedWithChartChangesAndFindings) {
  const Analysis& a = Example();
  std::string html = HtmlReport(a);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  // No network: no scripts, no external stylesheets, images or fonts.
  for (const char* bad : {"<script", "<link", "src=\"http", "href=\"http", "@import", "url("})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // The ranked changes and the findings are in it, with their sources.
  EXPECT_NE(html.find("checkout-service v2.317 deployed"), std::string::npos);
  EXPECT_NE(html.find("catalog.invalidate"), std::string::npos);
  EXPECT_NE(html.find("cache-stampede"), std::string::npos);
  EXPECT_NE(html.find("exports/0529-a.jsonl:5"), std::string::npos);
}

TEST(SvgTimelineTest, MarksInsideTheSpanOnly) {
  Series s;
  s.width_ns = 60 * kNanosPerSecond;
  for (int i = 0; i < 10; ++i) {
    Window w;
    w.start = i * s.width_ns;
    w.total = 100;
    w.errors = i == 5 ? 20 : 1;
    s.windows.push_back(w);
  }
  std::vector<TimelineMark> marks = {
      {TimelineMark::Kind::kChange, 2 * s.width_ns, "deploy <v2>", "d"},
      {TimelineMark::Kind::kAlert, 100 * s.width_ns, "far away", "x"}};
  std::string svg = SvgTimeline(s, marks, kNoTime, kNoTime);
  EXPECT_NE(svg.find("deploy &lt;v2&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(svg.find("far away"), std::string::npos);
  EXPECT_NE(svg.find("20 of 100"), std::string::npos);
  EXPECT_NE(SvgTimeline(Series{}, {}, kNoTime, kNoTime).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace inquest
