// Conformance on the real third-party exports in ../shared/fixtures/traces: the OTLP and Jaeger
// files that hold the same traces give the same span trees, every Zipkin file is read whole, and
// Zipkin's skew.json is detected as skewed and adjusted as Jaeger would.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "tests/support/test_files.h"
#include "traces/clock_skew.h"
#include "traces/critical_path.h"
#include "traces/span_set.h"
#include "traces/trace_tree.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

#define REQUIRE_FIXTURES()                                        \
  if (!fs::exists(TestFixture("traces", "")))                     \
  GTEST_SKIP() << "fixtures folder " << TestFixture("traces", "") \
               << " is missing (conformance not run)"

// One span as both formats must give it. Jaeger keeps microseconds, so times are compared at
// that precision (Jaeger truncates).
using SpanFacts = std::tuple<std::string, std::string, std::string, std::string, std::string,
                             int64_t, int64_t, int>;

std::set<SpanFacts> Facts(const SpanSet& set, const std::vector<Trace>& traces) {
  std::set<SpanFacts> out;
  for (const Trace& t : traces)
    for (uint32_t n : t.order) {
      const Span* s = t.SpanOf(set, n);
      if (!s) continue;
      int depth = static_cast<int>(t.nodes[n].depth);
      out.insert({FormatTraceId(s->trace_id), SpanLabel(*s),
                  s->parent_id ? FormatSpanId(s->parent_id) : "", std::string(s->service),
                  std::string(s->name), s->start / 1000, s->end / 1000 - s->start / 1000, depth});
    }
  return out;
}

void ExpectSameTrees(const std::string& otlp, const std::string& jaeger) {
  SpanSet a, b;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", otlp), &a).ok());
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", jaeger), &b).ok());
  EXPECT_EQ(a.files[0].format, TraceFormat::kOtlp);
  EXPECT_EQ(b.files[0].format, TraceFormat::kJaeger);
  std::vector<Trace> ta = BuildTraces(&a), tb = BuildTraces(&b);
  ASSERT_EQ(ta.size(), tb.size());
  EXPECT_EQ(a.spans.size(), b.spans.size());
  std::set<SpanFacts> fa = Facts(a, ta), fb = Facts(b, tb);
  EXPECT_FALSE(fa.empty());
  EXPECT_EQ(fa, fb);
}

TEST(TraceFixtures, OtlpAndJaegerGiveTheSameTrees) {
  REQUIRE_FIXTURES();
  ExpectSameTrees("otlp/otlp2jaeger-in.json", "jaeger/otlp2jaeger-out.json");
}

TEST(TraceFixtures, OtlpAndJaegerMultiGiveTheSameTrees) {
  REQUIRE_FIXTURES();
  ExpectSameTrees("otlp/otlp2jaeger-multi-in-combined.json", "jaeger/oltp2jaeger-multi-out.json");
}

TEST(TraceFixtures, MultiTreeShape) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(
      ReadTraceFile(TestFixture("traces", "otlp/otlp2jaeger-multi-in-combined.json"), &set).ok());
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  const Trace& t = traces[0];
  ASSERT_EQ(t.roots.size(), 1u);
  EXPECT_EQ(t.SpanOf(set, t.roots[0])->name, "main");
  EXPECT_EQ(t.orphans, 0u);
  EXPECT_EQ(t.order.size(), 4u);
  // main > info > (ohboy.do, ohboy.do)
  EXPECT_EQ(t.nodes[t.order[1]].depth, 1u);
  EXPECT_EQ(t.nodes[t.order[2]].depth, 2u);
  EXPECT_EQ(t.nodes[t.order[3]].depth, 2u);
}

