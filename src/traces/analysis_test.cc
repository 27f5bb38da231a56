// Critical path, self time, skew and diff on hand-computable traces, and bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "traces/clock_skew.h"
#include "traces/critical_path.h"
#include "traces/span_set.h"
#include "traces/trace_analysis.h"
#include "traces/trace_diff.h"
#include "traces/trace_tree.h"

namespace inquest {
namespace {

// A Jaeger trace from (id, parent, start µs, duration µs, process, reftype) rows.
struct Row {
  std::string id, parent;
  int64_t start, duration;
  std::string process = "p1";
  std::string ref = "CHILD_OF";
};

std::string JaegerTrace(const std::vector<Row>& rows) {
  std::string spans;
  for (const Row& r : rows) {
    std::string refs = r.parent.empty()
                           ? ""
                           : fmt::format(R"({{"refType": "{}", "traceID": "abc", "spanID": "{}"}})",
                                         r.ref, r.parent);
    spans += fmt::format(
        R"({}{{"traceID": "abc", "spanID": "{}", "operationName": "op-{}", "references": [{}],
           "startTime": {}, "duration": {}, "processID": "{}"}})",
        spans.empty() ? "" : ",", r.id, r.id, refs, r.start, r.duration, r.process);
  }
  return fmt::format(R"({{"data": [{{"traceID": "abc", "spans": [{}], "processes": {{
      "p1": {{"serviceName": "front", "tags": [{{"key": "ip", "type": "string", "value": "10.0.0.1"}}]}},
      "p2": {{"serviceName": "back", "tags": [{{"key": "ip", "type": "string", "value": "10.0.0.2"}}]}}
    }}}}]}})",
                     spans);
}

struct Loaded {
  SpanSet set;
  std::vector<Trace> traces;
};

Loaded Load(const std::string& json) {
  Loaded l;
  Status s = ReadTraceBytes("test.json", json, &l.set);
  EXPECT_TRUE(s.ok()) << s.ToString();
  l.traces = BuildTraces(&l.set);
  return l;
}

std::string IdOf(const Loaded& l, const Trace& t, uint32_t node) {
  const Span* s = t.SpanOf(l.set, node);
  return s ? SpanLabel(*s) : "synthetic";
}

// Jaeger UI's test1: C [1, 101) with children D [20, 40) and E [50, 60).
TEST(CriticalPath, JaegerUiTest1) {
  Loaded l = Load(JaegerTrace({{"e", "c", 50, 10}, {"c", "", 1, 100}, {"d", "c", 20, 20}}));
  ASSERT_EQ(l.traces.size(), 1u);
  CriticalPath cp = ComputeCriticalPath(l.set, l.traces[0]);
  std::vector<std::tuple<std::string, int64_t, int64_t>> got;
  for (const PathSection& s : cp.sections)
    got.emplace_back(IdOf(l, l.traces[0], s.node), s.start / 1000, s.end / 1000);
  std::vector<std::tuple<std::string, int64_t, int64_t>> want = {{"000000000000000c", 60, 101},
                                                                 {"000000000000000e", 50, 60},
                                                                 {"000000000000000c", 40, 50},
                                                                 {"000000000000000d", 20, 40},
                                                                 {"000000000000000c", 1, 20}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(cp.total_ns, 100 * 1000);
}

// Overlapping children: only the last finisher and what ended before it started are waited for.
TEST(CriticalPath, OverlappingChildrenAndFollowsFrom) {
  // a [0,100): b [10,60), c [40,90), d [20,30), f FOLLOWS_FROM [50,200)
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100},
                               {"b", "a", 1010, 50},
                               {"c", "a", 1040, 50},
                               {"d", "a", 1020, 10},
                               {"f", "a", 1050, 150, "p1", "FOLLOWS_FROM"}}));
  const Trace& t = l.traces[0];
  CriticalPath cp = ComputeCriticalPath(l.set, t);
  std::map<std::string, int64_t> on;
  for (uint32_t n : t.order) on[IdOf(l, t, n)] = cp.on_path_ns[n] / 1000;
  // a: [90,100) + [30,40) + [0,20); c: [40,90); d: [20,30); b overlaps c's start: not waited for.
  EXPECT_EQ(on["000000000000000a"], 10 + 10 + 20);
  EXPECT_EQ(on["000000000000000c"], 50);
  EXPECT_EQ(on["000000000000000d"], 10);
  EXPECT_EQ(on["000000000000000b"], 0);
  EXPECT_EQ(on["000000000000000f"], 0);
  std::vector<int64_t> self = SelfTimes(t);
  for (uint32_t n : t.order)
    if (IdOf(l, t, n) == "000000000000000a")  // children cover [10,100) within [0,100)
      EXPECT_EQ(self[n], 10 * 1000);
}

