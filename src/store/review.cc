// The two-week review: classification of items and the recurrence check.
#include "store/review.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace inquest::store {
namespace {

std::string Lower(std::string_view s) { return ToLower(TrimSpace(s)); }

// The item's status at `t` when the store has a record of that time, else its current status
// (an item imported after the fact has no earlier record).
ActionStatus StatusAt(const ActionItem& item, TimePoint t) {
  if (item.history.empty() || item.history.front().at > t) return item.status;
  ActionStatus s = item.history.front().to;
  for (const StatusChange& c : item.history) {
    if (c.at > t) break;
    s = c.to;
  }
  return s;
}

void Count(ItemCounts* c, const ActionItem& item, bool overdue, bool decaying) {
  ++c->total;
  if (item.status == ActionStatus::kDone) {
    ++c->done;
  } else if (item.status == ActionStatus::kWontDo) {
    ++c->wont_do;
  } else {
    ++c->open;
  }
  c->overdue += overdue;
  c->decaying += decaying;
}

}  // namespace

const ActionItem* Review::Item(int64_t id) const {
  auto it = std::lower_bound(items.begin(), items.end(), id,
                             [](const ActionItem& a, int64_t v) { return a.id < v; });
  return it != items.end() && it->id == id ? &*it : nullptr;
}

int64_t Review::DaysSinceStatusChange(const ActionItem& item) const {
  if (item.status_changed == kNoTime || now < item.status_changed) return 0;
  return Elapsed(item.status_changed, now) / kNanosPerDay;
}

Result<Review> BuildReview(Store* store, const ReviewOptions& options) {
  if (options.now == kNoTime) return Status::InvalidArgument("the review needs a time");
  if (options.decay_days < 1) {
    return Status::InvalidArgument(
        fmt::format("--decay-days must be at least 1 (got {})", options.decay_days));
  }
  Review r;
  r.now = options.now;
  r.decay_days = options.decay_days;
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> incidents, store->ListIncidents({}));
  for (Incident& i : incidents) r.incidents.emplace(i.id, std::move(i));
  ActionFilter all;
  all.with_history = true;
  INQ_ASSIGN_OR_RETURN(r.items, store->ListActions(all));

  const int64_t decay = int64_t{options.decay_days} * kNanosPerDay;
  for (const ActionItem& a : r.items) {
    bool closed = IsClosed(a.status);
    bool overdue = IsOverdue(a, r.now);
    bool decaying =
        !closed && a.status_changed != kNoTime && Elapsed(a.status_changed, r.now) >= decay;
    if (!closed) {
      if (overdue) r.overdue.push_back(a.id);
      if (decaying) r.decaying.push_back(a.id);
      if (TrimSpace(a.owner).empty()) r.no_owner.push_back(a.id);
      if (a.due == kNoTime) r.no_due.push_back(a.id);
      if (TrimSpace(a.ticket_url).empty()) r.no_ticket.push_back(a.id);
    }
    Count(&r.per_owner[std::string(TrimSpace(a.owner))], a, overdue, decaying);
    Count(&r.per_incident[a.incident_id], a, overdue, decaying);
  }

  // Recurrences: every ordered pair of incidents with known starts.
  std::vector<const Incident*> dated;
  for (const auto& [id, i] : r.incidents) {
    if (i.started != kNoTime) dated.push_back(&i);
  }
  std::sort(dated.begin(), dated.end(), [](const Incident* a, const Incident* b) {
    return a->started != b->started ? a->started < b->started : a->id < b->id;
  });
  std::map<int64_t, std::vector<const ActionItem*>> items_of;
  for (const ActionItem& a : r.items) items_of[a.incident_id].push_back(&a);
  for (size_t l = 0; l < dated.size(); ++l) {
    const Incident& later = *dated[l];
    std::set<std::string> later_services;
    for (const std::string& s : later.services) later_services.insert(Lower(s));
    for (size_t e = 0; e < l; ++e) {
      const Incident& earlier = *dated[e];
      if (earlier.started >= later.started) continue;
      Recurrence rec;
      rec.earlier_id = earlier.id;
      rec.later_id = later.id;
      for (const std::string& s : earlier.services) {
        if (later_services.contains(Lower(s))) rec.shared_services.push_back(s);
      }
      if (!Lower(earlier.trigger_category).empty() &&
          Lower(earlier.trigger_category) == Lower(later.trigger_category)) {
        rec.shared_trigger = earlier.trigger_category;
      }
      if (rec.shared_services.empty() && rec.shared_trigger.empty()) continue;
      for (const ActionItem* a : items_of[earlier.id]) {
        if (StatusAt(*a, later.started) != ActionStatus::kDone) {
          rec.earlier_items_not_done.push_back(a->id);
        }
      }
      if (!rec.earlier_items_not_done.empty()) r.recurrences.push_back(std::move(rec));
    }
  }
  return r;
}

bool NeedsAttention(const Review& r) {
  return !r.overdue.empty() || !r.decaying.empty() || !r.no_owner.empty() || !r.no_due.empty() ||
         !r.no_ticket.empty() || !r.recurrences.empty();
}

}  // namespace inquest::store
