#include "timeline/trace_events.h"

#include <gtest/gtest.h>

#include "traces/trace_analysis.h"

namespace inquest {
namespace {

constexpr char kTrace[] = R"({"data": [{"traceID": "abc", "spans": [
  {"traceID": "abc", "spanID": "1", "operationName": "get", "references": [],
   "startTime": 1700000000000000, "duration": 100000, "processID": "p1"},
  {"traceID": "abc", "spanID": "2", "operationName": "db", "references": [
     {"refType": "CHILD_OF", "spanID": "1"}],
   "startTime": 1699999999990000, "duration": 50000, "processID": "p2",
   "tags": [{"key": "error", "type": "bool", "value": true}]}],
  "processes": {"p1": {"serviceName": "front", "tags": [{"key": "ip", "type": "string", "value": "h1"}]},
                "p2": {"serviceName": "back", "tags": [{"key": "ip", "type": "string", "value": "h2"}]}}}]})";

TEST(TraceEvents, StartAndEndPerSpanWithErrorsAndShifts) {
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("t.json", kTrace, &set).ok());
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  TraceAnalysis a = AnalyzeTrace(set, &traces[0], /*adjust_skew=*/true);
  // back (50 ms) starts 10 ms before front (100 ms): centred, +35 ms.
  std::map<std::string, int64_t> shifts = HostShifts(set, traces[0], a.skew);
  ASSERT_EQ(shifts.size(), 1u);
  EXPECT_EQ(shifts["h2"], 35 * kNanosPerMilli);
  Arena arena;
  std::vector<Event> ev;
  SpanTimelineEvents(set, traces[0], 3, &arena, &ev);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].file, 3u);
  EXPECT_EQ(ev[0].line, 0u);
  EXPECT_EQ(ev[0].role, RecordRole::kSpan);
  EXPECT_EQ(ev[0].kind, "start");
  EXPECT_EQ(ev[0].message, "get");
  EXPECT_EQ(ev[3].kind, "end");
  EXPECT_EQ(ev[3].message, "db (50.00ms, error)");
  EXPECT_EQ(ev[3].level, Level::kError);
  EXPECT_EQ(ev[3].Attribute("skew_shift_ns"), "35000000");
  EXPECT_EQ(ev[2].time, (1700000000000000 + 25000) * 1000);  // adjusted start
}

TEST(TraceEvents, LogLinesOutsideTheirHostsSpansGiveASkewEstimate) {
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("t.json", kTrace, &set).ok());
  std::vector<Trace> traces = BuildTraces(&set);
  Event inside, late, other_host, close;
  inside.time = (1700000000000000 + 10000) * 1000;
  inside.host = "h1";
  late.time = (1700000000000000 + 100000 + 400000) * 1000;  // 400 ms after h1's span ended
  late.host = "h1";
  close.time = (1700000000000000 + 100000 + 20000) * 1000;  // 20 ms after: within tolerance
  close.host = "h1";
  other_host.time = inside.time;
  other_host.service = "elsewhere";
  std::vector<const Event*> logs = {&inside, &late, &close, &other_host};
  std::vector<HostLogSkew> skew = LogSpanSkew(logs, set, traces[0]);
  ASSERT_EQ(skew.size(), 1u);
  EXPECT_EQ(skew[0].host, "h1");
  EXPECT_EQ(skew[0].logs, 3u);
  EXPECT_EQ(skew[0].outside, 1u);
  EXPECT_EQ(skew[0].estimate_ns, 400 * kNanosPerMilli);
}

}  // namespace
}  // namespace inquest
