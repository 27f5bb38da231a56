#include "dashboard/summary.h"

#include <algorithm>
#include <set>

namespace inquest::dashboard {
namespace {

int64_t WholeDays(TimePoint from, TimePoint to) {
  if (from == kNoTime || to == kNoTime || to < from) return 0;
  return (to - from) / store::kNanosPerDay;
}

}  // namespace

Summary Summarize(const store::Review& review, store::Metrics metrics,
                  const SummaryOptions& options) {
  Summary s;
  s.now = review.now;
  s.options = options;
  s.metrics = std::move(metrics);
  std::set<int64_t> overdue(review.overdue.begin(), review.overdue.end());
  std::set<int64_t> decaying(review.decaying.begin(), review.decaying.end());
  for (const store::ActionItem& item : review.items) {
    ++s.by_status[item.status];
    if (store::IsClosed(item.status)) continue;
    ItemView v;
    v.item = item;
    if (auto it = review.incidents.find(item.incident_id); it != review.incidents.end()) {
      v.incident_title = it->second.title;
      v.sev = it->second.sev;
    }
    v.age_days = WholeDays(item.created, review.now);
    v.idle_days = review.DaysSinceStatusChange(item);
    v.overdue = overdue.count(item.id) > 0;
    if (v.overdue) v.days_overdue = WholeDays(item.due + store::kNanosPerDay, review.now) + 1;
    v.decaying = decaying.count(item.id) > 0;
    s.overdue += v.overdue;
    s.decaying += v.decaying;
    s.open_items.push_back(std::move(v));
  }
  std::stable_sort(s.open_items.begin(), s.open_items.end(),
                   [](const ItemView& a, const ItemView& b) {
                     if (a.overdue != b.overdue) return a.overdue;
                     if (a.overdue && a.days_overdue != b.days_overdue)
                       return a.days_overdue > b.days_overdue;
                     if (a.decaying != b.decaying) return a.decaying;
                     if (a.decaying && a.idle_days != b.idle_days) return a.idle_days > b.idle_days;
                     return a.age_days > b.age_days;
                   });
  for (const auto& [id, incident] : review.incidents) {
    IncidentView v;
    v.incident = incident;
    if (auto it = review.per_incident.find(id); it != review.per_incident.end())
      v.items = it->second;
    s.incidents.push_back(std::move(v));
  }
  std::stable_sort(s.incidents.begin(), s.incidents.end(),
                   [](const IncidentView& a, const IncidentView& b) {
                     TimePoint ta = a.incident.started, tb = b.incident.started;
                     if ((ta == kNoTime) != (tb == kNoTime)) return tb == kNoTime;
                     return ta > tb;
                   });
  return s;
}

Result<Summary> LoadSummary(store::Store* store, TimePoint now, const SummaryOptions& options) {
  store::ReviewOptions ro;
  ro.now = now;
  ro.decay_days = options.decay_days;
  INQ_ASSIGN_OR_RETURN(store::Review review, store::BuildReview(store, ro));
  store::MetricsOptions mo;
  mo.last_n = options.last_n;
  INQ_ASSIGN_OR_RETURN(store::Metrics metrics, store::ComputeMetrics(store, mo));
  return Summarize(review, std::move(metrics), options);
}

}  // namespace inquest::dashboard
