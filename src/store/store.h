// The store: incidents and their action items, with every status change kept, behind one
// interface over SQLite (the default, one file per user) and PostgreSQL (for teams).
//
//   INQ_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(spec, {}));
//   ActionFilter f;
//   f.owner = "payments-oncall";
//   f.overdue_only = true;
//   INQ_ASSIGN_OR_RETURN(std::vector<ActionItem> late, store->ListActions(f));
//
// Every write runs in one transaction; a write that returns OK is committed. Updates of one
// action item are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so
// two processes updating the same item never lose either update. A Store object is used from
// one thread at a time; open one per thread or process.
#ifndef INQUEST_STORE_STORE_H_
#define INQUEST_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace inquest::store {

// The life of an action item. kOpen and kInProgress are "not closed".
enum class ActionStatus : uint8_t { kOpen, kInProgress, kDone, kWontDo };
// The primer's three classes of action item; kUnknown when the document or user gave none.
enum class ActionClass : uint8_t { kUnknown, kPrevent, kDetect, kMitigate };

// "open", "in progress", "done", "won't do" (the names shown to people and kept in the store).
std::string_view ActionStatusName(ActionStatus s);
// Accepts the names above and the usual spellings: "in-progress", "in_progress", "doing",
// "wont-do", "won't", "wontfix", "closed" (done), case-insensitive. Error: kInvalidArgument
// naming the accepted values.
Result<ActionStatus> ParseActionStatus(std::string_view text);
bool IsClosed(ActionStatus s);

// "prevent", "detect", "mitigate", "" for kUnknown.
std::string_view ActionClassName(ActionClass c);
// Accepts the names above, "prevention", "detection", "mitigation", "" (kUnknown).
Result<ActionClass> ParseActionClass(std::string_view text);

struct Incident {
  int64_t id = 0;  // assigned by the store
  // Stable identity used by `pm import` to update instead of duplicating (store/import.h):
  // "id:" + the document's `Incident:` line, else "doc:" + the document's absolute path;
  // "pm:<title>@<date>" in stores written before incident ids. Unique in the store; empty for
  // hand-made incidents (the store then uses "store:<id>").
  std::string key;
  std::string title;
  std::string sev;  // as written, e.g. "SEV-2"; empty when unknown
  std::vector<std::string> services;
  TimePoint started = kNoTime;
  TimePoint detected = kNoTime;
  TimePoint acknowledged = kNoTime;
  TimePoint mitigated = kNoTime;
  TimePoint resolved = kNoTime;
  std::string trigger_category;  // e.g. "deploy", "config", "capacity"; empty when unknown
  std::string summary;
  std::string document_path;
  TimePoint created = kNoTime;  // set by the store
  TimePoint updated = kNoTime;  // set by the store
};

// One entry of an item's history. The first entry of every item is its creation
// (from == nullopt). Later entries record a status change (from != to), a text change (old_text
// and new_text set; from == to, the status it had), or an event with only a note (from == to;
// e.g. the document reused the item's id for a different item). Entries chain: each `from` is
// the previous entry's `to`.
struct StatusChange {
  TimePoint at = kNoTime;
  std::optional<ActionStatus> from;
  ActionStatus to = ActionStatus::kOpen;
  std::string note;                     // "imported from DOC", the user's --note, ...
  std::optional<std::string> old_text;  // a text change: the text before
  std::optional<std::string> new_text;  // and after

  bool is_text_change() const { return new_text.has_value(); }
};

struct ActionItem {
  int64_t id = 0;           // assigned by the store
  int64_t incident_id = 0;  // 0 when the item belongs to no incident
  std::string action;
  std::string owner;  // empty when nobody owns it
  // 00:00 UTC of the due date, or kNoTime. An item is overdue once its whole due day has
  // passed while it is not closed (IsOverdue).
  TimePoint due = kNoTime;
  ActionStatus status = ActionStatus::kOpen;
  ActionClass action_class = ActionClass::kUnknown;
  std::string ticket_url;
  // Identity of the item inside its post-mortem document ("AI-3", or "row 3" when the table
  // has no id column), so a re-import updates it; empty for items added by hand.
  std::string source_key;
  TimePoint created = kNoTime;         // set by the store
  TimePoint updated = kNoTime;         // set by the store: last change of any field
  TimePoint status_changed = kNoTime;  // set by the store: last change of status (or creation)
  std::vector<StatusChange> history;   // oldest first; filled by GetAction, or by ListActions
                                       // when ActionFilter::with_history
};

