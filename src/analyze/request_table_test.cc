#include "analyze/request_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "analyze/request_outcomes.h"

namespace inquest {
namespace {

TEST(ImpactTest, CountsDistinctRequestsByLastEvent) {
  std::vector<Event> ev(5);
  auto set = [](Event& e, double s, std::string_view id, Level l, uint32_t file) {
    e.time = static_cast<TimePoint>(s * kNanosPerSecond);
    e.request_id = id;
    e.level = l;
    e.file = file;
  };
  set(ev[0], 10, "a", Level::kInfo, 0);
  set(ev[1], 11, "a", Level::kError, 1);  // a failed, logged by two files
  set(ev[2], 11, "a", Level::kError, 0);
  set(ev[3], 12, "b", Level::kError, 1);  // b recovered: its last event is info
  set(ev[4], 13, "b", Level::kInfo, 0);
  std::vector<const Event*> ptrs;
  for (const Event& e : ev) ptrs.push_back(&e);
  std::unique_ptr<RequestTable> t = RequestTableOf(ptrs);
  Result<RequestWindows> w = CountRequests(*t, 60 * kNanosPerSecond);
  ASSERT_TRUE(w.ok());
  Impact im = ImpactOver(*w, {"x.log", "y.log"}, 0, 100 * kNanosPerSecond);
  EXPECT_EQ(im.total, 2u);
  EXPECT_EQ(im.failed, 1u);
  ASSERT_EQ(im.by_service.size(), 2u);  // a's error was logged in both files
  // Outside the window: nothing.
  Impact none = ImpactOver(*w, {}, 60 * kNanosPerSecond, 120 * kNanosPerSecond);
  EXPECT_EQ(none.total, 0u);
  EXPECT_TRUE(none.known);
}

// The reference: every request's outcome by the rule, from all its records.
struct Truth {
  TimePoint first = kNoTime, last = kNoTime;
  Level level = Level::kUnknown;
};

std::vector<RequestRecord> RandomRecords(uint64_t seed, size_t requests, size_t records) {
  std::mt19937_64 rng(seed);
  std::vector<RequestRecord> out;
  for (size_t i = 0; i < records; ++i) {
    RequestRecord r;
    r.id_hash = HashRequestId("req-" + std::to_string(rng() % requests));
    r.time = static_cast<TimePoint>(rng() % 1000) * kNanosPerSecond;
    r.level = rng() % 5 == 0 ? Level::kError : Level::kInfo;
    r.file = static_cast<uint32_t>(rng() % 6);
    out.push_back(r);
  }
  return out;
}

std::map<uint64_t, Truth> TruthOf(const std::vector<RequestRecord>& recs) {
  std::map<uint64_t, Truth> truth;
  for (const RequestRecord& r : recs) {
    Truth& t = truth[r.id_hash];
    if (t.first == kNoTime || r.time < t.first) t.first = r.time;
    if (t.last == kNoTime || r.time > t.last) {
      t.last = r.time;
      t.level = r.level;
    } else if (r.time == t.last && r.level > t.level) {
      t.level = r.level;
    }
  }
  return truth;
}

void ExpectTruth(const RequestTable& t, const std::map<uint64_t, Truth>& truth) {
  std::map<uint64_t, int> seen;
  ASSERT_TRUE(t.ForEach([&](const RequestOutcome& r) {
                 ++seen[r.id_hash];
                 auto it = truth.find(r.id_hash);
                 ASSERT_NE(it, truth.end());
                 EXPECT_EQ(r.first, it->second.first);
                 EXPECT_EQ(r.last, it->second.last);
                 EXPECT_EQ(r.failed(), it->second.level >= Level::kError);
               }).ok());
  EXPECT_EQ(seen.size(), truth.size());
  for (const auto& [hash, n] : seen) EXPECT_EQ(n, 1) << "visited twice";
}

TEST(RequestTableTest, SpilledRunsMergeBackToTheSameOutcomes) {
  std::vector<RequestRecord> recs = RandomRecords(3, 5000, 40000);
  RequestTable t(/*max_entries=*/512);  // 64 per shard: dozens of runs
  for (const RequestRecord& r : recs) t.Add(r.id_hash, r.time, r.level, r.file);
  ASSERT_TRUE(t.status().ok());
  EXPECT_GT(t.runs(), 8u);
  ExpectTruth(t, TruthOf(recs));
}

TEST(RequestTableTest, LargeRunsSortedInBucketsMergeBackToTheSameOutcomes) {
  // Runs of 6,000 per shard: past the size at which a run is sorted bucket by bucket.
  std::vector<RequestRecord> recs = RandomRecords(5, 150000, 300000);
  RequestTable t(/*max_entries=*/48000);
  for (const RequestRecord& r : recs) t.Add(r.id_hash, r.time, r.level, r.file);
  ASSERT_TRUE(t.status().ok());
  EXPECT_GT(t.runs(), 8u);
  ExpectTruth(t, TruthOf(recs));
}

TEST(RequestTableTest, BatchesFoldedFromTwoThreadsEqualOneThread) {
  std::vector<RequestRecord> recs = RandomRecords(7, 20000, 100000);
  RequestTable t(/*max_entries=*/4096);
  auto fold = [&](size_t from, size_t to) {
    std::vector<RequestRecord> batch;
    for (size_t i = from; i < to; ++i) {
      batch.push_back(recs[i]);
      if (batch.size() == 1000) t.Fold(&batch);
    }
    t.Fold(&batch);
  };
  std::thread other(fold, 0, recs.size() / 2);
  fold(recs.size() / 2, recs.size());
  other.join();
  ASSERT_TRUE(t.status().ok());
  ExpectTruth(t, TruthOf(recs));
}

TEST(RequestTableTest, ErrorFilesAreUnitedAcrossRuns) {
  RequestTable t(/*max_entries=*/8);
  uint64_t id = HashRequestId("r1");
  t.Add(id, 1, Level::kError, 3);
  for (int i = 0; i < 200; ++i) t.Add(HashRequestId("x" + std::to_string(i)), 2, Level::kInfo, 0);
  t.Add(id, 5, Level::kError, 4);
  t.Add(id, 5, Level::kError, 3);
  int found = 0;
  ASSERT_TRUE(t.ForEach([&](const RequestOutcome& r) {
                 if (r.id_hash != id) return;
                 ++found;
                 EXPECT_EQ(r.error_file_count, 2);
                 EXPECT_TRUE(r.failed());
               }).ok());
  EXPECT_EQ(found, 1);
}

TEST(RequestSeriesTest, RequestsAtTheirFirstRecordFailedAtTheirLast) {
  RequestTable t;
  t.Add(HashRequestId("a"), 10 * kNanosPerSecond, Level::kInfo, 0);
  t.Add(HashRequestId("a"), 70 * kNanosPerSecond, Level::kError, 1);  // fails in minute 1
  t.Add(HashRequestId("b"), 75 * kNanosPerSecond, Level::kInfo, 0);
  t.Add(HashRequestId("stray"), 400LL * 86400 * kNanosPerSecond, Level::kInfo, 0);
  Result<RequestWindows> w = CountRequests(t, 60 * kNanosPerSecond, 0, 3600 * kNanosPerSecond);
  ASSERT_TRUE(w.ok());
  const Series& s = w->series;
  ASSERT_EQ(s.windows.size(), 2u);  // the stray outside [from, to) stretches nothing
  EXPECT_EQ(s.windows[0].total, 1u);
  EXPECT_EQ(s.windows[0].errors, 1u);  // a is placed at its first record
  EXPECT_EQ(s.windows[1].total, 1u);
  EXPECT_EQ(s.windows[1].errors, 0u);
  // The impact of the second window alone: b, which did not fail.
  Impact second = ImpactOver(*w, {"x.log", "y.log"}, 60 * kNanosPerSecond, kNoTime);
  EXPECT_EQ(second.total, 1u);
  EXPECT_EQ(second.failed, 0u);
  Impact all = ImpactOver(*w, {"x.log", "y.log"}, kNoTime, kNoTime);
  ASSERT_EQ(all.by_service.size(), 1u);
  EXPECT_EQ(all.by_service[0].first, "y.log");
}

TEST(RequestSeriesTest, TheImpactOfSpilledRequestsEqualsTheImpactInMemory) {
  std::vector<RequestRecord> recs = RandomRecords(11, 3000, 30000);
  RequestTable small(/*max_entries=*/64), large;
  for (const RequestRecord& r : recs) {
    small.Add(r.id_hash, r.time, r.level, r.file);
    large.Add(r.id_hash, r.time, r.level, r.file);
  }
  EXPECT_GT(small.runs(), 0u);
  EXPECT_EQ(large.runs(), 0u);
  Result<RequestWindows> a = CountRequests(small, 60 * kNanosPerSecond);
  Result<RequestWindows> b = CountRequests(large, 60 * kNanosPerSecond);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<std::string> names = {"0", "1", "2", "3", "4", "5"};
  Impact x = ImpactOver(*a, names, 120 * kNanosPerSecond, 600 * kNanosPerSecond);
  Impact y = ImpactOver(*b, names, 120 * kNanosPerSecond, 600 * kNanosPerSecond);
  EXPECT_EQ(x.total, y.total);
  EXPECT_EQ(x.failed, y.failed);
  EXPECT_EQ(x.by_service, y.by_service);
  EXPECT_GT(x.failed, 0u);
}

TEST(RequestSeriesTest, CountedOnTwoThreadsAsOnOne) {
  std::vector<RequestRecord> recs = RandomRecords(17, 5000, 40000);
  RequestTable t(/*max_entries=*/256);
  for (const RequestRecord& r : recs) t.Add(r.id_hash, r.time, r.level, r.file);
  EXPECT_GT(t.runs(), 0u);
  Result<RequestWindows> one = CountRequests(t, 60 * kNanosPerSecond, kNoTime, kNoTime, 1);
  Result<RequestWindows> two = CountRequests(t, 60 * kNanosPerSecond, kNoTime, kNoTime, 2);
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(one->series.windows.size(), two->series.windows.size());
  uint64_t total = 0;
  for (size_t i = 0; i < one->series.windows.size(); ++i) {
    EXPECT_EQ(one->series.windows[i].start, two->series.windows[i].start);
    EXPECT_EQ(one->series.windows[i].total, two->series.windows[i].total);
    EXPECT_EQ(one->series.windows[i].errors, two->series.windows[i].errors);
    EXPECT_EQ(one->failed_by_file[i], two->failed_by_file[i]);
    total += one->series.windows[i].total;
  }
  // Every distinct request counted once.
  std::set<uint64_t> ids;
  for (const RequestRecord& r : recs) ids.insert(r.id_hash);
  EXPECT_EQ(total, ids.size());
}

}  // namespace
}  // namespace inquest
