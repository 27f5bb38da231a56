#include "report/svg_waterfall.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_files.h"
#include "traces/trace_set.h"

namespace inquest {
namespace {

size_t Count(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(SvgWaterfall, OneRowPerSpanCriticalPathAndErrors) {
  std::string json = R"({"data": [{"traceID": "abc", "spans": [
    {"traceID": "abc", "spanID": "a", "operationName": "GET /cart <script>", "references": [],
     "startTime": 1000, "duration": 100, "processID": "p1"},
    {"traceID": "abc", "spanID": "b", "operationName": "db.acquire",
     "references": [{"refType": "CHILD_OF", "spanID": "a"}], "startTime": 1010, "duration": 80,
     "processID": "p2", "tags": [{"key": "error", "type": "bool", "value": true}]}],
    "processes": {"p1": {"serviceName": "checkout"}, "p2": {"serviceName": "pricing"}}}]})";
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("t.json", json, &set).ok());
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  TraceAnalysis a = AnalyzeTrace(set, &traces[0], false);
  std::string svg = SvgWaterfall(set, traces[0], a);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<g class=\"span"), 2u);
  EXPECT_EQ(Count(svg, "class=\"span error\""), 1u);
  // Path: a [90,100), b [10,90), a [0,10): three sections.
  EXPECT_EQ(Count(svg, "class=\"critical\""), 3u);
  EXPECT_EQ(svg.find("<script>"), std::string::npos) << "labels are escaped";
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("pricing db.acquire"), std::string::npos);
}

TEST(SvgWaterfall, RealTraceIsCappedAndSaysSo) {
  std::string path = TestFixturesDir() + "/traces/zipkin/smartthings-oauth-authorization.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is missing";
  std::vector<std::string> paths = {path};
  TraceSet ts = LoadTraceSet(paths);
  ASSERT_EQ(ts.traces.size(), 1u);
  TraceAnalysis a = AnalyzeTrace(ts.spans, &ts.traces[0], false);
  SvgWaterfallOptions opts;
  opts.max_rows = 100;
  std::string svg = SvgWaterfall(ts.spans, ts.traces[0], a, opts);
  EXPECT_EQ(Count(svg, "<g class=\"span"), 100u);
  EXPECT_NE(svg.find("75 more spans not drawn"), std::string::npos);
}

}  // namespace
}  // namespace inquest
