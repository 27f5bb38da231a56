// The two passes over one file agree with a whole load: the first pass's index and change
// places point at the right records, and the second pass reads back exactly the records of the
// windows asked for, plain or compressed, whichever thread read which range.
#include "analyze/window_pass.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "analyze/incident_window.h"
#include "analyze/log_pass.h"
#include "timeline/detectors/change_events.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

constexpr TimePoint kPassStart = 1780063200LL * kNanosPerSecond;  // 2026-05-29T14:00:00Z
constexpr int64_t kPassMinute = 60 * kNanosPerSecond;

// About 12 MiB of JSON lines over an hour, a little out of order, with a deploy line now and
// then and multi-line records: enough for two ranges of the scan.
std::string MakeLog(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out;
  for (int i = 0; i < 80000; ++i) {
    // Each draw in its own statement: argument order is unspecified, and the data must not
    // depend on the compiler.
    TimePoint jitter = static_cast<TimePoint>(rng() % 3000) * kNanosPerMilli;
    TimePoint t = kPassStart + static_cast<TimePoint>(i) * 45 * kNanosPerMilli + jitter;
    std::string msg = i % 9973 == 0 ? "deployed api v1." + std::to_string(i) : "served";
    const char* level = rng() % 20 == 0 ? "error" : "info";
    std::string pad(rng() % 60, 'x');
    out += fmt::format(R"({{"ts":"{}","level":"{}","msg":"{}","request_id":"r{}","pad":"{}"}})",
                       FormatTime(t, 3), level, msg, i / 3, pad);
    out += '\n';
  }
  return out;
}

