// The accumulator behind `rate`: counts events into fixed windows per group, one event at a
// time, and merges with the counters of other threads. It keeps no view into any event (group
// names are copied), so the caller may discard each event's bytes as soon as Add returns.
//
//   RateOptions opts;  opts.group_by = "service";
//   WindowCounter c(opts);
//   for (...) c.Add(event);
//   other_thread_counter ... c.Merge(std::move(other));
//   INQ_ASSIGN_OR_RETURN(std::vector<Series> s, c.Finish());
#ifndef INQUEST_TIMELINE_WINDOW_COUNTER_H_
#define INQUEST_TIMELINE_WINDOW_COUNTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "timeline/rate.h"

namespace inquest {

class WindowCounter {
 public:
  // `opts` must outlive the counter.
  explicit WindowCounter(const RateOptions& opts);
  WindowCounter(WindowCounter&&) noexcept = default;

  void Add(const Event& e);
  void Merge(WindowCounter&& other);
  // The totals (group "") then each group by descending count, "(other)" last, all over the
  // same contiguous windows. InvalidArgument when the span needs more than kMaxSeriesWindows.
  Result<std::vector<Series>> Finish() const;
  // The same over the windows whose start lies in [from, to) only (kNoTime: unbounded): the
  // windows of records left out as strays are not spanned.
  Result<std::vector<Series>> Finish(TimePoint from, TimePoint to) const;
  // The start and the record count of every window holding records, in time order (all groups).
  std::vector<std::pair<TimePoint, uint64_t>> Totals() const;
  // Counts group `from` as group `to` (merging into `to` when it exists). For a counter about
  // to be merged: the records of one file with no service, once the file's service is known.
  void Rename(std::string_view from, const std::string& to);
  // Records counted in group `name` (0 when there is no such group).
  uint64_t GroupTotal(std::string_view name) const;
  // The names of the groups holding records, in no particular order (not the totals).
  std::vector<std::string> GroupNames() const;

  uint64_t counted() const { return counted_; }
  uint64_t filtered() const { return filtered_; }
  uint64_t untimed() const { return untimed_; }

 private:
  struct Acc {
    uint64_t total = 0, errors = 0, warnings = 0;
    uint64_t latency_seen = 0;  // values offered to the reservoir
    std::vector<double> samples;
    LatencyHistogram latency;
  };
  struct Group {
    std::string name;
    uint64_t total = 0;
    std::unordered_map<int64_t, Acc> windows;  // by window index
    int64_t last_index = 0;
    Acc* last = nullptr;  // the window of the previous event: events come mostly in order
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  Acc& WindowOf(Group& g, int64_t index);
  Group& GroupOf(std::string_view name);
  void AddTo(Group& g, int64_t index, const Event& e, bool has_ms, double ms);
  static void MergeAcc(Acc& into, Acc&& from);

  const RateOptions* opts_;
  bool filter_empty_;
  std::vector<Group> groups_;  // [0] the totals; then groups; "(other)" when it exists
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> index_;
  int32_t other_ = -1;
  uint32_t last_group_ = 0;  // the group GroupOf found last (0: none): a file's records share one
  size_t histograms_ = 0;
  uint64_t counted_ = 0, filtered_ = 0, untimed_ = 0;
  uint64_t rng_ = 0x9E3779B97F4A7C15ULL;  // reservoir sampling; deterministic output
};

// The index of the window holding `t` (floor division, also for times before 1970).
int64_t WindowIndex(TimePoint t, int64_t width_ns);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_WINDOW_COUNTER_H_
