#include "timeline/merge.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>

namespace inquest {

std::vector<TimePoint> SortKeys(std::span<const Event> events) {
  std::vector<TimePoint> keys(events.size(), kNoTime);
  TimePoint last = kNoTime;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].time != kNoTime) last = events[i].time;
    keys[i] = last;
  }
  // Leading records without a time take the first time that follows them.
  TimePoint next = kNoTime;
  for (size_t i = events.size(); i-- > 0;) {
    if (events[i].time != kNoTime) next = events[i].time;
    if (keys[i] == kNoTime) keys[i] = next;
  }
  return keys;
}

MergedTimeline MergeEventLists(std::span<const std::span<const Event>> lists,
                               const EventFilter& filter) {
  MergedTimeline out;
  out.files.resize(lists.size());
  struct Run {
    std::vector<uint32_t> order;  // indices into the list, in time order, filtered
    std::vector<TimePoint> keys;
    size_t next = 0;
  };
  std::vector<Run> runs(lists.size());
  size_t total = 0;
  for (size_t f = 0; f < lists.size(); ++f) {
    std::span<const Event> events = lists[f];
    FileMergeStats& st = out.files[f];
    Run& run = runs[f];
    st.events = events.size();
    run.keys = SortKeys(events);
    TimePoint prev = kNoTime;
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].time == kNoTime || events[i].time_from_neighbour) ++st.without_time;
      if (events[i].time != kNoTime) {
        if (prev != kNoTime && events[i].time < prev) ++st.out_of_order;
        prev = events[i].time;
      }
      if (filter.empty() || filter.Matches(events[i])) run.order.push_back(i);
    }
    if (st.out_of_order > 0) {
      std::stable_sort(run.order.begin(), run.order.end(),
                       [&](uint32_t a, uint32_t b) { return run.keys[a] < run.keys[b]; });
    }
    st.kept = run.order.size();
    total += run.order.size();
  }
  out.events.reserve(total);
  // k-way merge; ties go to the lower file index.
  using Head = std::pair<TimePoint, uint32_t>;  // (key, file)
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
  for (size_t f = 0; f < runs.size(); ++f)
    if (!runs[f].order.empty()) heap.push({runs[f].keys[runs[f].order[0]], f});
  while (!heap.empty()) {
    auto [key, f] = heap.top();
    heap.pop();
    Run& run = runs[f];
    // Take every event of this file up to the next head's key in one go.
    TimePoint limit = heap.empty() ? std::numeric_limits<TimePoint>::max() : heap.top().first;
    uint32_t limit_file = heap.empty() ? 0 : heap.top().second;
    while (run.next < run.order.size()) {
      uint32_t i = run.order[run.next];
      TimePoint k = run.keys[i];
      if (k > limit || (k == limit && f > limit_file)) break;
      out.events.push_back(&lists[f][i]);
      ++run.next;
    }
    if (run.next < run.order.size()) heap.push({run.keys[run.order[run.next]], f});
  }
  for (const Event* e : out.events) {
    if (e->time == kNoTime) continue;
    if (out.first == kNoTime) out.first = e->time;
    out.last = e->time;
  }
  return out;
}

MergedTimeline MergeEvents(std::span<const LogFile* const> files, const EventFilter& filter) {
  std::vector<std::span<const Event>> lists;
  lists.reserve(files.size());
  for (const LogFile* f : files) lists.emplace_back(f->events);
  return MergeEventLists(lists, filter);
}

}  // namespace inquest
