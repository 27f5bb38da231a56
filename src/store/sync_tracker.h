// A ticket tracker as the action-item sync sees it: list the tickets inquest made, create one.
// GitHub issues (sync_github.h) and Jira (sync_jira.h) implement it; tests use fakes.
#ifndef INQUEST_STORE_SYNC_TRACKER_H_
#define INQUEST_STORE_SYNC_TRACKER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/store.h"
#include "store/sync_http.h"

namespace inquest::store {

// The label every ticket inquest creates carries, so listing them needs one filtered query.
inline constexpr std::string_view kTicketLabel = "inquest";
// The line in a ticket's body that names the action item it tracks; a ticket whose URL never
// reached the store (the run was killed after creating it) is found by it and adopted instead
// of duplicated.
inline constexpr std::string_view kTicketMarker = "inquest-action-id: ";

// What a new ticket says.
struct TicketDraft {
  std::string title;  // one line
  std::string body;   // ends with the kTicketMarker line
};

struct RemoteTicket {
  std::string url;  // the page a person opens (stored as the item's ticket URL)
  // The action item id of its kTicketMarker line; nullopt when the body has none.
  std::optional<int64_t> action_id;
  // The tracker's state mapped to an action status (the table in docs/dashboard.md), and the
  // tracker's own words for messages ("closed (not_planned)").
  ActionStatus status = ActionStatus::kOpen;
  std::string state_text;
};

class TicketTracker {
 public:
  virtual ~TicketTracker() = default;
  // "github" or "jira".
  virtual std::string_view name() const = 0;
  // True when `url` is a ticket of this tracker (and project or repository).
  virtual bool Owns(std::string_view url) const = 0;
  // False when open tickets carry no progress (GitHub: open or closed only), so an item "in
  // progress" is not put back to "open" by an open ticket.
  virtual bool ReportsProgress() const = 0;
  // Every ticket with kTicketLabel, all pages. An error stops the sync: without the list,
  // statuses cannot be pulled and orphans cannot be found.
  virtual Result<std::vector<RemoteTicket>> ListTickets() = 0;
  // Creates one ticket. The error is about this ticket only unless it is fatal (see
  // IsFatalTrackerError).
  virtual Result<RemoteTicket> Create(const TicketDraft& draft) = 0;
};

// The draft for `item` of `incident` (null when it has none): the action as title, owner,
// due date, class, incident and the marker line in the body.
TicketDraft DraftFor(const ActionItem& item, const Incident* incident);

// The id in a body's kTicketMarker line, or nullopt.
std::optional<int64_t> MarkerId(std::string_view body);

// Errors after which no further request can succeed (bad token, no access, rate limit spent,
// tracker unreachable): the sync stops instead of failing every item the same way. They carry
// this message prefix.
inline constexpr std::string_view kFatalPrefix = "stopped: ";
bool IsFatalTrackerError(const Status& s);

// The Status for an HTTP answer that is not the expected success: `what` says what was being
// done ("creating a GitHub issue"), the message quotes the status and the start of the body.
// 401, 403, 404 (the repository or project cannot be seen), 429 and 5xx are fatal; other 4xx
// concern this request only.
Status TrackerHttpError(std::string_view what, const HttpResponse& response);
// For a transport error (no answer): fatal, prefixed.
Status Fatal(const Status& s);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_TRACKER_H_
