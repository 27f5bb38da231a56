// Every view of a trace (text, Markdown, JSON, the summary beside the waterfall, the diff) on the
// real third-party exports in ../shared/fixtures/traces: spans keep one identity and one count
// across views, missing parents stay apart, skew adjustment reaches every table, an asynchronous
// trace says so, and one trace read from two formats compares equal.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "tests/support/test_files.h"
#include "traces/node_ref.h"
#include "traces/trace_analysis.h"
#include "traces/trace_diff.h"
#include "traces/trace_output.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

#define SKIP_WITHOUT_TRACE_FIXTURES()                             \
  if (!fs::exists(TestFixture("traces", "")))                     \
  GTEST_SKIP() << "fixtures folder " << TestFixture("traces", "") \
               << " is missing (conformance not run)"

struct ViewSet {
  SpanSet set;
  std::vector<Trace> traces;
};

ViewSet LoadFixture(const std::string& rel) {
  ViewSet v;
  Status s = ReadTraceFile(TestFixture("traces", rel), &v.set);
  EXPECT_TRUE(s.ok()) << s.ToString();
  v.traces = BuildTraces(&v.set);
  return v;
}

// What `write` prints to a FILE*.
std::string Printed(const std::function<void(std::FILE*)>& write) {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&buf, &size);
  write(f);
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

TraceStyle Style(TraceOutputFormat f) {
  TraceStyle s;
  s.format = f;
  return s;
}

std::string Waterfall(const ViewSet& v, const Trace& t, const TraceAnalysis& a,
                      TraceOutputFormat f) {
  return Printed([&](std::FILE* out) { WriteWaterfall(out, v.set, t, a, Style(f)); });
}

std::string Overview(ViewSet* v, TraceOutputFormat f, bool adjust_skew) {
  TraceOverviewOptions o;
  o.adjust_skew = adjust_skew;
  return Printed([&](std::FILE* out) { WriteTraceOverview(out, v->set, &v->traces, o, Style(f)); });
}

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(TraceViews, SharedZipkinHalvesKeepDistinctIdsInEveryOutput) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // One "send iot-events360" client span (bouncer) and five "receive iot-events360" server
  // spans (pusher, "shared": true) all carry span id 9d2d35b746db84f3.
  ViewSet v = LoadFixture("zipkin/smartthings-oauth-authorization.json");
  ASSERT_EQ(v.traces.size(), 1u);
  Trace& t = v.traces[0];
  TraceAnalysis a = AnalyzeTrace(v.set, &t, false);

  std::string json = Waterfall(v, t, a, TraceOutputFormat::kJson);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  std::set<std::string> ids;
  std::vector<std::string> parents;
  std::map<std::string, int> halves_of_shared_id;
  for (simdjson::dom::element s : doc["spans"].get_array()) {
    std::string ref(s["span_id"].get_string().value());
    EXPECT_TRUE(ids.insert(ref).second) << "span_id " << ref << " printed twice";
    if (s["parent_id"].is_string()) parents.emplace_back(s["parent_id"].get_string().value());
    if (s["id"].get_string().value() == "9d2d35b746db84f3")
      halves_of_shared_id[std::string(s["half"].get_string().value())]++;
  }
  EXPECT_EQ(halves_of_shared_id, (std::map<std::string, int>{{"client", 1}, {"server", 5}}));
  for (const std::string& p : parents) EXPECT_TRUE(ids.count(p)) << "parent_id " << p;
  for (simdjson::dom::element s : doc["critical_path"].get_array())
    EXPECT_TRUE(ids.count(std::string(s["span_id"].get_string().value())));
  std::set<std::string> shifted;
  for (simdjson::dom::element s : doc["skew"]["shifts"].get_array()) {
    std::string ref(s["span_id"].get_string().value());
    EXPECT_TRUE(ids.count(ref)) << ref;
    EXPECT_TRUE(shifted.insert(ref).second) << "shift of " << ref << " listed as another's";
  }

  // The text waterfall says which half each is; its skew list names each receiver apart.
  std::string text = Waterfall(v, t, a, TraceOutputFormat::kText);
  EXPECT_EQ(Count(text, "bouncer send iot-events360 (client half)"), 1u);
  EXPECT_EQ(Count(text, "pusher receive iot-events360 (server half)"), 5u);
  for (const std::string& ref : shifted) EXPECT_EQ(Count(text, "move " + ref + " "), 1u) << ref;

  // Markdown: the span column (the first of the span table) is unique too.
  std::string md = Waterfall(v, t, a, TraceOutputFormat::kMd);
  std::set<std::string> md_ids;
  size_t rows = 0;
  size_t at = md.find("\n|---");
  ASSERT_NE(at, std::string::npos);
  for (at = md.find('\n', at + 1) + 1; md.compare(at, 2, "| ") == 0; at = md.find('\n', at) + 1) {
    ++rows;
    std::string cell = md.substr(at + 2, md.find(" |", at + 2) - at - 2);
    EXPECT_TRUE(md_ids.insert(cell).second) << cell;
  }
  EXPECT_EQ(rows, t.order.size());
}