TEST(CriticalPath, ChildOverflowingParentIsClipped) {
  // a [0,100), b [80,150) ends after its parent: clipped to [80,100).
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 1080, 70}}));
  const Trace& t = l.traces[0];
  CriticalPath cp = ComputeCriticalPath(l.set, t);
  EXPECT_EQ(cp.total_ns, 100 * 1000);
  for (uint32_t n : t.order)
    if (IdOf(l, t, n) == "000000000000000b") EXPECT_EQ(cp.on_path_ns[n], 20 * 1000);
}

TEST(TimeByService, SumsSelfAndCritical) {
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 1010, 80, "p2"}}));
  const Trace& t = l.traces[0];
  TraceAnalysis an = AnalyzeTrace(l.set, &l.traces[0], false);
  ASSERT_EQ(an.services.size(), 2u);
  EXPECT_EQ(an.services[0].service, "back");
  EXPECT_EQ(an.services[0].critical_ns, 80 * 1000);
  EXPECT_EQ(an.services[1].self_ns, 20 * 1000);
  EXPECT_EQ(TraceName(l.set, t), "front: op-a");
}

TEST(ClockSkew, LongerChildIsOnlyMovedToStartWithItsParent) {
  // back's child b (200 µs) is longer than a (100 µs) and starts 50 µs before it.
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 950, 200, "p2"}}));
  SkewReport r = AdjustClockSkew(l.set, &l.traces[0], true);
  ASSERT_EQ(r.shifts.size(), 1u);
  EXPECT_EQ(r.shifts[0].delta_ns, 50 * 1000);
  EXPECT_EQ(r.pairs[0].child_host, "10.0.0.2");
}

TEST(ClockSkew, FollowsFromIsNeverAdjusted) {
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 500, 10, "p2", "FOLLOWS_FROM"}}));
  SkewReport r = AdjustClockSkew(l.set, &l.traces[0], true);
  EXPECT_TRUE(r.shifts.empty());
}

TEST(ClockSkew, OverTheCapIsReportedNotApplied) {
  constexpr int64_t kT = 1700000000000000;  // µs
  Loaded l = Load(JaegerTrace({{"a", "", kT, 100}, {"b", "a", kT - 3600000000LL, 10, "p2"}}));
  Trace& t = l.traces[0];
  SkewReport r = AdjustClockSkew(l.set, &t, true);
  ASSERT_EQ(r.shifts.size(), 1u);
  EXPECT_TRUE(r.shifts[0].over_cap);
  EXPECT_FALSE(r.shifts[0].applied);
  for (uint32_t n : t.order)
    EXPECT_EQ(t.nodes[n].start, t.SpanOf(l.set, n)->start) << "nothing moved";
}

TEST(ClockSkew, SameHostIsNotSkew) {
  Loaded l = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 900, 10}}));
  SkewReport r = AdjustClockSkew(l.set, &l.traces[0], false);
  EXPECT_EQ(r.violations, 0u);
  EXPECT_TRUE(r.shifts.empty());
}

TEST(TraceDiff, CountsAndDurations) {
  Loaded good = Load(JaegerTrace({{"a", "", 1000, 100}, {"b", "a", 1010, 20, "p2"}}));
  Loaded bad = Load(
      JaegerTrace({{"a", "", 1000, 500}, {"b", "a", 1010, 20, "p2"}, {"c", "a", 1040, 400, "p2"}}));
  TraceDiff d = DiffTraces(good.set, good.traces[0], bad.set, bad.traces[0]);
  EXPECT_EQ(d.duration_b - d.duration_a, 400 * 1000);
  ASSERT_FALSE(d.operations.empty());
  // The largest change first: front op-a grew by 400 µs, and back op-c is new (+400 µs).
  EXPECT_EQ(std::llabs(d.operations[0].delta()), 400 * 1000);
  ASSERT_EQ(d.only_b.size(), 1u);
  EXPECT_EQ(d.only_b[0].path, "front: op-a > back: op-c");
  EXPECT_TRUE(d.only_a.empty());
}