TEST(TraceFixtures, DuplicateSpansAreMerged) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "otlp/otlp2jaeger-in.json"), &set).ok());
  EXPECT_EQ(set.spans.size(), 2u);
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  // Two identical copies of one span whose parent is missing: one node under the synthetic root.
  EXPECT_EQ(traces[0].order.size(), 2u);
  EXPECT_EQ(traces[0].orphans, 1u);
  EXPECT_EQ(traces[0].missing.size(), 1u);
  EXPECT_EQ(traces[0].nodes[traces[0].order[1]].duplicates, 1u);
}

TEST(TraceFixtures, OtlpProtoExampleUppercaseIds) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "otlp/trace.json"), &set).ok());
  ASSERT_EQ(set.spans.size(), 1u);
  const Span& s = set.spans[0];
  EXPECT_EQ(FormatTraceId(s.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(FormatSpanId(s.span_id), "eee19b7ec3c1b174");
  EXPECT_EQ(s.service, "my.service");
  EXPECT_EQ(s.kind, SpanKind::kServer);
  EXPECT_EQ(s.duration(), kNanosPerSecond);
  EXPECT_EQ(set.Attribute(s, "my.span.attr"), "some value");
}

TEST(TraceFixtures, EveryZipkinFileParsesCompletely) {
  REQUIRE_FIXTURES();
  for (const auto& entry : fs::directory_iterator(TestFixture("traces", "zipkin"))) {
    SpanSet set;
    ASSERT_TRUE(ReadTraceFile(entry.path().string(), &set).ok()) << entry.path();
    EXPECT_EQ(set.files[0].format, TraceFormat::kZipkin) << entry.path();
    EXPECT_EQ(set.files[0].skipped, 0u) << entry.path();
    EXPECT_GT(set.spans.size(), 0u) << entry.path();
    std::vector<Trace> traces = BuildTraces(&set);
    size_t placed = 0;
    for (const Trace& t : traces) placed += t.order.size() - t.missing.size();
    size_t merged = 0;
    for (const Trace& t : traces)
      for (const TraceNode& n : t.nodes) merged += n.duplicates;
    EXPECT_EQ(placed + merged, set.spans.size()) << entry.path();
  }
}

TEST(TraceFixtures, SmartthingsHas175SpansAcross8Services) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(
      ReadTraceFile(TestFixture("traces", "zipkin/smartthings-oauth-authorization.json"), &set)
          .ok());
  EXPECT_EQ(set.spans.size(), 175u);
  std::set<std::string_view> services;
  for (const Span& s : set.spans) services.insert(s.service);
  EXPECT_EQ(services.size(), 8u);
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  // The critical path covers the root span's whole duration (no gaps in a path).
  CriticalPath cp = ComputeCriticalPath(set, traces[0]);
  const TraceNode& root = traces[0].nodes[traces[0].roots[0]];
  EXPECT_EQ(cp.total_ns, root.duration());
  // Self times never exceed durations and are never negative.
  std::vector<int64_t> self = SelfTimes(traces[0]);
  for (uint32_t n : traces[0].order) {
    EXPECT_GE(self[n], 0);
    EXPECT_LE(self[n], traces[0].nodes[n].duration());
  }
}

TEST(TraceFixtures, ZipkinSharedSpansAreKeptApart) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "zipkin/skew.json"), &set).ok());
  ASSERT_EQ(set.spans.size(), 4u);
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  const Trace& t = traces[0];
  EXPECT_EQ(t.order.size(), 4u);
  EXPECT_EQ(t.orphans, 0u);
  // get (servicea) > post client (servicea) > post server (serviceb, shared) > async (serviceb)
  std::vector<std::string> chain;
  for (uint32_t n : t.order)
    chain.push_back(std::string(t.SpanOf(set, n)->service) + "/" +
                    std::string(SpanKindName(t.SpanOf(set, n)->kind)) + "/" +
                    std::to_string(t.nodes[n].depth));
  EXPECT_EQ(chain, (std::vector<std::string>{"servicea/server/0", "servicea/client/1",
                                             "serviceb/server/2", "serviceb/unspecified/3"}));
}