TEST(TraceViews, EachMissingParentGetsItsOwnSyntheticRoot) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // yelp.json without its root (2e8cfb154b59a41f: the parent of "unknown post" and "yelp-main
  // post") and without the transaction span 241cea1aa4cb2884 (the parent of four cache and SQL
  // spans): two unrelated missing parents.
  ViewSet v;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "zipkin/yelp.json"), &v.set).ok());
  std::erase_if(v.set.spans, [](const Span& s) {
    return s.span_id == 0x2e8cfb154b59a41full || s.span_id == 0x241cea1aa4cb2884ull;
  });
  v.traces = BuildTraces(&v.set);
  ASSERT_EQ(v.traces.size(), 1u);
  Trace& t = v.traces[0];
  ASSERT_EQ(t.missing.size(), 2u);
  std::map<SpanId, size_t> orphans_of;
  for (const MissingParent& m : t.missing) {
    EXPECT_TRUE(t.IsSynthetic(m.node));
    for (uint32_t c : t.ChildrenOf(m.node)) {
      EXPECT_EQ(t.SpanOf(v.set, c)->parent_id, m.id);
      orphans_of[m.id]++;
    }
  }
  EXPECT_EQ(orphans_of,
            (std::map<SpanId, size_t>{{0x2e8cfb154b59a41full, 2}, {0x241cea1aa4cb2884ull, 4}}));
  EXPECT_EQ(t.orphans, 6u);
  EXPECT_EQ(t.spans, 14u);

  TraceAnalysis a = AnalyzeTrace(v.set, &t, false);
  std::string text = Waterfall(v, t, a, TraceOutputFormat::kText);
  EXPECT_EQ(Count(text, "(missing parent 2e8cfb154b59a41f)"), 1u);
  EXPECT_EQ(Count(text, "(missing parent 241cea1aa4cb2884)"), 1u);
  EXPECT_EQ(Count(text, "6 orphans of 2 missing parents"), 1u);
  std::string json = Waterfall(v, t, a, TraceOutputFormat::kJson);
  simdjson::dom::parser parser;
  std::map<std::string, size_t> children;
  for (simdjson::dom::element s : parser.parse(json)["spans"].get_array())
    if (s["parent_id"].is_string()) children[std::string(s["parent_id"].get_string().value())]++;
  EXPECT_EQ(children["2e8cfb154b59a41f"], 2u);
  EXPECT_EQ(children["241cea1aa4cb2884"], 4u);
}

TEST(TraceViews, SpanCountsAgreeAcrossViews) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // ui_01.json: an orphan (a synthetic root) and two different spans with one id; otlp2jaeger-in:
  // two identical copies of one orphan span.
  for (const auto& dir : {"zipkin", "jaeger", "otlp"})
    for (const auto& entry : fs::directory_iterator(TestFixture("traces", dir))) {
      std::string rel = std::string(dir) + "/" + entry.path().filename().string();
      SCOPED_TRACE(rel);
      ViewSet v = LoadFixture(rel);
      uint64_t spans = 0, placed = 0;
      for (const Trace& t : v.traces) {
        spans += t.spans;
        EXPECT_EQ(t.spans + t.duplicates + t.left_out,
                  t.order.size() - t.missing.size() + t.duplicates + t.left_out);
        placed += t.spans + t.duplicates + t.left_out;
      }
      EXPECT_EQ(placed, v.set.spans.size()) << "every record read is a span, a copy or left out";
      std::string json = Overview(&v, TraceOutputFormat::kJson, false);
      simdjson::dom::parser parser;
      simdjson::dom::element doc = parser.parse(json);
      EXPECT_EQ(uint64_t(doc["spans"].get_uint64()), spans);
      if (v.traces.size() != 1) continue;
      const Trace& t = v.traces[0];
      EXPECT_EQ(uint64_t(doc["slowest"].at(0)["spans"].get_uint64()), spans);
      EXPECT_EQ(uint64_t(doc["trace"]["span_count"].get_uint64()), spans);
      uint64_t listed = 0;
      for (simdjson::dom::element s : doc["trace"]["spans"].get_array())
        listed += !s["synthetic"].is_bool();
      EXPECT_EQ(listed, spans);
      std::string text = Overview(&v, TraceOutputFormat::kText, false);
      EXPECT_EQ(Count(text, fmt::format("1 traces, {} spans", spans)), 1u) << text;
      EXPECT_EQ(Count(text, fmt::format("  {} span{}, {} error", spans, spans == 1 ? "" : "s",
                                        t.error_spans)),
                1u)
          << text;
      std::string md = Overview(&v, TraceOutputFormat::kMd, false);
      EXPECT_EQ(Count(md, fmt::format("1 traces, {} spans", spans)), 1u) << md;
      EXPECT_EQ(Count(md, fmt::format(", {} spans, {} errors", spans, t.error_spans)), 1u) << md;
    }
}

