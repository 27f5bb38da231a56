// The report writers on the analysis of the bundled example: findings.json parses and keeps its
// contract; report.html is one self-contained file.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <regex>
#include <set>

#include "analyze/analysis.h"
#include "base/json_writer.h"
#include "postmortem/lint.h"
#include "postmortem/pm_template.h"
#include "report/findings_json.h"
#include "report/html_report.h"
#include "report/report_timeline.h"
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
  EXPECT_EQ(w.Take().str(),
            "{\n  \"a\": \"x\\\"y\\n\",\n  \"b\": [\n    -1,\n    0.50,\n    null,\n    null\n"
            "  ],\n  \"c\": {}\n}\n");
}

TEST(FindingsJsonTest, ContractFieldsPresentAndTyped) {
  const Analysis& a = Example();
  std::string text = FindingsJson(a).str();
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
  std::string html = HtmlReport(a).str();
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

size_t Occurrences(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// A draft made by hand: the real one comes from analyze (postmortem/draft_model.h).
DraftModel HandDraft() {
  DraftModel d;
  DraftFinding f;
  f.id = "F1";
  f.kind = "cache-stampede";
  f.name = "Cache stampede";
  d.findings.push_back(f);
  DraftAction open;
  open.id = "AI-1";
  open.action = "Coalesce concurrent misses for one pricing cache key <single flight>";
  open.finding_id = "F1";
  open.item_class = "prevent";
  open.source = "pods/pricing-5b7c9-h8lqz.log:2353";
  d.actions.push_back(open);
  DraftAction owned = open;
  owned.id = "AI-2";
  owned.action = "Alert on pricing pool waits over 1 s";
  owned.finding_id = "F9";
  owned.item_class = "detect";
  owned.owner = "maria.k";
  owned.due = "2026-06-30";
  owned.ticket = "OPS-4410";
  owned.source = "pods/gone.log:12";
  d.actions.push_back(owned);
  return d;
}

TEST(ReportTimelineTest, EveryRecordTheOnsetTheFindingsAndCappedLogs) {
  const Analysis& a = Example();
  ReportTimeline tl = BuildReportTimeline(a, /*max_log_events=*/5);
  std::map<ReportRowKind, size_t> kinds;
  std::set<std::string> sources;
  for (const ReportTimelineRow& r : tl.rows) {
    ++kinds[r.kind];
    sources.insert(r.source);
  }
  size_t records = 0;
  for (const Change& c : a.changes)
    if (c.source.starts_with("exports/")) {
      ++records;
      EXPECT_TRUE(sources.contains(c.source)) << c.source;
    }
  EXPECT_EQ(kinds[ReportRowKind::kChange], records);
  EXPECT_EQ(kinds[ReportRowKind::kChange] + kinds[ReportRowKind::kLoggedChange], a.changes.size());
  for (const Signal& s : a.signals) EXPECT_TRUE(sources.contains(s.evidence.source));
  EXPECT_EQ(kinds[ReportRowKind::kAlert] + kinds[ReportRowKind::kPage] +
                kinds[ReportRowKind::kTicket] + kinds[ReportRowKind::kChat],
            a.signals.size());
  EXPECT_EQ(kinds[ReportRowKind::kOnset], 1u);
  EXPECT_EQ(kinds[ReportRowKind::kRecovery], 1u);
  EXPECT_EQ(kinds[ReportRowKind::kFinding], a.findings.size());
  EXPECT_EQ(kinds[ReportRowKind::kLog], 5u);
  EXPECT_EQ(tl.logs_shown, 5u);
  EXPECT_GT(tl.logs_not_shown(), 0u);
  for (size_t i = 1; i < tl.rows.size(); ++i) EXPECT_LE(tl.rows[i - 1].time, tl.rows[i].time) << i;
  // Without the cap: the first record of each message per service, each naming its service
  // as analyze does everywhere.
  ReportTimeline all = BuildReportTimeline(a);
  std::set<std::pair<std::string, std::string>> messages;
  for (const ReportTimelineRow& r : all.rows)
    if (r.kind == ReportRowKind::kLog) {
      EXPECT_FALSE(r.service.empty()) << r.source;
      EXPECT_TRUE(messages.insert({r.service, r.summary}).second) << r.summary;
      EXPECT_GE(r.time, a.onset.time);
      EXPECT_LT(r.time, a.onset.recovery);
    }
  EXPECT_EQ(messages.size(), all.logs_shown);
  EXPECT_LT(all.logs_shown, kMaxTimelineLogEvents);
  EXPECT_EQ(all.logs_in_window, tl.logs_in_window);
}

TEST(HtmlReportTest, TimelineRequestActionsAndEveryCitationLinked) {
  const Analysis& a = Example();
  DraftModel draft = HandDraft();
  std::string html = HtmlReport(a, &draft).str();
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'"),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Every link to an excerpt lands on one, and there is no link without an excerpt.
  std::set<std::string> ids, targets;
  std::regex id_re("id=\"(ex-[0-9]+)\""), href_re("href=\"#(ex-[0-9]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re);
       it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1]);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href_re);
       it != std::sregex_iterator(); ++it)
    targets.insert((*it)[1]);
  EXPECT_GT(targets.size(), 40u);
  EXPECT_EQ(targets, ids);
  // Change records, signals, finding evidence and request steps are links.
  for (const Change& c : a.changes)
    EXPECT_NE(html.find("<code>" + c.source + "</code></a>"), std::string::npos) << c.source;
  for (const Signal& s : a.signals)
    EXPECT_NE(html.find("<code>" + s.evidence.source + "</code></a>"), std::string::npos);
  for (const Finding& f : a.findings)
    for (const EvidenceRef& r : f.evidence)
      EXPECT_NE(html.find("<code>" + r.source + "</code></a>"), std::string::npos) << r.source;
  // The timeline: one row per change, signal, finding, onset and recovery, plus logs.
  EXPECT_EQ(Occurrences(html, "data-kind=\"change\"") + Occurrences(html, "data-kind=\"logged "),
            a.changes.size());
  EXPECT_EQ(Occurrences(html, "data-kind=\"finding\""), a.findings.size());
  EXPECT_NE(html.find("id=\"tl-k0\" checked"), std::string::npos);
  EXPECT_NE(html.find("#tl-k0:not(:checked)~table tr.k0{display:none}"), std::string::npos);
  EXPECT_NE(html.find("<code>inquest timeline "), std::string::npos);  // the capped logs
  // The rebuilt request.
  ASSERT_FALSE(a.example.steps.empty());
  EXPECT_NE(html.find("Request <code>" + a.example.id + "</code>"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "<tr class=\"slow\">"), a.example.slow_gaps());
  // The action items, escaped, with the author's fields to decide.
  EXPECT_NE(html.find("Coalesce concurrent misses for one pricing cache key &lt;single "
                      "flight&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("F1 <span class=\"q\">Cache stampede</span>"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "to be decided by the author"), 3u);
  EXPECT_NE(html.find("maria.k"), std::string::npos);
  EXPECT_NE(html.find("<code class=\"cite-none\" title=\"the file cannot be read: not a file of "
                      "the bundle\">pods/gone.log:12</code>"),
            std::string::npos);
}

TEST(HtmlReportTest, NoDraftSaysSo) {
  std::string html = HtmlReport(Example(), nullptr).str();
  EXPECT_NE(html.find("No post-mortem draft was made"), std::string::npos);
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