TEST(TraceFixtures, ZipkinSkewIsDetectedAndAdjustedAsJaegerWould) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "zipkin/skew.json"), &set).ok());
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  Trace& t = traces[0];
  SkewReport r = AdjustClockSkew(set, &t, /*apply=*/true);
  EXPECT_EQ(r.violations, 1u);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].parent_host, "127.0.0.0");
  EXPECT_EQ(r.pairs[0].child_host, "192.0.0.0");
  // Jaeger: the server span (93577 us) is centred in the client span (94539 us starting at
  // 1470150004074202): latency (94539 - 93577) / 2 = 481 us, so it moves to ...074683, a delta
  // of 74683 - 8761 = 65922 us; the async span on the same host carries the same delta.
  EXPECT_EQ(r.pairs[0].estimate_ns, 65922 * 1000);
  ASSERT_EQ(r.shifts.size(), 2u);
  for (const SkewShift& sh : r.shifts) {
    EXPECT_EQ(sh.delta_ns, 65922 * 1000);
    EXPECT_TRUE(sh.applied);
  }
  for (uint32_t n : t.order) {
    const Span* s = t.SpanOf(set, n);
    EXPECT_EQ(t.nodes[n].duration(), s->duration()) << "shifted, never stretched";
    if (s->shared) EXPECT_EQ(t.nodes[n].start, 1470150004074683 * 1000);
    if (s->name == "async") EXPECT_EQ(t.nodes[n].start, (1470150004008762 + 65922) * 1000);
  }
  // Once adjusted, nothing is left to adjust.
  SkewReport again = AdjustClockSkew(set, &t, false);
  EXPECT_EQ(again.violations, 0u);
  EXPECT_TRUE(again.shifts.empty());
}

TEST(TraceFixtures, JaegerUiFixtures) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "jaeger/testTrace.json"), &set).ok());
  EXPECT_EQ(set.spans.size(), 11u);
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_EQ(traces[0].orphans, 0u);
  EXPECT_EQ(traces[0].roots.size(), 1u);
  EXPECT_EQ(FormatTraceId(traces[0].id), "trace-123");  // not hex: printed as written
  ASSERT_NE(FindTrace(traces, "trace-123"), nullptr);
  size_t errors = 0;
  for (const Span& s : set.spans) errors += s.error();
  EXPECT_GE(errors, 1u);
  // span-7 FOLLOWS_FROM span-6.
  for (const Span& s : set.spans)
    if (s.span_id_text == "span-7") EXPECT_EQ(s.parent_ref, RefType::kFollowsFrom);

  SpanSet flame;
  ASSERT_TRUE(
      ReadTraceFile(TestFixture("traces", "jaeger/flamegraph-testTrace.json"), &flame).ok());
  EXPECT_EQ(flame.spans.size(), 4u);
  std::set<std::string_view> services;
  for (const Span& s : flame.spans) services.insert(s.service);
  EXPECT_EQ(services, (std::set<std::string_view>{"load-generator", "ride-sharing-app"}));
}

TEST(TraceFixtures, JaegerUi01ClashingIdsAndMissingParents) {
  REQUIRE_FIXTURES();
  SpanSet set;
  ASSERT_TRUE(ReadTraceFile(TestFixture("traces", "jaeger/ui_01.json"), &set).ok());
  EXPECT_EQ(set.spans.size(), 5u);
  std::vector<Trace> traces = BuildTraces(&set);
  ASSERT_EQ(traces.size(), 1u);
  bool clash = false, missing = false;
  for (const TraceIssue& i : set.issues) {
    clash |= i.message.find("same id") != std::string::npos;
    missing |= i.message.find("not in the trace") != std::string::npos;
  }
  EXPECT_TRUE(clash);
  EXPECT_TRUE(missing);  // span 4's first CHILD_OF names 00000000000000ff
}

}  // namespace
}  // namespace inquest