TEST(TraceViews, MostlyAsynchronousTracesSaySo) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // Kafka: a 26µs poll whose consumers run on for 649ms; smartthings: a 1.43ms request whose
  // redirects go on for 100s.
  struct Case {
    const char* file;
    const char* share;
    size_t branches;
  };
  for (const Case& c : {Case{"zipkin/messaging-kafka.json", "0.004%", 3},
                        Case{"zipkin/smartthings-oauth-authorization.json", "0.0014%", 1}}) {
    SCOPED_TRACE(c.file);
    ViewSet v = LoadFixture(c.file);
    ASSERT_EQ(v.traces.size(), 1u);
    Trace& t = v.traces[0];
    TraceAnalysis a = AnalyzeTrace(v.set, &t, false);
    EXPECT_TRUE(a.async.mostly_async);
    EXPECT_LT(a.async.path_share, kMostlyAsyncPathShare);
    ASSERT_EQ(a.async.branches.size(), c.branches);
    for (const AsyncBranch& b : a.async.branches) {
      // Each branch runs on after its parent ended, for longer than the whole critical path.
      EXPECT_GT(b.past_parent_ns, 0);
      EXPECT_GT(b.past_parent_ns, a.path.total_ns);
    }
    std::string text = Waterfall(v, t, a, TraceOutputFormat::kText);
    EXPECT_EQ(Count(text, fmt::format("mostly asynchronous: the critical path covers {} of the "
                                      "trace",
                                      c.share)),
              1u)
        << text;
    EXPECT_EQ(Count(text, "after its parent "), c.branches);
    EXPECT_EQ(Count(text, "where the time went:"), 0u);
    EXPECT_EQ(Count(text, "where the critical path's time went:"), 1u);
    std::string json = Waterfall(v, t, a, TraceOutputFormat::kJson);
    simdjson::dom::parser parser;
    simdjson::dom::element async = parser.parse(json)["asynchronous"];
    EXPECT_TRUE(bool(async["mostly"].get_bool()));
    EXPECT_EQ(async["branches"].get_array().size(), c.branches);
  }
  // The smartthings branch is the whole redirect chain: every span but the root.
  ViewSet st = LoadFixture("zipkin/smartthings-oauth-authorization.json");
  TraceAnalysis sa = AnalyzeTrace(st.set, &st.traces[0], false);
  EXPECT_EQ(sa.async.branches[0].spans, st.traces[0].spans - 1);
  // A synchronous trace keeps its plain "where the time went".
  ViewSet sync = LoadFixture("zipkin/simple-db-p6.json");
  TraceAnalysis b = AnalyzeTrace(sync.set, &sync.traces[0], false);
  EXPECT_FALSE(b.async.mostly_async);
  std::string text = Waterfall(sync, sync.traces[0], b, TraceOutputFormat::kText);
  EXPECT_EQ(Count(text, "mostly asynchronous"), 0u);
  EXPECT_EQ(Count(text, "where the time went:"), 1u);
}

