// `analyze`'s first pass over one log file: every record is seen once, as it streams by
// (timeline/record_scan.h), and only aggregates are kept:
//   - counts per window, overall and per service (WindowCounter);
//   - every request's outcome by the hash of its id, handed in batches to the bundle's table
//     (RequestTable, spilling past its limit);
//   - a sparse index: for each window, the byte span and first line of its records, so the
//     second pass reads the incident's windows only;
//   - the places of records that read like a change (ChangeKindOfEvent), read back by the
//     second pass to be ranked;
//   - the first services the file's records name (for the folder-service rule).
// Memory: the windows and the index grow with the span of time (a few hundred windows for an
// incident), the request table is bounded by its spill limit, change places by
// kMaxChangePlaces; nothing grows with the number of records.
#ifndef INQUEST_ANALYZE_LOG_PASS_H_
#define INQUEST_ANALYZE_LOG_PASS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyze/request_table.h"
#include "timeline/log_clock_skew.h"
#include "timeline/rate.h"
#include "timeline/record_scan.h"
#include "timeline/window_counter.h"

namespace inquest {

// Change-like records whose place one file keeps; beyond, they are counted. Ranking shows the
// few nearest the onset, and a log that announces a change per record is coalesced anyway.
inline constexpr size_t kMaxChangePlaces = 20'000;
// Windows one file's index holds; a file whose times scatter over more (a clock gone wild, a
// misread date) is read from its start by the second pass instead, within its budget.
inline constexpr size_t kMaxIndexWindows = 200'000;
// Distinct services kept from a file's records for the folder-service rule.
inline constexpr size_t kMaxNamedServices = 32;
// Records of each range looked at for the services they name.
inline constexpr size_t kServiceSampleRecords = 1000;

// Where one record lies in its file.
struct RecordPlace {
  uint64_t offset = 0;
  uint64_t line = 0;
};

// Where one window's records lie in a file.
struct WindowSpan {
  uint64_t begin = UINT64_MAX;  // smallest byte offset of a record of the window
  uint64_t line = 0;            // the line of that record
  uint64_t last = 0;            // largest byte offset of a record of the window
  uint64_t records = 0;
};

// What the pass applies while it reads (settled by an earlier look at the bundle).
struct LogPassRules {
  RateOptions rate;           // width of the windows; grouped by service
  TimePoint since = kNoTime;  // records outside [since, until) are counted, not used
  TimePoint until = kNoTime;
  std::string promoted_id_key;          // an attribute read as the request id (shared_ids.h)
  const ClockShifts* shifts = nullptr;  // with --adjust-skew: host clocks moved onto the reference
  const std::vector<std::string>* file_names = nullptr;  // for the shifts' clock names
  RequestTable* requests = nullptr;                      // where the requests go (required)
};

// The attributes the pass reads of each record (LoadOptions::attributes): the rate's, the
// request-id keys and the promoted key; null (all) when the rate reads all. IsLogPassKey
// (LoadOptions::attribute_test) accepts the others it reads: the error texts ChangeKindOfEvent
// reads (IsErrorTextKey) and nested request-id keys ("ctx.request_id"), whatever their prefix.
std::unique_ptr<KeyIndex> LogPassAttributes(const LogPassRules& rules);
bool IsLogPassKey(std::string_view key);

class LogPassSink : public RecordSink {
 public:
  // `rules` must outlive the sink.
  explicit LogPassSink(const LogPassRules& rules) : windows(rules.rate), rules_(&rules) {}
  void Add(const Event& e) override;
  // Folds in a later range of the same file, whose lines count from `line_base`, and hands the
  // range's last request records over.
  Status Merge(LogPassSink&& later, uint64_t line_base);
  // Hands this sink's own last request records over.
  void Flush();

  WindowCounter windows;
  std::map<int64_t, WindowSpan> index;  // by window index
  bool index_complete = true;           // false past kMaxIndexWindows
  std::vector<RecordPlace> change_places;
  uint64_t change_places_dropped = 0;
  uint64_t outside_range = 0;         // left out by since/until
  std::vector<std::string> services;  // named by the first records, distinct
  uint64_t with_request_id = 0;

 private:
  const LogPassRules* rules_;
  int64_t last_window_ = INT64_MIN;
  WindowSpan* last_span_ = nullptr;
  uint64_t sampled_ = 0;
  std::vector<RequestRecord> pending_;  // request records not yet folded into rules_->requests
};

// The request id of a record: its correlation field, else a request-id-like attribute, else
// (when given) the promoted key; "" and "-" mean none.
std::string_view RequestIdOf(const Event& e, std::string_view promoted_key = {});

}  // namespace inquest

#endif  // INQUEST_ANALYZE_LOG_PASS_H_
