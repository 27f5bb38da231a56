#include "traces/trace_findings.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_files.h"

namespace inquest {
namespace {

const Finding* Find(const std::vector<Finding>& f, std::string_view kind) {
  for (const Finding& x : f)
    if (x.kind == kind) return &x;
  return nullptr;
}

TEST(TraceFindings, SkewSlowFailingAndCriticalPathOnRealTraces) {
  if (!std::filesystem::exists(TestFixture("traces", "")))
    GTEST_SKIP() << "fixtures folder is missing";
  std::vector<std::string> paths = {
      TestFixture("traces", "zipkin/skew.json"),
      TestFixture("traces", "zipkin/smartthings-oauth-authorization.json")};
  TraceSet ts = LoadTraceSet(paths);
  ASSERT_TRUE(ts.file_errors.empty());
  ASSERT_EQ(ts.traces.size(), 2u);
  std::vector<Finding> f = TraceFindings(ts, kNoTime, kNoTime);

  const Finding* skew = Find(f, "clock-skew");
  ASSERT_NE(skew, nullptr);
  EXPECT_EQ(skew->title, "The clock of 192.0.0.0 runs about 65.92ms behind 127.0.0.0's");
  ASSERT_FALSE(skew->evidence.empty());
  EXPECT_NE(skew->evidence[0].source.find("skew.json: byte "), std::string::npos);

  const Finding* failing = Find(f, "failing-trace");
  ASSERT_NE(failing, nullptr);
  EXPECT_EQ(failing->subject, "8ce82b2e9ed820ba");
  EXPECT_EQ(failing->evidence.size(), 2u);  // the trace's two error spans

  // Each trace is the only one of its root operation, so both are listed, with their duration.
  std::vector<std::string> slow;
  for (const Finding& x : f)
    if (x.kind == "slow-trace") slow.push_back(x.title);
  EXPECT_EQ(slow, (std::vector<std::string>{
                      "Trace 1e223ff1f80f1c69 (servicea: get) took 161.72ms",
                      "Trace 8ce82b2e9ed820ba (datamgmt: get /oauth/authorize) took 100.348s"}));

  size_t paths_found = 0;
  for (const Finding& x : f) paths_found += x.kind == "trace-critical-path";
  EXPECT_EQ(paths_found, 1u);  // the slowest trace is also the failing one: analysed once
  // Its root returned after 1.43ms of 100s: the finding says the path is not where the time went.
  for (const Finding& x : f) {
    if (x.kind != "trace-critical-path") continue;
    EXPECT_NE(x.title.find("; mostly asynchronous: the critical path covers 0.0014% of the trace"),
              std::string::npos)
        << x.title;
  }
  for (const Finding& x : f)
    for (const EvidenceRef& e : x.evidence) EXPECT_NE(e.source.find(": byte "), std::string::npos);
}

TEST(TraceFindings, WindowExcludesOtherTraces) {
  if (!std::filesystem::exists(TestFixture("traces", "")))
    GTEST_SKIP() << "fixtures folder is missing";
  std::vector<std::string> paths = {TestFixture("traces", "zipkin/skew.json")};
  TraceSet ts = LoadTraceSet(paths);
  ASSERT_EQ(ts.traces.size(), 1u);
  // A window a day after the trace: nothing to say.
  TimePoint after = ts.traces[0].end + 24 * 3600 * kNanosPerSecond;
  EXPECT_TRUE(TraceFindings(ts, after, after + kNanosPerSecond).empty());
  EXPECT_FALSE(TraceFindings(ts, ts.traces[0].start, ts.traces[0].end).empty());
}

}  // namespace
}  // namespace inquest