std::string ZstdOf(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

class TwoPassTest : public ::testing::TestWithParam<bool> {  // compressed?
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inquest-2pass-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    text_ = MakeLog(17);
    path_ = (dir_ / (GetParam() ? "api.log.zst" : "api.log")).string();
    std::ofstream(path_, std::ios::binary) << (GetParam() ? ZstdOf(text_) : text_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string text_, path_;
};

TEST_P(TwoPassTest, SecondPassReadsExactlyTheWindowsAskedFor) {
  FormatRegistry registry;
  LoadOptions load;
  RequestTable requests;
  LogPassRules rules;
  rules.rate.width_ns = kPassMinute;
  rules.rate.group_by = "service";
  rules.requests = &requests;
  LogPassSink file(rules);
  ScanSinks sinks;
  sinks.make = [&] { return std::make_unique<LogPassSink>(rules); };
  sinks.merge = [&](std::unique_ptr<RecordSink> s, uint64_t base) {
    ASSERT_TRUE(file.Merge(std::move(static_cast<LogPassSink&>(*s)), base).ok());
  };
  ScanReport report;
  ASSERT_TRUE(ScanLogFile(path_, 0, registry, load, 2, sinks, &report).ok());
  file.Flush();
  ASSERT_EQ(report.records, 80000u);

  // The whole file, loaded the ordinary way: the reference.
  Result<std::unique_ptr<LogFile>> whole =
      LoadLogFile(InputFile::FromString(text_, path_), 0, registry, load);
  ASSERT_TRUE(whole.ok());
  const std::vector<Event>& all = (*whole)->events;

  // The index: every record of a window lies in its span, and the span starts at its first.
  for (const Event& e : all) {
    auto it = file.index.find(WindowIndex(e.time, kPassMinute));
    ASSERT_NE(it, file.index.end());
    ASSERT_GE(e.offset, it->second.begin);
    ASSERT_LE(e.offset, it->second.last);
    if (e.offset == it->second.begin) ASSERT_EQ(e.line, it->second.line);
  }
  // Change places point at change-like records, with their lines.
  size_t change_like = 0;
  for (const Event& e : all) change_like += ChangeKindOfEvent(e).has_value();
  ASSERT_GT(change_like, 3u);
  ASSERT_EQ(file.change_places.size(), change_like);
  for (const RecordPlace& p : file.change_places) {
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Event& e) { return e.offset == p.offset; });
    ASSERT_NE(it, all.end());
    EXPECT_EQ(it->line, p.line);
    EXPECT_TRUE(ChangeKindOfEvent(*it).has_value());
  }

  // Windows 20..27 read back, with the change places.
  const TimePoint from = kPassStart + 20 * kPassMinute, to = kPassStart + 28 * kPassMinute;
  WindowRequest req;
  req.spans = {{from, to}};
  req.width_ns = kPassMinute;
  req.places = file.change_places;
  Result<std::unique_ptr<LogFile>> back =
      ReadWindow(path_, 0, report.context, nullptr, file.index, req);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  std::vector<const Event*> want;
  for (const Event& e : all)
    if (e.time >= from && e.time < to) want.push_back(&e);
  size_t outside_places = 0;
  for (const RecordPlace& p : file.change_places) {
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Event& e) { return e.offset == p.offset; });
    outside_places += it->time < from || it->time >= to;
  }
  const std::vector<Event>& got = (*back)->events;
  {
    std::set<uint64_t> read;
    for (const Event& e : got) read.insert(e.offset);
    for (const Event* e : want) EXPECT_TRUE(read.count(e->offset)) << "line " << e->line;
    for (const RecordPlace& p : file.change_places)
      EXPECT_TRUE(read.count(p.offset)) << "placed line " << p.line;
  }
  ASSERT_EQ(got.size(), want.size() + outside_places);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].time, want[i]->time);
    EXPECT_EQ(got[i].line, want[i]->line);
    EXPECT_EQ(got[i].offset, want[i]->offset);
    EXPECT_EQ(got[i].request_id, want[i]->request_id);
  }
  for (size_t i = want.size(); i < got.size(); ++i)
    EXPECT_TRUE(ChangeKindOfEvent(got[i]).has_value()) << got[i].line;

  // A cap on the bytes reads the window's first records only, never a broken one.
  WindowRequest capped = req;
  capped.places.clear();
  capped.spans[0].max_bytes = 100'000;
  Result<std::unique_ptr<LogFile>> part =
      ReadWindow(path_, 0, report.context, nullptr, file.index, capped);
  ASSERT_TRUE(part.ok());
  ASSERT_GT((*part)->events.size(), 300u);
  EXPECT_LT((*part)->events.size(), 1000u);
  EXPECT_EQ((*part)->stats.malformed, 0u);
  for (const Event& e : (*part)->events) EXPECT_LT(e.offset, got.front().offset + 100'000);

  // Without an index to go by, the file is read from its start, within the cap.
  WindowRequest blind;
  blind.width_ns = kPassMinute;
  blind.whole_file = true;
  blind.spans = {{kNoTime, kNoTime, 100'000}};
  Result<std::unique_ptr<LogFile>> head = ReadWindow(path_, 0, report.context, nullptr, {}, blind);
  ASSERT_TRUE(head.ok());
  ASSERT_GT((*head)->events.size(), 300u);
  EXPECT_EQ((*head)->events.front().line, 1u);
  for (const Event& e : (*head)->events) EXPECT_LT(e.offset, 100'000u);

  // Two spans, a lead and an incident, each capped: the records nearest the start of each,
  // none twice, none outside them.
  WindowRequest two;
  two.width_ns = kPassMinute;
  const TimePoint mid = kPassStart + 24 * kPassMinute;
  two.spans = {{from, mid, 50'000}, {mid, to, 200'000}};
  Result<std::unique_ptr<LogFile>> both =
      ReadWindow(path_, 0, report.context, nullptr, file.index, two);
  ASSERT_TRUE(both.ok());
  size_t in_lead = 0, in_incident = 0;
  std::set<uint64_t> offsets;
  for (const Event& e : (*both)->events) {
    EXPECT_TRUE(offsets.insert(e.offset).second) << "read twice: line " << e.line;
    ASSERT_GE(e.time, from);
    ASSERT_LT(e.time, to);
    (e.time < mid ? in_lead : in_incident)++;
  }
  EXPECT_GT(in_lead, 150u);
  EXPECT_GT(in_incident, 3 * in_lead);

  // The window's bytes as the index sees them are what a budget is judged by.
  uint64_t bytes = WindowBytes(file.index, kPassMinute, from, to);
  EXPECT_GT(bytes, text_.size() / 10);
  EXPECT_LT(bytes, text_.size() / 5);
  // The requests of the file, each once.
  size_t n = 0;
  ASSERT_TRUE(requests.ForEach([&](const RequestOutcome&) { ++n; }).ok());
  EXPECT_EQ(n, 80000u / 3 + 1);
}

INSTANTIATE_TEST_SUITE_P(PlainAndZstd, TwoPassTest, ::testing::Bool());

TEST(IncidentWindowTest, ASmallBundleIsReadWholeALargeOneAroundTheOnset) {
  // One file, one MiB per minute over four hours.
  std::map<int64_t, WindowSpan> index;
  int64_t first = WindowIndex(kPassStart, kPassMinute);
  for (int64_t w = 0; w < 240; ++w)
    index[first + w] =
        WindowSpan{static_cast<uint64_t>(w) << 20, static_cast<uint64_t>(w) * 5000 + 1,
                   (static_cast<uint64_t>(w) << 20) + 1000, 5000};
  std::vector<const std::map<int64_t, WindowSpan>*> indexes = {&index};
  Onset onset;
  onset.found = true;
  onset.time = kPassStart + 120 * kPassMinute;
  onset.recovery = onset.time + 10 * kPassMinute;
  TimePoint from = kPassStart, to = kPassStart + 240 * kPassMinute;
  IncidentWindow whole =
      ChooseIncidentWindow(onset, nullptr, from, to, kPassMinute, indexes, uint64_t{1} << 30);
  EXPECT_TRUE(whole.whole);
  EXPECT_TRUE(whole.note.empty());
  IncidentWindow w =
      ChooseIncidentWindow(onset, nullptr, from, to, kPassMinute, indexes, uint64_t{32} << 20);
  EXPECT_FALSE(w.whole);
  EXPECT_EQ(w.from, onset.time - kWindowLeadNs);
  EXPECT_EQ(w.to, onset.recovery + kWindowTailNs);
  EXPECT_LE(w.bytes, uint64_t{32} << 20);
  IncidentWindow tight =
      ChooseIncidentWindow(onset, nullptr, from, to, kPassMinute, indexes, uint64_t{12} << 20);
  EXPECT_LE(tight.bytes, uint64_t{12} << 20);
  EXPECT_EQ(tight.from, onset.time - kMinWindowLeadNs);  // the lead gives way first
  EXPECT_GT(tight.to, onset.time);
  EXPECT_FALSE(tight.note.empty());
  ASSERT_EQ(tight.spans.size(), 1u);
  EXPECT_EQ(tight.spans[0].share, 1);
  // Even the least window (2 min of lead, two windows after the onset: 4 MiB) is over 1 MiB:
  // the lead and the incident each read the same share of their bytes.
  IncidentWindow least =
      ChooseIncidentWindow(onset, nullptr, from, to, kPassMinute, indexes, uint64_t{1} << 20);
  EXPECT_EQ(least.from, onset.time - kMinWindowLeadNs);
  EXPECT_EQ(least.to, onset.time + 2 * kPassMinute);
  ASSERT_EQ(least.spans.size(), 2u);
  EXPECT_EQ(least.spans[0].to, onset.time);
  EXPECT_EQ(least.spans[1].from, onset.time);
  EXPECT_NEAR(least.spans[0].share, 0.5, 0.01);  // 1 MiB of the two spans' 2 MiB
  EXPECT_NEAR(least.spans[1].share, 0.5, 0.01);
  EXPECT_LE(least.bytes, uint64_t{1} << 20);
  EXPECT_NE(least.note.find("from the onset"), std::string::npos);
}

}  // namespace
}  // namespace inquest
