// `inquest actions sync`: tickets for action items that have none, and ticket status pulled
// back into the store, against one tracker (GitHub or Jira, sync_tracker.h).
//
// One run:
//   1. lists every ticket inquest made in the tracker (one label, all pages);
//   2. for each item that is not closed and has no ticket URL: adopts a listed ticket whose
//      marker line names the item (a ticket created by a run that died before storing its
//      URL), else creates a ticket; stores the URL;
//   3. for each item whose ticket URL the tracker owns and lists: pulls the status back. The
//      tracker wins: a closed ticket closes the item (done / won't do), a reopened ticket
//      reopens it; an open ticket leaves an item "in progress" alone when the tracker has no
//      progress state (GitHub).
// Items with a ticket in another tracker are left alone. Every store write is its own
// transaction, noted "sync github: ...", so a run cut short keeps what it did.
#ifndef INQUEST_STORE_SYNC_ACTIONS_H_
#define INQUEST_STORE_SYNC_ACTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/output.h"
#include "base/status.h"
#include "store/store.h"
#include "store/sync_tracker.h"

namespace inquest::store {

struct SyncOptions {
  bool dry_run = false;                // report what would happen; write nothing anywhere
  std::optional<int64_t> incident_id;  // only this incident's items
};

enum class SyncOutcome : uint8_t {
  kCreated,    // a new ticket, its URL stored
  kLinked,     // an existing ticket (found by its marker) linked to the item
  kUpdated,    // status pulled from the ticket
  kUnchanged,  // ticket and item agree
  kNotListed,  // the item's ticket URL belongs to this tracker but the listing lacks it
  kFailed,     // this item could not be synced (see detail)
};
std::string_view SyncOutcomeName(SyncOutcome o);

struct SyncItemResult {
  int64_t item_id = 0;
  SyncOutcome outcome = SyncOutcome::kUnchanged;
  std::string url;
  std::string detail;  // "open -> done (closed (completed))", an error message, ...
};

struct SyncReport {
  std::string tracker;
  int tickets_listed = 0;
  std::vector<SyncItemResult> items;  // in item id order; items with nothing to do are left out
  // Set when the run stopped early (bad token, rate limit spent, tracker unreachable); the
  // items after the stop are not in `items`.
  Status stopped;

  int Count(SyncOutcome o) const;
  bool ok() const { return stopped.ok() && Count(SyncOutcome::kFailed) == 0; }
};

// Runs one sync. A Result error means nothing could be done (the store failed, or the first
// listing failed); later trouble is in the report.
Result<SyncReport> SyncActions(Store* store, TicketTracker* tracker, const SyncOptions& options);

// The report for people (one line per item, then counts) and as one JSON object on one line.
std::string FormatSyncText(const SyncReport& report);
Redacted FormatSyncJson(const SyncReport& report);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_ACTIONS_H_