inline constexpr int64_t kNanosPerDay = 86'400 * kNanosPerSecond;

// b - a, saturated at the int64 limits instead of overflowing (times come from documents and
// flags, so their distance is not trusted to fit).
int64_t Elapsed(TimePoint a, TimePoint b);

// True when `item` is not closed and its due day ended before `now`.
bool IsOverdue(const ActionItem& item, TimePoint now);

struct ActionFilter {
  std::optional<std::string> owner;    // exact match; "" selects items with no owner
  std::optional<int64_t> incident_id;  // exact match
  std::vector<ActionStatus> statuses;  // any of these; empty = every status
  bool overdue_only = false;           // IsOverdue(item, now)
  TimePoint now = kNoTime;             // required when overdue_only
  bool with_history = false;           // fill ActionItem::history
};

struct IncidentFilter {
  TimePoint since = kNoTime;  // incidents that started at or after; kNoTime = all
  std::optional<std::string> sev;
};

// A partial update: only the fields that are set change. A status change adds a history entry
// with `note`; setting the status an item already has changes nothing and records nothing.
struct ActionUpdate {
  std::optional<std::string> action;
  std::optional<std::string> owner;
  std::optional<TimePoint> due;  // kNoTime clears the date
  std::optional<ActionStatus> status;
  std::optional<ActionClass> action_class;
  std::optional<std::string> ticket_url;
  std::string note;
};

// One field an import changes: its name ("text", "status", "owner", "due", "class", "ticket";
// for an incident "title", "sev", "services", "started", ...) and its values before and after
// as shown to people ("" for none).
struct FieldChange {
  std::string field;
  std::string from;
  std::string to;
};

// What an import does to one action item.
struct ItemChange {
  enum class Kind : uint8_t {
    kAdded,      // new in the document
    kUpdated,    // `changes` lists what changed
    kUnchanged,  // nothing to change
    // The document's item under this id reads as a different item (item_identity.h): it is
    // stored as a new item, and the earlier one (`replaced_id`) is kept with its ticket,
    // status and history under the key "<key> (replaced by #<id>)".
    kReplaced,
    kMissing,  // stored by an earlier import, no longer in the document: kept as it is
  };
  Kind kind = Kind::kUnchanged;
  std::string source_key;            // the item's id in the document ("AI-3")
  int64_t id = 0;                    // the stored item; 0 for a new item in a dry run
  int64_t replaced_id = 0;           // kReplaced: the earlier item
  std::string old_text;              // kReplaced: the earlier item's text
  double overlap = 1;                // kReplaced: WordOverlap of the two texts
  std::vector<FieldChange> changes;  // kUpdated: each changed field; kReplaced: the text
};

std::string_view ItemChangeName(ItemChange::Kind k);  // "added", "updated", ...

// What an import did (or, in a dry run, would do), for the user and for tests.
struct ImportResult {
  int64_t incident_id = 0;        // 0 for a new incident in a dry run
  std::string incident_key;       // the key the incident is stored under afterwards
  bool incident_created = false;  // false: an earlier import was updated
  bool dry_run = false;
  // Fields of an existing incident the import changes (empty for a new incident).
  std::vector<FieldChange> incident_changes;
  int actions_added = 0;
  int actions_updated = 0;  // at least one field changed
  int actions_unchanged = 0;
  int actions_replaced = 0;  // ItemChange::kReplaced (not counted as added)
  // Items an earlier import stored that the document no longer lists; kept (with their
  // history), never deleted, and reported. Includes the earlier items of kReplaced.
  std::vector<int64_t> actions_missing_from_document;
  // Every item of the document in its order, then the missing ones.
  std::vector<ItemChange> items;
};