TEST(TraceTree, CycleIsRejectedAndTheRestKept) {
  Loaded l = Load(JaegerTrace({{"r", "", 1000, 100}, {"x", "y", 1010, 10}, {"y", "x", 1020, 10}}));
  ASSERT_EQ(l.traces.size(), 1u);
  EXPECT_EQ(l.traces[0].left_out, 2u);
  EXPECT_EQ(l.traces[0].order.size(), 1u);
  bool reported = false;
  for (const TraceIssue& i : l.set.issues)
    reported |= i.message.find("cycle of parents (") != std::string::npos &&
                i.message.find("000000000000000x") == std::string::npos;
  EXPECT_TRUE(reported);
}

TEST(BadInput, SelfParentEndBeforeStartAbsurdDuration) {
  std::string json = R"({"resourceSpans": [{"resource": {"attributes": [
      {"key": "service.name", "value": {"stringValue": "svc"}}]},
    "scopeSpans": [{"spans": [
      {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1111111111111111",
       "parentSpanId": "1111111111111111", "name": "self", "startTimeUnixNano": "1000",
       "endTimeUnixNano": "2000"},
      {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "2222222222222222",
       "name": "backwards", "startTimeUnixNano": 5000, "endTimeUnixNano": 4000},
      {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "3333333333333333",
       "name": "absurd", "startTimeUnixNano": "1000", "endTimeUnixNano": "9000000000000000000"},
      {"traceId": "0102", "spanId": "4444444444444444", "name": "short id",
       "startTimeUnixNano": "1000", "endTimeUnixNano": "2000"},
      {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": 17, "name": "wrong type",
       "startTimeUnixNano": "1000", "endTimeUnixNano": "2000"}
    ]}]}]})";
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("bad.json", json, &set).ok());
  EXPECT_EQ(set.spans.size(), 3u);
  EXPECT_EQ(set.files[0].skipped, 2u);
  std::vector<std::string> text;
  for (const TraceIssue& i : set.issues) text.push_back(set.IssueText(i));
  auto has = [&](std::string_view what) {
    for (const std::string& t : text)
      if (t.find(what) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("span 1111111111111111: is its own parent"));
  EXPECT_TRUE(has("span 2222222222222222: ends 1µs before it starts"));
  EXPECT_TRUE(has("span 3333333333333333: absurd duration"));
  EXPECT_TRUE(has("trace id '0102' is neither 32 hex digits"));
  EXPECT_TRUE(has("field \"spanId\": "));
  EXPECT_TRUE(has("bad.json: byte "));
}

TEST(BadInput, TruncatedJsonKeepsTheSpansBefore) {
  std::string json = R"([{"traceId": "1e223ff1f80f1c69", "id": "1e223ff1f80f1c69", "name": "a",
    "timestamp": 1470150004071068, "duration": 10, "localEndpoint": {"serviceName": "s"}},
   {"traceId": "1e223ff1f80f1c69", "id": "2e223ff1f80f1c69", "parentId": "1e223ff1f80f1c69",
    "name": "b", "timestamp": 1470150004071069, "duration": 5},
   {"traceId": "1e223ff1f80f1c69", "id": "3e223ff1f80f1c69", "na)";
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("cut.json", json, &set).ok());
  EXPECT_EQ(set.spans.size(), 2u);
  ASSERT_EQ(set.issue_count, 1u);
  EXPECT_EQ(set.IssueText(set.issues.back()),
            fmt::format("cut.json: byte {}: the JSON breaks off at the end of the file "
                        "(truncated?); the spans before byte {} are kept",
                        json.size(),
                        json.find("},\n   {\"traceId\": \"1e223ff1f80f1c69\", \"id\": \"3e") + 1));
}

