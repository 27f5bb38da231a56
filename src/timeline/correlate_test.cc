#include "timeline/correlate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/support/test_files.h"
#include "timeline/merge.h"

namespace inquest {
namespace {

TEST(ContainsTokenTest, MatchesWholeTokensOnly) {
  EXPECT_TRUE(ContainsToken("[req-38101a0b-2096 abc]", "req-38101a0b-2096"));
  EXPECT_TRUE(ContainsToken("rid=7af3c2 done", "7af3c2"));
  EXPECT_TRUE(ContainsToken("7af3c2", "7af3c2"));
  EXPECT_TRUE(ContainsToken("request 7af3c2.", "7af3c2"));
  EXPECT_FALSE(ContainsToken("rid=7af3c21", "7af3c2"));
  EXPECT_FALSE(ContainsToken("x7af3c2", "7af3c2"));
  EXPECT_FALSE(ContainsToken("req-1-retry", "req-1x"));
  EXPECT_FALSE(ContainsToken("req-12", "req-1"));
  EXPECT_FALSE(ContainsToken("req-1-retry", "req-1"));       // a longer id that starts the same
  EXPECT_TRUE(ContainsToken("req-12 then req-1", "req-1"));  // found after a false start
  // The tail of a dashed id is a token of its own.
  EXPECT_TRUE(ContainsToken("[req-38101a0b-2096]", "38101a0b-2096"));
  EXPECT_FALSE(ContainsToken("", "a"));
  EXPECT_FALSE(ContainsToken("abc", ""));
}

TEST(MatchRequestTest, MatchesFieldsAttributesAndTextAndMeasuresGaps) {
  std::vector<Event> ev(5);
  for (size_t i = 0; i < ev.size(); ++i) ev[i].raw = "nothing here";
  ev[0].time = 1000 * kNanosPerMilli;
  ev[0].request_id = "7af3c2";
  ev[0].service = "checkout";
  ev[1].time = 1005 * kNanosPerMilli;
  ev[1].attrs = {{"parent_request", "7af3c2"}};
  ev[1].service = "checkout";
  ev[2].time = 1006 * kNanosPerMilli;  // another request
  ev[2].request_id = "other";
  ev[3].time = 5024 * kNanosPerMilli;
  ev[3].raw = "pricing.fetch.timeout after=4019ms rid=7af3c2";
  ev[3].service = "pricing";
  ev[4].time = 5025 * kNanosPerMilli;
  ev[4].trace_id = "7af3c2";
  ev[4].service = "checkout";
  std::vector<const Event*> ptrs;
  for (const Event& e : ev) ptrs.push_back(&e);
  RequestTimeline t = MatchRequest(ptrs, "7af3c2");
  ASSERT_EQ(t.steps.size(), 4u);
  EXPECT_EQ(t.steps[0].gap_ns, 0);
  EXPECT_EQ(t.steps[1].gap_ns, 5 * kNanosPerMilli);
  EXPECT_FALSE(t.steps[1].slow);
  EXPECT_EQ(t.steps[2].gap_ns, 4019 * kNanosPerMilli);
  EXPECT_TRUE(t.steps[2].slow);
  EXPECT_EQ(t.slow_gaps(), 1u);
  EXPECT_EQ(t.services, (std::vector<std::string>{"checkout", "pricing"}));
  EXPECT_EQ(t.duration_ns(), 4025 * kNanosPerMilli);
}

TEST(ScanFileForIdTest, FindsRecordsAndBacksUpOverContinuationLines) {
  std::string data;
  std::string expected_lines;
  // Enough lines that the two threads each get a part.
  for (int i = 0; i < 3000; ++i) {
    data += "2026-05-29T14:11:" + std::to_string(10 + i % 40) + ".000Z INFO svc line " +
            std::to_string(i) + (i % 1000 == 7 ? " rid=abc123" : "") + "\n";
    if (i == 2500) {
      data += "2026-05-29T14:11:30.000Z ERROR svc failed\n";
      data += "java.lang.IllegalStateException: boom\n";
      data += "    at com.example.Handler(Handler.java:10) request abc123\n";
    }
  }
  FormatRegistry registry;
  LoadOptions opts;
  auto scan = ScanFileForId(InputFile::FromString(data, "mem.log"), 0, "abc123", registry, opts);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  const IdScan& s = **scan;
  // Lines 7, 1007, 2007 hold the id as a token; the stack trace's record starts at the ERROR
  // line (line 2502: 2501 lines before it, counting from 1).
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_EQ(s.events[0].line, 8u);
  EXPECT_EQ(s.events[1].line, 1008u);
  EXPECT_EQ(s.events[2].line, 2008u);
  EXPECT_EQ(s.events[3].line, 2502u);
  EXPECT_EQ(s.events[3].level, Level::kError);
  EXPECT_NE(s.events[3].raw.find("Handler.java"), std::string_view::npos);
  EXPECT_EQ(s.hits, 4u);
}

TEST(SameIdTest, HexIdsCompareInEitherCase) {
  EXPECT_TRUE(SameId("4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_TRUE(SameId("00F067AA0BA902B7", "00f067aa0ba902b7"));
  EXPECT_TRUE(SameId("0AF7651916CD43DD-8448EB211C80319C", "0af7651916cd43dd-8448eb211c80319c"));
  EXPECT_FALSE(SameId("4BF92F3577B34DA6", "4bf92f3577b34da7"));
  // Ids that are not hex keep their case: "Req-Abc1" is not "req-abc1".
  EXPECT_FALSE(SameId("Req-Abc1", "req-abc1"));
  // Short hex words are not ids.
  EXPECT_FALSE(SameId("CAFE", "cafe"));
  EXPECT_TRUE(ContainsToken("trace=4BF92F3577B34DA6A3CE929D0E0E4736 done",
                            "4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_FALSE(
      ContainsToken("trace=4BF92F3577B34DA6A3CE929D0E0E47361", "4bf92f3577b34da6a3ce929d0e0e4736"));
}

TEST(ScanFileForIdTest, FindsHexIdsWrittenInTheOtherCase) {
  // An OTLP-style JSON log with upper-case trace ids, and a text log with lower case.
  std::string json, text;
  const std::string lower = "4bf92f3577b34da6a3ce929d0e0e4736";
  std::string upper = lower;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (int i = 0; i < 200; ++i) {
    bool ours = i % 50 == 3;
    json += "{\"time\":\"2026-05-29T14:11:" + std::to_string(10 + i % 40) +
            "Z\",\"level\":\"info\",\"trace_id\":\"" +
            (ours ? upper : "0000000000000000000000000000" + std::to_string(1000 + i)) +
            "\",\"msg\":\"m\"}\n";
    text += "2026-05-29T14:11:" + std::to_string(10 + i % 40) + ".000Z INFO svc line" +
            (ours ? " trace=" + lower : "") + "\n";
  }
  FormatRegistry registry;
  LoadOptions opts;
  for (const std::string& id : {lower, upper}) {
    auto js = ScanFileForId(InputFile::FromString(json, "otlp.jsonl"), 0, id, registry, opts);
    ASSERT_TRUE(js.ok()) << js.status().ToString();
    EXPECT_EQ((*js)->events.size(), 4u) << id;
    for (const Event& e : (*js)->events) EXPECT_EQ(e.trace_id, upper);
    auto tx = ScanFileForId(InputFile::FromString(text, "svc.log"), 1, id, registry, opts);
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    EXPECT_EQ((*tx)->events.size(), 4u) << id;
  }
}

// Conformance: an OpenStack request seen by nova-api and nova-compute is rebuilt across both.
TEST(ScanFileForIdTest, OpenStackRequestAcrossNovaApiAndNovaCompute) {
  std::string path = TestFixturesDir() + "/logs/loghub/OpenStack_2k.log";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "fixtures not present: " << path;
  // Independently: each req- id's lines per component (the file name at the start of the line).
  std::ifstream in(path);
  std::string line;
  std::map<std::string, std::map<std::string, int>> lines_by_id;
  std::vector<std::string> order;
  while (std::getline(in, line)) {
    size_t at = line.find("[req-");
    if (at == std::string::npos) continue;
    size_t end = line.find(' ', at);
    std::string id = line.substr(at + 1, end - at - 1);
    std::string component = line.substr(0, line.find('.'));
    if (!lines_by_id.count(id)) order.push_back(id);
    ++lines_by_id[id][component];
  }
  std::string id;
  for (const std::string& candidate : order) {
    const auto& by = lines_by_id[candidate];
    if (by.count("nova-api") && by.count("nova-compute")) {
      id = candidate;
      break;
    }
  }
  ASSERT_FALSE(id.empty()) << "no request in both nova-api and nova-compute";
  // Every line that holds the id anywhere (a plain substring scan).
  std::ifstream again(path);
  int api = 0, compute = 0, total = 0;
  while (std::getline(again, line)) {
    if (line.find(id) == std::string::npos) continue;
    ++total;
    api += line.starts_with("nova-api");
    compute += line.starts_with("nova-compute");
  }
  ASSERT_GT(api, 0);
  ASSERT_GT(compute, 0);

  FormatRegistry registry;
  LoadOptions opts;
  auto scan = ScanFileForId(path, 0, id, registry, opts);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  const IdScan& s = **scan;
  int got_api = 0, got_compute = 0;
  for (const Event& e : s.events) {
    got_api += e.raw.starts_with("nova-api");
    got_compute += e.raw.starts_with("nova-compute");
    EXPECT_NE(e.time, kNoTime);
  }
  EXPECT_EQ(static_cast<int>(s.events.size()), total);
  EXPECT_EQ(got_api, api);
  EXPECT_EQ(got_compute, compute);

  // The loaded path (whole file, merge, match) agrees with the fast path.
  auto file = LoadLogFile(path, 0, registry, opts);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  std::vector<const LogFile*> files = {file->get()};
  MergedTimeline merged = MergeEvents(files, EventFilter());
  RequestTimeline t = MatchRequest(merged.events, id);
  EXPECT_EQ(static_cast<int>(t.steps.size()), total);
  std::vector<uint64_t> fast_lines, slow_lines;
  for (const Event& e : s.events) fast_lines.push_back(e.line);
  for (const RequestStep& st : t.steps) slow_lines.push_back(st.event->line);
  std::sort(slow_lines.begin(), slow_lines.end());
  EXPECT_EQ(fast_lines, slow_lines);
  std::set<std::string> services(t.services.begin(), t.services.end());
  EXPECT_GE(services.size(), 2u) << "services seen: " << t.services.size();
}

}  // namespace
}  // namespace inquest