TEST(TraceViews, AdjustSkewReachesTheSummaryTables) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // skew.json: serviceb's clock runs 65.92ms behind; adjusted, the trace is its root's 99.41ms
  // rather than 161.72ms.
  ViewSet plain = LoadFixture("zipkin/skew.json");
  const int64_t unadjusted = plain.traces[0].duration();
  ViewSet v = LoadFixture("zipkin/skew.json");
  std::string json = Overview(&v, TraceOutputFormat::kJson, true);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  int64_t waterfall = doc["trace"]["duration_ns"].get_int64();
  EXPECT_NE(waterfall, unadjusted);
  EXPECT_EQ(int64_t(doc["slowest"].at(0)["duration_ns"].get_int64()), waterfall);
  EXPECT_EQ(int64_t(doc["by_root"].at(0)["max_ns"].get_int64()), waterfall);
  EXPECT_EQ(int64_t(doc["by_root"].at(0)["p50_ns"].get_int64()), waterfall);
  EXPECT_TRUE(bool(doc["skew_adjusted"].get_bool()));

  ViewSet tv = LoadFixture("zipkin/skew.json");
  std::string text = Overview(&tv, TraceOutputFormat::kText, true);
  std::string d = SpanDuration(waterfall), was = SpanDuration(unadjusted);
  EXPECT_EQ(Count(text, was), 0u) << text;
  auto line_with = [&](std::string_view what, std::string_view after = "") {
    size_t at = text.find(what, text.find(after));
    if (at == std::string::npos) return std::string();
    size_t from = text.rfind('\n', at) + 1;
    return text.substr(from, text.find('\n', at) - from);
  };
  // The slowest table's row, the root operation's row (p50 and max), the waterfall's header.
  EXPECT_EQ(Count(line_with("  1e223ff1f80f1c69  "), d), 1u) << text;
  EXPECT_EQ(Count(line_with("  servicea: get  ", "by root operation:"), d), 2u) << text;
  EXPECT_EQ(Count(line_with("trace 1e223ff1f80f1c69"), d), 1u) << text;

  // Several traces: each is adjusted before the tables.
  ViewSet two;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "zipkin/skew.json"), &two.set).ok());
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "zipkin/ascend.json"), &two.set).ok());
  two.traces = BuildTraces(&two.set);
  ASSERT_EQ(two.traces.size(), 2u);
  std::string many = Overview(&two, TraceOutputFormat::kJson, true);
  simdjson::dom::parser p2;
  bool seen = false;
  for (simdjson::dom::element row : p2.parse(many)["slowest"].get_array())
    if (row["trace_id"].get_string().value() == "1e223ff1f80f1c69") {
      EXPECT_EQ(int64_t(row["duration_ns"].get_int64()), waterfall);
      seen = true;
    }
  EXPECT_TRUE(seen);
}

TEST(TraceViews, SameTraceFromJaegerAndOtlpComparesEqual) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  // The Jaeger files are the OTLP ones converted: microseconds, start and duration truncated.
  for (auto [otlp, jaeger] :
       {std::pair{"otlp/otlp2jaeger-multi-in-combined.json", "jaeger/oltp2jaeger-multi-out.json"},
        std::pair{"otlp/otlp2jaeger-in.json", "jaeger/otlp2jaeger-out.json"}}) {
    SCOPED_TRACE(otlp);
    ViewSet a = LoadFixture(otlp), b = LoadFixture(jaeger);
    ASSERT_EQ(a.traces.size(), 1u);
    ASSERT_EQ(b.traces.size(), 1u);
    for (bool a_first : {true, false}) {
      const ViewSet& x = a_first ? a : b;
      const ViewSet& y = a_first ? b : a;
      TraceDiff d = DiffTraces(x.set, x.traces[0], y.set, y.traces[0]);
      EXPECT_EQ(d.resolution_ns, 1000);
      EXPECT_EQ(d.duration_a, d.duration_b);
      for (const OperationDiff& o : d.operations) {
        EXPECT_EQ(o.delta(), 0) << o.service << ": " << o.name;
        EXPECT_EQ(o.self_a, o.self_b) << o.service << ": " << o.name;
        EXPECT_EQ(o.count_a, o.count_b);
      }
      EXPECT_TRUE(d.Same());
      std::string text = Printed([&](std::FILE* out) {
        WriteTraceDiff(out, x.set, x.traces[0], y.set, y.traces[0], d,
                       Style(TraceOutputFormat::kText));
      });
      EXPECT_EQ(Count(text, "no differences"), 1u) << text;
    }
  }
}

TEST(TraceViews, JsonOverviewCarriesWhatTheTextShowsForOneTrace) {
  SKIP_WITHOUT_TRACE_FIXTURES();
  for (const char* rel : {"zipkin/skew.json", "jaeger/ui_01.json", "zipkin/messaging-kafka.json",
                          "otlp/otlp2jaeger-in.json"}) {
    SCOPED_TRACE(rel);
    ViewSet v = LoadFixture(rel);
    ASSERT_EQ(v.traces.size(), 1u);
    std::string overview = Overview(&v, TraceOutputFormat::kJson, false);
    // The same object `--id` writes.
    ViewSet one = LoadFixture(rel);
    TraceAnalysis a = AnalyzeTrace(one.set, &one.traces[0], false);
    std::string waterfall = Waterfall(one, one.traces[0], a, TraceOutputFormat::kJson);
    waterfall.pop_back();  // the newline
    EXPECT_EQ(Count(overview, "\"trace\": " + waterfall + "}"), 1u) << overview;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(overview).get(doc), simdjson::SUCCESS);
    for (const char* key : {"spans", "critical_path", "services", "skew", "asynchronous"})
      EXPECT_EQ(doc["trace"][key].error(), simdjson::SUCCESS) << key;
  }
}

}  // namespace
}  // namespace inquest
