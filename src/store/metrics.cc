// Incident metrics (store/metrics.h).
#include "store/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace inquest::store {
namespace {

// Linear interpolation between closest ranks (q in [0, 1]) of sorted values.
int64_t Quantile(const std::vector<int64_t>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return sorted[lo] +
         static_cast<int64_t>(std::llround(frac * static_cast<double>(sorted[hi] - sorted[lo])));
}

struct Durations {
  std::vector<int64_t> ttd, ttr;
  int ttd_missing = 0, ttr_missing = 0;
  void Add(const Incident& i) {
    if (std::optional<int64_t> d = TimeToDetect(i)) {
      ttd.push_back(*d);
    } else {
      ++ttd_missing;
    }
    if (std::optional<int64_t> r = TimeToRecover(i)) {
      ttr.push_back(*r);
    } else {
      ++ttr_missing;
    }
  }
  void Fill(DurationStats* d, DurationStats* r) const {
    *d = Describe(ttd);
    d->missing = ttd_missing;
    *r = Describe(ttr);
    r->missing = ttr_missing;
  }
};

std::optional<int64_t> Since(TimePoint start, TimePoint t) {
  if (start == kNoTime || t == kNoTime || t < start) return std::nullopt;
  return Elapsed(start, t);
}

}  // namespace

std::optional<int64_t> TimeToDetect(const Incident& i) { return Since(i.started, i.detected); }

std::optional<int64_t> TimeToRecover(const Incident& i) {
  return Since(i.started, i.mitigated != kNoTime ? i.mitigated : i.resolved);
}

std::string CompactDuration(int64_t nanos) {
  int64_t s = nanos / kNanosPerSecond;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return s % 60 ? fmt::format("{}m{}s", s / 60, s % 60) : fmt::format("{}m", s / 60);
  if (s < 86400) {
    return (s / 60) % 60 ? fmt::format("{}h{}m", s / 3600, (s / 60) % 60)
                         : fmt::format("{}h", s / 3600);
  }
  return (s / 3600) % 24 ? fmt::format("{}d{}h", s / 86400, (s / 3600) % 24)
                         : fmt::format("{}d", s / 86400);
}

DurationStats Describe(std::vector<int64_t> v) {
  DurationStats s;
  s.n = static_cast<int>(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.median = Quantile(v, 0.5);
  s.p90 = Quantile(v, 0.9);
  s.max = v.back();
  // Sum in long double: a few hundred durations of days in nanoseconds stay far from overflow
  // there, and the mean is only indicative.
  long double sum = 0;
  for (int64_t x : v) sum += static_cast<long double>(x);
  s.mean = static_cast<int64_t>(std::llround(sum / static_cast<long double>(v.size())));
  return s;
}

Result<Metrics> ComputeMetrics(Store* store, const MetricsOptions& options) {
  if (options.last_n < 1) {
    return Status::InvalidArgument(
        fmt::format("--last must be at least 1 (got {})", options.last_n));
  }
  Metrics m;
  m.since = options.since;
  IncidentFilter f;
  f.since = options.since;
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> incidents, store->ListIncidents(f));
  m.incidents = static_cast<int>(incidents.size());

  std::map<std::string, Durations> by_sev;
  Durations all;
  std::map<std::string, int> triggers;
  for (const Incident& i : incidents) {
    by_sev[i.sev].Add(i);
    all.Add(i);
    ++triggers[i.trigger_category];
  }
  for (auto& [sev, d] : by_sev) {
    SevMetrics s;
    s.sev = sev;
    s.incidents = static_cast<int>(d.ttd.size()) + d.ttd_missing;
    d.Fill(&s.ttd, &s.ttr);
    m.per_sev.push_back(std::move(s));
  }
  // "" sorts first in the map; people read the unknown SEV last.
  std::stable_partition(m.per_sev.begin(), m.per_sev.end(),
                        [](const SevMetrics& s) { return !s.sev.empty(); });
  all.Fill(&m.ttd_all, &m.ttr_all);
  for (auto& [name, n] : triggers) m.triggers.emplace_back(name, n);
  std::stable_sort(m.triggers.begin(), m.triggers.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });

  // Items of the selected incidents.
  ActionFilter af;
  INQ_ASSIGN_OR_RETURN(std::vector<ActionItem> items, store->ListActions(af));
  std::map<int64_t, std::vector<const ActionItem*>> items_of;
  for (const ActionItem& a : items) items_of[a.incident_id].push_back(&a);
  for (const Incident& i : incidents) {
    for (const ActionItem* a : items_of[i.id]) ++m.balance[a->action_class];
  }
  for (ActionClass c : {ActionClass::kPrevent, ActionClass::kDetect, ActionClass::kMitigate}) {
    if (m.balance[c] == 0) m.missing_classes.push_back(c);
  }

  // The last N post-mortems: the newest incidents by start (unknown starts are oldest).
  std::vector<const Incident*> newest;
  for (const Incident& i : incidents) newest.push_back(&i);
  std::stable_sort(newest.begin(), newest.end(), [](const Incident* a, const Incident* b) {
    return a->started != b->started ? a->started > b->started : a->id > b->id;
  });
  Completion& c = m.completion;
  c.last_n = options.last_n;
  for (size_t k = 0; k < newest.size() && k < static_cast<size_t>(options.last_n); ++k) {
    c.incident_ids.push_back(newest[k]->id);
    for (const ActionItem* a : items_of[newest[k]->id]) {
      ++c.items;
      if (a->status == ActionStatus::kDone) {
        ++c.done;
      } else if (a->status == ActionStatus::kWontDo) {
        ++c.wont_do;
      } else {
        ++c.open;
      }
    }
  }
  if (c.items - c.wont_do > 0) {
    c.rate = static_cast<double>(c.done) / static_cast<double>(c.items - c.wont_do);
    c.theater = c.rate < kTheaterThreshold;
  }
  return m;
}

}  // namespace inquest::store