struct ImportOptions {
  // Do everything and report it, then roll the transaction back: nothing is written.
  bool dry_run = false;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  // Where the data is: the SQLite file path or the PostgreSQL URL without its password.
  virtual std::string_view location() const = 0;
  // The schema version after migrations (migrations.h).
  virtual Result<int> SchemaVersion() = 0;

  // Inserts `incident`, or updates the stored one with the same key (when the key is not
  // empty). Returns the id.
  virtual Result<int64_t> PutIncident(const Incident& incident) = 0;
  // kNotFound when there is no such incident.
  virtual Result<Incident> GetIncident(int64_t id) = 0;
  // nullopt when no incident has that key.
  virtual Result<std::optional<Incident>> FindIncidentByKey(std::string_view key) = 0;
  // Ordered by start time (unknown last), then id.
  virtual Result<std::vector<Incident>> ListIncidents(const IncidentFilter& filter) = 0;

  // Stores an incident and its action items in one transaction. The incident: the one with
  // id incident.id when it is set (FindImportTarget's choice; its key becomes incident.key),
  // else the one keyed incident.key (required), else a new one. Each item is keyed on
  // (incident, source_key) (required). For an item seen before:
  //  - its text and status change only when the document changed them since the last import
  //    (a text or status set with `actions update` is not undone by importing an unchanged
  //    document); a class or ticket the document gives replaces the stored one, one it leaves
  //    empty is kept; owner and due date follow the document;
  //  - a text change is recorded in the history (old and new text) like a status change,
  //    each with the note "imported from <document_path>";
  //  - a new text that is not LikelySameItem (item_identity.h) with the text the document
  //    had before makes it ItemChange::kReplaced: a new item; the earlier one keeps its
  //    ticket, status and history and is reported as missing from the document.
  // Items the document no longer lists are kept and reported. kNotFound when incident.id names
  // no incident.
  virtual Result<ImportResult> Import(const Incident& incident,
                                      const std::vector<ActionItem>& actions,
                                      const ImportOptions& options) = 0;
  Result<ImportResult> Import(const Incident& incident, const std::vector<ActionItem>& actions) {
    return Import(incident, actions, ImportOptions{});
  }

  // Adds an item (id, created, updated, status_changed and history are ignored and set by the
  // store); kNotFound when incident_id names no incident. Returns the new id.
  virtual Result<int64_t> AddAction(const ActionItem& item) = 0;
  // With its history. kNotFound when there is no such item.
  virtual Result<ActionItem> GetAction(int64_t id) = 0;
  // Ordered by id.
  virtual Result<std::vector<ActionItem>> ListActions(const ActionFilter& filter) = 0;
  // Applies `update` atomically (read, change, write in one transaction holding the item's
  // lock) and returns the item as stored afterwards, with history. kNotFound when there is no
  // such item.
  virtual Result<ActionItem> UpdateAction(int64_t id, const ActionUpdate& update) = 0;
};

struct StoreOptions {
  // The time the store writes into created/updated/history; null = the system clock. Tests and
  // `--now` pass a fixed clock.
  std::function<TimePoint()> clock;
  // How long a SQLite writer waits for another process's lock before failing.
  int busy_timeout_ms = 10'000;
};

// Opens (creating and migrating as needed) the store named by `spec`:
//   ""                               the default SQLite file, DefaultStorePath()
//   "postgresql://..." "postgres://..."  PostgreSQL through libpq (the URL as libpq reads it)
//   ":memory:"                       a SQLite database that lives as long as the Store
//   anything else                    a SQLite file path (missing folders are created, 0700)
// Errors: kIoError when the database cannot be opened, kBadInput when the file is not a
// database or its schema is newer than this build knows.
Result<std::unique_ptr<Store>> OpenStore(const std::string& spec, const StoreOptions& options);

// $XDG_DATA_HOME/inquest/inquest.db, else ~/.local/share/inquest/inquest.db. Creates the folder
// (0700) when `create_folder`.
Result<std::string> DefaultStorePath(bool create_folder);

}  // namespace inquest::store

#endif  // INQUEST_STORE_STORE_H_