TEST(BadInput, NotATraceFile) {
  SpanSet set;
  Status s = ReadTraceBytes("x.json", R"({"hello": "world"})", &set);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ExitCode(), 3);
  EXPECT_NE(s.ToString().find("x.json"), std::string::npos);
}

TEST(Readers, OtlpBase64IdsTempoBatchesAndEnumNames) {
  // Tempo: "batches" and "instrumentationLibrarySpans", base64 ids, enum names.
  std::string json = R"({"batches": [{"resource": {"attributes": [
      {"key": "service.name", "value": {"stringValue": "tempo-svc"}},
      {"key": "host.name", "value": {"stringValue": "h1"}}]},
    "instrumentationLibrarySpans": [{"spans": [
      {"traceId": "AAAAAAAAAAAAAAAAAAAAAQ==", "spanId": "AAAAAAAAAAI=", "name": "root",
       "kind": "SPAN_KIND_SERVER", "startTimeUnixNano": "1000", "endTimeUnixNano": "5000",
       "status": {"code": "STATUS_CODE_ERROR", "message": "boom"},
       "events": [{"timeUnixNano": "2000", "name": "exception",
                   "attributes": [{"key": "exception.message", "value": {"stringValue": "x"}}]}],
       "links": [{"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1111111111111111"}],
       "attributes": [{"key": "http.status_code", "value": {"intValue": "500"}}]}
    ]}]}]})";
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("tempo.json", json, &set).ok());
  ASSERT_EQ(set.spans.size(), 1u);
  const Span& s = set.spans[0];
  EXPECT_EQ(FormatTraceId(s.trace_id), "00000000000000000000000000000001");
  EXPECT_EQ(FormatSpanId(s.span_id), "0000000000000002");
  EXPECT_EQ(s.kind, SpanKind::kServer);
  EXPECT_TRUE(s.error());
  EXPECT_EQ(s.status_message, "boom");
  EXPECT_EQ(s.service, "tempo-svc");
  EXPECT_EQ(s.host, "h1");
  EXPECT_EQ(set.Attribute(s, "http.status_code"), "500");
  ASSERT_EQ(set.EventsOf(s).size(), 1u);
  EXPECT_EQ(set.EventsOf(s)[0].name, "exception");
  EXPECT_EQ(set.EventsOf(s)[0].attr_count, 1u);
  ASSERT_EQ(set.LinksOf(s).size(), 1u);
  EXPECT_EQ(set.LinksOf(s)[0].span, 0x1111111111111111u);
}

TEST(Readers, JaegerV3ResultWrapperAndJsonLines) {
  std::string doc = R"({"result": {"resourceSpans": [{"resource": {"attributes": [
      {"key": "service.name", "value": {"stringValue": "s"}}]}, "scopeSpans": [{"spans": [
      {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1111111111111111",
       "name": "n", "startTimeUnixNano": "1000", "endTimeUnixNano": "2000"}]}]}]}})";
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("v3.json", doc + "\n" + doc + "\n", &set).ok());
  EXPECT_EQ(set.spans.size(), 2u);  // one span per document, two documents
}

TEST(Probe, TellsFormatsApart) {
  TraceFormat f;
  EXPECT_EQ(ProbeTraceFile(R"({"resourceSpans": [)", &f), 1.0);
  EXPECT_EQ(f, TraceFormat::kOtlp);
  EXPECT_EQ(ProbeTraceFile(R"({"data": [{"traceID": "a", "spans": [{"spanID": "b",
    "operationName": "c"}]}]})",
                           &f),
            1.0);
  EXPECT_EQ(f, TraceFormat::kJaeger);
  EXPECT_EQ(ProbeTraceFile(R"([{"traceId": "a", "id": "b", "timestamp": 1}])", &f), 1.0);
  EXPECT_EQ(f, TraceFormat::kZipkin);
  EXPECT_EQ(ProbeTraceFile(R"({"resourceLogs": []})", &f), 0.0);
  EXPECT_EQ(ProbeTraceFile(R"({"ts": "2026-01-01", "msg": "traceId"})", &f), 0.0);
  EXPECT_EQ(f, TraceFormat::kUnknown);
}

}  // namespace
}  // namespace inquest
