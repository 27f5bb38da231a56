#include "timeline/window_counter.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "timeline/exception_groups.h"

namespace inquest {

namespace {
constexpr std::string_view kOtherGroup = "(other)";
}  // namespace

int64_t WindowIndex(TimePoint t, int64_t width_ns) {
  int64_t q = t / width_ns;
  if (t % width_ns < 0) --q;
  return q;
}

WindowCounter::WindowCounter(const RateOptions& opts)
    : opts_(&opts), filter_empty_(opts.filter.empty()) {
  groups_.emplace_back();  // the totals
}

WindowCounter::Acc& WindowCounter::WindowOf(Group& g, int64_t index) {
  if (g.last && g.last_index == index) return *g.last;
  Acc& a = g.windows[index];  // unordered_map nodes are stable
  g.last = &a;
  g.last_index = index;
  return a;
}

WindowCounter::Group& WindowCounter::GroupOf(std::string_view name) {
  if (last_group_ != 0 && groups_[last_group_].name == name) return groups_[last_group_];
  auto it = index_.find(name);
  if (it != index_.end()) {
    last_group_ = it->second;
    return groups_[it->second];
  }
  if (index_.size() >= kMaxGroups) {
    if (other_ < 0) {
      other_ = static_cast<int32_t>(groups_.size());
      groups_.emplace_back();
      groups_.back().name = std::string(kOtherGroup);
    }
    return groups_[other_];
  }
  uint32_t i = static_cast<uint32_t>(groups_.size());
  groups_.emplace_back();
  groups_.back().name = std::string(name);
  index_.emplace(std::string(name), i);
  return groups_[i];
}

void WindowCounter::AddTo(Group& g, int64_t index, const Event& e, bool has_ms, double ms) {
  Acc& a = WindowOf(g, index);
  ++a.total;
  ++g.total;
  if (e.level >= Level::kError) {
    ++a.errors;
  } else if (e.level == Level::kWarn) {
    ++a.warnings;
  }
  if (!has_ms) return;
  if (a.latency.count() > 0 || histograms_ < kMaxLatencyHistograms) {
    if (a.latency.count() == 0) ++histograms_;
    a.latency.Add(ms);
  }
  ++a.latency_seen;
  if (a.samples.size() < kMaxLatencySamples) {
    a.samples.push_back(ms);
  } else {
    rng_ = rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t j = (rng_ >> 33) % a.latency_seen;
    if (j < kMaxLatencySamples) a.samples[j] = ms;
  }
}

void WindowCounter::Add(const Event& e) {
  if (!filter_empty_ && !opts_->filter.Matches(e)) {
    ++filtered_;
    return;
  }
  if (e.time == kNoTime) {
    ++untimed_;
    return;
  }
  ++counted_;
  int64_t index = WindowIndex(e.time, opts_->width_ns);
  double ms = 0;
  bool has_ms = EventDurationMs(e, &ms);
  AddTo(groups_[0], index, e, has_ms, ms);
  if (opts_->group_by == kExceptionGroupBy) {
    // One series per stack-trace signature; records without a trace count under "-".
    std::optional<ExceptionSignature> sig = ExceptionOf(e);
    std::string label = sig ? sig->Label() : std::string("-");
    AddTo(GroupOf(label), index, e, has_ms, ms);
  } else if (!opts_->group_by.empty()) {
    std::string_view v = EventField(e, opts_->group_by);
    if (v.empty()) v = "-";
    AddTo(GroupOf(v), index, e, has_ms, ms);
  }
}

void WindowCounter::MergeAcc(Acc& into, Acc&& from) {
  into.total += from.total;
  into.errors += from.errors;
  into.warnings += from.warnings;
  into.latency.Merge(from.latency);
  // Keep a sample drawn in proportion to the two sides' sizes (deterministic: alternate).
  uint64_t seen = into.latency_seen + from.latency_seen;
  if (into.samples.size() + from.samples.size() <= kMaxLatencySamples) {
    into.samples.insert(into.samples.end(), from.samples.begin(), from.samples.end());
  } else if (seen > 0) {
    size_t take_from = static_cast<size_t>(
        static_cast<double>(kMaxLatencySamples) * from.latency_seen / seen + 0.5);
    take_from = std::min(take_from, from.samples.size());
    size_t take_into = std::min(kMaxLatencySamples - take_from, into.samples.size());
    into.samples.resize(take_into);
    into.samples.insert(into.samples.end(), from.samples.begin(), from.samples.begin() + take_from);
  }
  into.latency_seen = seen;
}

void WindowCounter::Merge(WindowCounter&& other) {
  counted_ += other.counted_;
  filtered_ += other.filtered_;
  untimed_ += other.untimed_;
  for (size_t i = 0; i < other.groups_.size(); ++i) {
    Group& og = other.groups_[i];
    if (i != 0 && og.total == 0 && og.windows.empty()) continue;  // emptied by Rename
    Group* g;
    if (i == 0) {
      g = &groups_[0];
    } else if (static_cast<int32_t>(i) == other.other_) {
      if (other_ < 0) {
        other_ = static_cast<int32_t>(groups_.size());
        groups_.emplace_back();
        groups_.back().name = std::string(kOtherGroup);
      }
      g = &groups_[other_];
    } else {
      g = &GroupOf(og.name);
    }
    g->total += og.total;
    for (auto& [index, acc] : og.windows) {
      bool had_hist = false;
      auto it = g->windows.find(index);
      if (it != g->windows.end()) had_hist = it->second.latency.count() > 0;
      Acc& into = g->windows[index];
      MergeAcc(into, std::move(acc));
      if (!had_hist && into.latency.count() > 0) ++histograms_;
    }
    g->last = nullptr;
  }
  other.groups_.clear();
  other.index_.clear();
  other.last_group_ = 0;
}

std::vector<std::pair<TimePoint, uint64_t>> WindowCounter::Totals() const {
  std::vector<std::pair<TimePoint, uint64_t>> out;
  out.reserve(groups_[0].windows.size());
  for (const auto& [index, acc] : groups_[0].windows)
    out.emplace_back(index * opts_->width_ns, acc.total);
  std::sort(out.begin(), out.end());
  return out;
}

void WindowCounter::Rename(std::string_view from, const std::string& to) {
  auto it = index_.find(from);
  if (it == index_.end() || from == to) return;
  last_group_ = 0;
  uint32_t src = it->second;
  index_.erase(it);
  auto dst = index_.find(to);
  if (dst == index_.end()) {
    groups_[src].name = to;
    index_.emplace(to, src);
    return;
  }
  Group& g = groups_[dst->second];
  Group& old = groups_[src];
  g.total += old.total;
  for (auto& [index, acc] : old.windows) MergeAcc(g.windows[index], std::move(acc));
  g.last = nullptr;
  // The emptied group stays in place (indices of the others hold); Finish skips it.
  old.windows.clear();
  old.total = 0;
  old.name.clear();
  old.last = nullptr;
}

uint64_t WindowCounter::GroupTotal(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? 0 : groups_[it->second].total;
}

std::vector<std::string> WindowCounter::GroupNames() const {
  std::vector<std::string> out;
  for (size_t i = 1; i < groups_.size(); ++i)
    if (groups_[i].total > 0) out.push_back(groups_[i].name);
  return out;
}

Result<std::vector<Series>> WindowCounter::Finish() const { return Finish(kNoTime, kNoTime); }

Result<std::vector<Series>> WindowCounter::Finish(TimePoint from, TimePoint to) const {
  std::vector<Series> out;
  const int64_t width = opts_->width_ns;
  auto inside = [&](int64_t index) {
    return (from == kNoTime || index * width >= from) && (to == kNoTime || index * width < to);
  };
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (const auto& [index, acc] : groups_[0].windows) {
    if (!inside(index)) continue;
    lo = std::min(lo, index);
    hi = std::max(hi, index);
  }
  size_t n = lo > hi ? 0 : static_cast<size_t>(hi - lo + 1);
  if (n > kMaxSeriesWindows)
    return Status::InvalidArgument(
        fmt::format("the events span {} to {}: {} windows of {} (at most {}); use a larger --by or "
                    "--since/--until",
                    FormatTime(lo * width, 0), FormatTime((hi + 1) * width, 0), n,
                    FormatDuration(width), kMaxSeriesWindows));
  // Totals first, then groups by descending count, "(other)" last.
  std::vector<const Group*> order;
  for (size_t i = 1; i < groups_.size(); ++i)
    if (static_cast<int32_t>(i) != other_ && groups_[i].total > 0) order.push_back(&groups_[i]);
  std::stable_sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
    if (a->total != b->total) return a->total > b->total;
    return a->name < b->name;
  });
  order.insert(order.begin(), &groups_[0]);
  if (other_ >= 0) order.push_back(&groups_[other_]);
  for (const Group* g : order) {
    Series s;
    s.group = g->name;
    s.width_ns = width;
    s.windows.resize(n);
    for (size_t i = 0; i < n; ++i) s.windows[i].start = (lo + static_cast<int64_t>(i)) * width;
    for (const auto& [index, acc] : g->windows) {
      if (!inside(index)) continue;
      Window& w = s.windows[index - lo];
      w.total = acc.total;
      w.errors = acc.errors;
      w.warnings = acc.warnings;
      w.latencies_ms = acc.samples;
      w.latency = acc.latency;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace inquest
