#include "timeline/merge.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

std::vector<Event> Events(uint32_t file, std::vector<TimePoint> times) {
  std::vector<Event> out;
  for (size_t i = 0; i < times.size(); ++i) {
    Event e;
    e.file = file;
    e.line = i + 1;
    e.time = times[i];
    e.level = Level::kInfo;
    out.push_back(e);
  }
  return out;
}

TEST(MergeTest, InterleavesFilesInTimeOrderWithTiesToTheFirstFile) {
  std::vector<Event> a = Events(0, {1, 3, 5, 5});
  std::vector<Event> b = Events(1, {2, 5, 6});
  std::vector<std::span<const Event>> lists = {a, b};
  MergedTimeline m = MergeEventLists(lists, EventFilter());
  ASSERT_EQ(m.events.size(), 7u);
  std::vector<std::pair<uint32_t, uint64_t>> got;
  for (const Event* e : m.events) got.emplace_back(e->file, e->line);
  std::vector<std::pair<uint32_t, uint64_t>> want = {{0, 1}, {1, 1}, {0, 2}, {0, 3},
                                                     {0, 4}, {1, 2}, {1, 3}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(m.first, 1);
  EXPECT_EQ(m.last, 6);
  EXPECT_EQ(m.files[0].out_of_order, 0u);
}

TEST(MergeTest, SortsAFileOutOfOrderAndCountsIt) {
  std::vector<Event> a = Events(0, {10, 30, 20, 40, 15});
  std::vector<std::span<const Event>> lists = {a};
  MergedTimeline m = MergeEventLists(lists, EventFilter());
  EXPECT_EQ(m.files[0].out_of_order, 2u);
  std::vector<TimePoint> times;
  for (const Event* e : m.events) times.push_back(e->time);
  EXPECT_EQ(times, (std::vector<TimePoint>{10, 15, 20, 30, 40}));
}

TEST(MergeTest, RecordsWithoutTimeStayWithTheirNeighbour) {
  std::vector<Event> a = Events(0, {kNoTime, 10, kNoTime, 30});
  std::vector<Event> b = Events(1, {20});
  std::vector<std::span<const Event>> lists = {a, b};
  EXPECT_EQ(SortKeys(a), (std::vector<TimePoint>{10, 10, 10, 30}));
  MergedTimeline m = MergeEventLists(lists, EventFilter());
  EXPECT_EQ(m.files[0].without_time, 2u);
  std::vector<std::pair<uint32_t, uint64_t>> got;
  for (const Event* e : m.events) got.emplace_back(e->file, e->line);
  std::vector<std::pair<uint32_t, uint64_t>> want = {{0, 1}, {0, 2}, {0, 3}, {1, 1}, {0, 4}};
  EXPECT_EQ(got, want);
}

TEST(MergeTest, AppliesTheFilterAndCountsKept) {
  std::vector<Event> a = Events(0, {1, 2, 3});
  a[1].level = Level::kError;
  std::vector<std::span<const Event>> lists = {a};
  EventFilter f;
  f.min_level = Level::kWarn;
  MergedTimeline m = MergeEventLists(lists, f);
  ASSERT_EQ(m.events.size(), 1u);
  EXPECT_EQ(m.events[0]->line, 2u);
  EXPECT_EQ(m.files[0].kept, 1u);
  EXPECT_EQ(m.files[0].events, 3u);
}

}  // namespace
}  // namespace inquest
