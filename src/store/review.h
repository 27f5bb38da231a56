// The two-week follow-up (the primer's "two-week review"): what to walk through at the
// meeting, computed from the store at a given moment.
//
//   ReviewOptions o;
//   o.now = Now();
//   INQ_ASSIGN_OR_RETURN(Review r, BuildReview(store, o));
//   std::cout << ReviewMarkdown(r);
//
// Silent decay is the primer's enemy: an item nobody closed, reprioritised or even touched.
// Here an item decays when it is not closed and its status has not changed for
// `decay_days` (14 by default, the review's own period).
#ifndef INQUEST_STORE_REVIEW_H_
#define INQUEST_STORE_REVIEW_H_

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace inquest::store {

// The primer's review cadence: an item untouched for a whole cycle has decayed.
inline constexpr int kDefaultDecayDays = 14;

struct ReviewOptions {
  TimePoint now = kNoTime;  // required
  int decay_days = kDefaultDecayDays;
};

// Counts of one owner's or one incident's items.
struct ItemCounts {
  int total = 0;
  int open = 0;  // open or in progress
  int done = 0;
  int wont_do = 0;
  int overdue = 0;
  int decaying = 0;
};

// A later incident in the same service or trigger category as an earlier one whose action
// items were not all done when the later one started: the follow-up did not break the cycle.
struct Recurrence {
  int64_t earlier_id = 0;
  int64_t later_id = 0;
  std::vector<std::string> shared_services;
  std::string shared_trigger;                   // empty when only services are shared
  std::vector<int64_t> earlier_items_not_done;  // ids; status other than done
};

struct Review {
  TimePoint now = kNoTime;
  int decay_days = kDefaultDecayDays;
  std::map<int64_t, Incident> incidents;  // every incident, by id
  std::vector<ActionItem> items;          // every item, with history, by id
  // Ids into `items`, each list by id. Only items that are not closed are listed.
  std::vector<int64_t> overdue;
  std::vector<int64_t> decaying;
  std::vector<int64_t> no_owner;
  std::vector<int64_t> no_due;
  std::vector<int64_t> no_ticket;
  std::map<std::string, ItemCounts> per_owner;  // "" = no owner
  std::map<int64_t, ItemCounts> per_incident;   // 0 = no incident
  std::vector<Recurrence> recurrences;          // by later incident, then earlier

  const ActionItem* Item(int64_t id) const;
  // Whole days since the item's status last changed.
  int64_t DaysSinceStatusChange(const ActionItem& item) const;
};

// kInvalidArgument when options.now is unset or decay_days < 1.
Result<Review> BuildReview(Store* store, const ReviewOptions& options);

// The agenda as Markdown: a heading per topic, tables of items, a closing checklist.
std::string ReviewMarkdown(const Review& review);

// True when the review found something to act on (overdue, decaying or incomplete items, or a
// recurrence): `actions review` exits 1 then.
bool NeedsAttention(const Review& review);

}  // namespace inquest::store

#endif  // INQUEST_STORE_REVIEW_H_
