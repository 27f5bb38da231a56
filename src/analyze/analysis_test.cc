// Analyzes the checked-in example bundle and checks the conclusions against the ground truth
// its generator wrote (examples/checkout-stampede/expected.json).
#include "analyze/analysis.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/decompress.h"
#include "tests/support/test_files.h"
#include "timeline/exception_groups.h"

namespace inquest {
namespace {

const std::string kBundle = TestSourceDir() + "/examples/checkout-stampede";

struct Expected {
  std::string onset, recovery, trigger_ref, merged_ref, invalidate_file, stampede_key;
  std::string saturated_service, saturated_resource, first_alert;
  std::vector<std::string> trigger_shipped;  // refs of what the trigger deploy shipped
  int64_t failed = -1, total = -1;
  std::map<std::string, int64_t> lines;
};

Expected ReadExpected() {
  Expected x;
  std::ifstream f(kBundle + "/expected.json");
  std::stringstream ss;
  ss << f.rdbuf();
  simdjson::dom::parser p;  // DOM: its parser is compiled in libsimdjson, not inlined here
  simdjson::dom::element doc = p.parse(ss.str());
  auto inc = doc["incident"];
  x.onset = std::string(std::string_view(inc["onset"]));
  x.recovery = std::string(std::string_view(inc["recovery"]));
  x.first_alert = std::string(std::string_view(inc["first_alert"]));
  x.invalidate_file = std::string(std::string_view(inc["invalidate"]["file"]));
  x.merged_ref = std::string(std::string_view(inc["merged_change"]["ref"]));
  x.saturated_resource = std::string(std::string_view(inc["saturated_resource"]));
  x.saturated_service = std::string(std::string_view(inc["saturated_service"]));
  x.stampede_key = std::string(std::string_view(inc["stampede_key"]));
  x.trigger_ref = std::string(std::string_view(inc["trigger_change"]["ref"]));
  for (auto ref : inc["trigger_change"]["shipped"].get_array())
    x.trigger_shipped.emplace_back(std::string_view(ref));
  auto impact = doc["impact"];
  x.failed = int64_t(impact["failed"]);
  x.total = int64_t(impact["total"]);
  for (auto field : doc["lines"].get_object())
    x.lines[std::string(field.key)] = int64_t(field.value);
  return x;
}

// The example analyzed as it is, and under budgets so tight that the second pass reads a narrow
// window and the request table spills many runs: the conclusions must not change.
enum class Budget { kAmple, kTight };

class ExampleBundleTest : public ::testing::TestWithParam<Budget> {
 protected:
  static void SetUpTestSuite() { expected_ = new Expected(ReadExpected()); }
  static void TearDownTestSuite() {
    for (Analysis*& a : analyses_) {
      delete a;
      a = nullptr;
    }
    delete expected_;
  }
  static const Analysis& Get(Budget b) {
    Analysis*& slot = analyses_[static_cast<int>(b)];
    if (!slot) {
      AnalyzeOptions opts;
      opts.dir = kBundle;
      if (b == Budget::kTight) {
        opts.window_budget_bytes = 1200 << 10;  // about a quarter of the example's logs
        opts.requests_in_memory = 256;
      }
      Result<Analysis> r = AnalyzeBundle(opts, nullptr);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      slot = new Analysis(std::move(r).value());
    }
    return *slot;
  }
  const Analysis& analysis() const { return Get(GetParam()); }
  static Analysis* analyses_[2];
  static Expected* expected_;
};
Analysis* ExampleBundleTest::analyses_[2] = {nullptr, nullptr};
Expected* ExampleBundleTest::expected_ = nullptr;

TimePoint At(const std::string& iso) {
  ParsedTime pt;
  EXPECT_TRUE(ParseTimeValue(iso, {}, &pt)) << iso;
  return pt.time;
}

TEST_P(ExampleBundleTest, EveryFileTakenForWhatItIs) {
  const Analysis& a = analysis();
  std::map<std::string, const InputReport*> by_name;
  for (const InputReport& r : a.inputs) by_name[r.relative] = &r;
  for (const auto& [name, lines] : expected_->lines) {
    ASSERT_TRUE(by_name.count(name)) << name;
    const InputReport& r = *by_name[name];
    EXPECT_TRUE(r.error.ok()) << name << ": " << r.error.ToString();
    EXPECT_EQ(static_cast<int64_t>(r.lines), lines) << name;
    EXPECT_EQ(r.skipped, 0u) << name;
    if (name.starts_with("pods/") || name.starts_with("edge/"))
      EXPECT_EQ(r.kind, EvidenceKind::kLog) << name << ": " << r.reason;
  }
  EXPECT_EQ(by_name["exports/0529-a.jsonl"]->kind, EvidenceKind::kChanges);
  EXPECT_EQ(by_name["exports/0529-b.jsonl"]->detection, DetectionSource::kAlert);
  EXPECT_EQ(by_name["exports/0529-c.jsonl"]->detection, DetectionSource::kPage);
  EXPECT_EQ(by_name["exports/0529-d.jsonl"]->detection, DetectionSource::kTicket);
  EXPECT_EQ(by_name["expected.json"]->kind, EvidenceKind::kUnknown);
}

TEST_P(ExampleBundleTest, OnsetAndRecoveryInTheRightMinute) {
  const Analysis& a = analysis();
  ASSERT_TRUE(a.onset.found) << a.onset.explanation;
  EXPECT_EQ(a.onset.time, At(expected_->onset)) << FormatTime(a.onset.time);
  EXPECT_EQ(a.onset.recovery, At(expected_->recovery)) << FormatTime(a.onset.recovery);
  EXPECT_GE(a.precise_onset, a.onset.time);
  EXPECT_LT(a.precise_onset, a.onset.time + kAnalysisWindowNs);
}

TEST_P(ExampleBundleTest, ImpactCountsEachRequestOnce) {
  const Analysis& a = analysis();
  ASSERT_TRUE(a.impact.known);
  EXPECT_EQ(static_cast<int64_t>(a.impact.failed), expected_->failed);
  EXPECT_EQ(static_cast<int64_t>(a.impact.total), expected_->total);
  // Several files log each failure: the per-file counts add up to more than the total.
  uint64_t sum = 0;
  for (const auto& [file, n] : a.impact.by_service) sum += n;
  EXPECT_GT(sum, a.impact.failed);
}

TEST_P(ExampleBundleTest, TriggerDeployAndInvalidateRankedHigh) {
  const Analysis& a = analysis();
  ASSERT_GE(a.ranked.size(), 3u);
  int deploy = -1, invalidate = -1;
  for (size_t i = 0; i < a.ranked.size(); ++i) {
    const Change& c = a.ranked[i].change;
    if (deploy < 0 && c.ref.find(expected_->trigger_ref) != std::string::npos)
      deploy = static_cast<int>(i);
    if (invalidate < 0 && c.source.starts_with(expected_->invalidate_file) &&
        c.time >= a.onset.time - kAnalysisWindowNs)
      invalidate = static_cast<int>(i);
  }
  EXPECT_GE(deploy, 0);
  EXPECT_LT(deploy, 3) << "the TTL deploy is among the top three";
  EXPECT_GE(invalidate, 0);
  EXPECT_LT(invalidate, 3) << "the invalidate event is among the top three";
}

// The deploy names the merge commit PR #4412's record carries: one candidate with both
// references, the PR under the deploy and not ranked on its own.
TEST_P(ExampleBundleTest, TheDeployRanksWithThePrItShipped) {
  const Analysis& a = analysis();
  ASSERT_FALSE(a.ranked.empty());
  const RankedChange& top = a.ranked.front();
  EXPECT_NE(top.change.ref.find(expected_->trigger_ref), std::string::npos) << top.change.ref;
  ASSERT_EQ(top.shipped.size(), expected_->trigger_shipped.size());
  for (size_t i = 0; i < top.shipped.size(); ++i) {
    EXPECT_EQ(top.shipped[i].ref, expected_->trigger_shipped[i]);
    EXPECT_EQ(top.shipped[i].link, "both name commit 9f1e2ab");
  }
  for (const RankedChange& r : a.ranked)
    EXPECT_NE(r.change.ref, expected_->merged_ref) << "ranked on its own: " << r.change.source;
  // The timeline keeps it.
  EXPECT_TRUE(std::any_of(a.changes.begin(), a.changes.end(),
                          [&](const Change& c) { return c.ref == expected_->merged_ref; }));
}

TEST_P(ExampleBundleTest, ContributingFactorsFound) {
  const Analysis& a = analysis();
  std::map<std::string, const Finding*> by_kind;
  for (const Finding& f : a.findings) by_kind.emplace(f.kind, &f);
  ASSERT_TRUE(by_kind.count("cache-stampede"));
  EXPECT_EQ(by_kind["cache-stampede"]->subject, expected_->stampede_key);
  ASSERT_TRUE(by_kind.count("saturation"));
  EXPECT_EQ(by_kind["saturation"]->service, expected_->saturated_service);
  EXPECT_EQ(by_kind["saturation"]->subject, expected_->saturated_resource);
  ASSERT_TRUE(by_kind.count("missing-alert"));
  EXPECT_EQ(by_kind["missing-alert"]->service, expected_->saturated_service);
  ASSERT_TRUE(by_kind.count("retry-storm"));
  EXPECT_EQ(by_kind["retry-storm"]->subject, "no jitter");
  ASSERT_TRUE(by_kind.count("one-step-rollout"));
  EXPECT_NE(by_kind["one-step-rollout"]->subject.find(expected_->trigger_ref), std::string::npos);
  // The alert fired promptly: no detection-gap finding.
  EXPECT_FALSE(by_kind.count("detection-gap"));
  for (const Finding& f : a.findings) {
    EXPECT_FALSE(f.evidence.empty()) << f.kind;
    for (const EvidenceRef& r : f.evidence) EXPECT_NE(r.source.find(':'), std::string::npos);
  }
}

TEST_P(ExampleBundleTest, BackgroundExceptionIsNotAFinding) {
  if (GetParam() == Budget::kTight) {
    // The narrow window holds too few of the every-25-minutes lines to group; no finding either.
    for (const Finding& f : analysis().findings) EXPECT_NE(f.kind, "exception") << f.title;
    return;
  }
  // recs-api logs the same SocketTimeoutException every 25 minutes, before, during and after
  // the incident: a steady background signature, never news.
  const Analysis& a = analysis();
  std::vector<const Event*> traced;
  for (const Event* e : a.events)
    if (e->extra_lines > 0) traced.push_back(e);
  ExceptionScan scan = GroupExceptions(traced, kAnalysisWindowNs);
  ASSERT_EQ(scan.groups.size(), 1u);
  EXPECT_EQ(scan.groups[0].signature.Label(), "SocketTimeoutException at ModelClient.refresh:91");
  EXPECT_GE(scan.groups[0].count, 2u);
  for (const Finding& f : a.findings) EXPECT_NE(f.kind, "exception") << f.title;
}

TEST(AnalyzeBundleTest, TracebackFileBecomesAFinding) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("inquest-tb-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "app.log") << "2026-05-29T14:00:00Z INFO started\n"
                                    "2026-05-29T14:00:05Z ERROR worker died\n";
  std::string tb =
      "Traceback (most recent call last):\n"
      "  File \"/srv/app/jobs/sync.py\", line 41, in run\n"
      "    push(batch)\n"
      "  File \"/srv/app/jobs/push.py\", line 12, in push\n"
      "    client.send(batch)\n"
      "  File \"/usr/lib/python3/dist-packages/requests/api.py\", line 59, in request\n"
      "    return session.request(method=method, url=url, **kwargs)\n"
      "requests.exceptions.ConnectTimeout: batch 4411 timed out\n";
  std::ofstream(dir / "stderr.txt") << tb << tb;
  AnalyzeOptions opts;
  opts.dir = dir.string();
  Result<Analysis> r = AnalyzeBundle(opts, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Finding* found = nullptr;
  for (const Finding& f : r->findings)
    if (f.kind == "exception") found = &f;
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title,
            "ConnectTimeout at push (push.py:12) in the traceback file stderr.txt, 2 times");
  EXPECT_EQ(found->evidence.front().source, "stderr.txt:1");
  fs::remove_all(dir);
}

TEST_P(ExampleBundleTest, DetectionFromTheAlert) {
  const Analysis& a = analysis();
  ASSERT_GE(a.first_alert, 0);
  EXPECT_EQ(a.signals[a.first_alert].time, At(expected_->first_alert));
  EXPECT_EQ(a.time_to_detect_ns, At(expected_->first_alert) - a.onset.time);
}

TEST_P(ExampleBundleTest, ExampleRequestSpansServices) {
  const Analysis& a = analysis();
  ASSERT_FALSE(a.example.steps.empty());
  EXPECT_GE(a.example.services.size(), 2u);
}

TEST_P(ExampleBundleTest, TheSecondPassReadWhatItsBudgetAllows) {
  const Analysis& a = analysis();
  if (GetParam() == Budget::kAmple) {
    EXPECT_EQ(a.window_from, kNoTime) << "a small bundle is read back whole";
    return;
  }
  ASSERT_NE(a.window_from, kNoTime);
  EXPECT_LE(a.window_from, a.onset.time - 2 * kAnalysisWindowNs);
  EXPECT_GE(a.window_to, a.onset.time + 2 * kAnalysisWindowNs);
  bool noted = false;
  for (const std::string& n : a.notes)
    noted |= n.find("the second pass reads back") != std::string::npos;
  EXPECT_TRUE(noted);
  // Every record was still counted.
  EXPECT_EQ(a.log_records, Get(Budget::kAmple).log_records);
}

INSTANTIATE_TEST_SUITE_P(Budgets, ExampleBundleTest,
                         ::testing::Values(Budget::kAmple, Budget::kTight),
                         [](const ::testing::TestParamInfo<Budget>& i) {
                           return i.param == Budget::kAmple ? std::string("Ample")
                                                            : std::string("Tight");
                         });

TEST(AnalyzeBundleTest, AStrayRecordAYearAwayIsNamedAndLeftOut) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("inquest-stray-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "api.log");
    for (int i = 0; i < 600; ++i)
      f << fmt::format("2026-05-29T14:{:02d}:{:02d}Z {} request_id=r{} served\n", i / 60 % 60,
                       i % 60, i >= 400 && i < 460 ? "ERROR" : "INFO", i);
    f << "2025-05-29T14:00:00Z INFO request_id=old stray line\n";  // line 601
  }
  AnalyzeOptions opts;
  opts.dir = dir.string();
  Result<Analysis> r = AnalyzeBundle(opts, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  bool named = false;
  for (const InputReport& in : r->inputs)
    for (const std::string& n : in.notes) named |= n.starts_with("line 601: dated 2025-05-29");
  EXPECT_TRUE(named);
  ASSERT_FALSE(r->series.empty());
  EXPECT_LE(r->series[0].windows.size(), 10u) << "the stray stretched the windows";
  fs::remove_all(dir);
}

TEST(AnalyzeBundleTest, ADecompressionBombIsAClearErrorInBoundedMemory) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("inquest-bomb-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string line = "2026-05-29T14:00:00Z INFO served request id=42\n";
  std::string text;
  while (text.size() < (8 << 20)) text += line;
  std::string packed(ZSTD_compressBound(text.size()), '\0');
  packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
  std::ofstream(dir / "app.log.zst", std::ios::binary) << packed;
  ExpansionLimits saved = CurrentExpansionLimits();
  SetExpansionLimits({/*max_bytes=*/uint64_t{2} << 20, /*max_ratio=*/1000});
  AnalyzeOptions opts;
  opts.dir = dir.string();
  Result<Analysis> r = AnalyzeBundle(opts, nullptr);
  SetExpansionLimits(saved);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
  EXPECT_NE(r.status().message().find("app.log.zst: zstd data decompresses to more than"),
            std::string::npos)
      << r.status().message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inquest
