// What the dashboard shows, read from the store at one moment: the two-week review's view of
// the action items (store/review.h: overdue, silent decay, missing owner / date / ticket) and
// the incident metrics (store/metrics.h: time to detect and recover per SEV, completion of the
// last N post-mortems, class balance, triggers), arranged for the page.
//
//   INQ_ASSIGN_OR_RETURN(Summary s, LoadSummary(store, now, SummaryOptions{}));
//   for (const ItemView& v : s.open_items) if (v.decaying) ...
#ifndef INQUEST_DASHBOARD_SUMMARY_H_
#define INQUEST_DASHBOARD_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/metrics.h"
#include "store/review.h"
#include "store/store.h"

namespace inquest::dashboard {

struct SummaryOptions {
  int decay_days = store::kDefaultDecayDays;  // silent decay after this many idle days
  int last_n = store::kDefaultLastN;          // post-mortems in the completion rate
};

// One open (or in-progress) item as the page shows it.
struct ItemView {
  store::ActionItem item;
  std::string incident_title;  // empty when the item belongs to no incident
  std::string sev;
  int64_t age_days = 0;   // whole days since the item was created
  int64_t idle_days = 0;  // whole days since its status last changed
  bool overdue = false;
  int64_t days_overdue = 0;  // whole days since the due day ended, at least 1 when overdue
  bool decaying = false;
};

struct IncidentView {
  store::Incident incident;
  store::ItemCounts items;
};

struct Summary {
  TimePoint now = kNoTime;
  SummaryOptions options;
  // Overdue first (most overdue first), then decaying (longest idle first), then the rest
  // oldest first.
  std::vector<ItemView> open_items;
  int overdue = 0;
  int decaying = 0;
  std::map<store::ActionStatus, int> by_status;  // every item
  std::vector<IncidentView> incidents;           // newest first, no start time last
  store::Metrics metrics;
};

// Arranges a review and the metrics of the same moment for the page.
Summary Summarize(const store::Review& review, store::Metrics metrics,
                  const SummaryOptions& options);

// Reads the store (BuildReview and ComputeMetrics) and summarises it at `now`.
Result<Summary> LoadSummary(store::Store* store, TimePoint now, const SummaryOptions& options);

}  // namespace inquest::dashboard

#endif  // INQUEST_DASHBOARD_SUMMARY_H_
