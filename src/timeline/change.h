// Change records (deploys, config, flags, infra, data) and their ranking against an onset:
// "almost every incident correlates with a change".
#ifndef INQUEST_TIMELINE_CHANGE_H_
#define INQUEST_TIMELINE_CHANGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/input_file.h"
#include "base/status.h"
#include "base/time.h"
#include "logs/log_reader.h"
#include "timeline/change_refs.h"
#include "timeline/rate.h"

namespace inquest {

enum class ChangeKind : uint8_t { kDeploy, kConfig, kFlag, kInfra, kData, kCode, kOther };
std::string_view ChangeKindName(ChangeKind k);

struct Change {
  TimePoint time = kNoTime;
  ChangeKind kind = ChangeKind::kOther;
  std::string service;
  std::string what;     // human summary: "checkout-service v2.317 deployed to us-east-1"
  std::string ref;      // PR, commit, ticket, version
  std::string source;   // "deploys.jsonl:3"
  std::string rollout;  // "100%", "canary 5%", "50% (staged: step 2 of 3)" when the record says
  std::string subject;  // the flag, config key or setting changed, when the record names one
  // How much this record is to be believed as a change at all, 0..1, and why when below 1: a
  // change record is 1; a log line lifted for its words is less, and less again when the same
  // line recurs routinely before the incident (timeline/detectors/change_events.h).
  double prior = 1;
  std::string prior_reason;
  // The commits and pull requests the record names (timeline/change_refs.h): a PR or commit
  // record's own, or those a deploy shipped. Filled by the readers from every field.
  std::vector<ChangeRef> refs;
  // A commit read from a `git log` export: the export's name and the commit's place in it, 0
  // for the first listed (git lists the newest first); -1 for other records.
  std::string history;
  int64_t history_pos = -1;
};

// Reads change records from JSON lines, a JSON array, CSV with a header row (any column order;
// columns mapped by their values and names), or `git log` output (default, --pretty=fuller,
// --format with dates). Rollout steps of one subject (10% -> 50% -> 100%) are marked as a
// staged rollout. Bad rows go to `issues` with their line and byte offset.
Result<std::vector<Change>> ReadChanges(const InputFile& file, const TimeContext& ctx,
                                        IssueLog* issues);
// A probe for evidence sniffing: 0..1 that `data` holds change records: git log output, or
// records that are changes by their content (evidence/record_roles.h).
double ProbeChanges(std::string_view data);

// A change a deploy shipped (timeline/change_links.h), shown under the deploy it ranks with.
struct ShippedChange {
  TimePoint time = kNoTime;
  std::string what;    // "PR #4412 merged: cache TTL 30s -> 300s"
  std::string source;  // "exports/0529-a.jsonl:4"
  std::string ref;     // the change's own ref ("PR #4412")
  std::string link;    // the explicit reference behind the link ("both name commit 9f1e2ab")
};

struct RankedChange {
  Change change;
  double score = 0;    // 0..1, higher = more likely the trigger
  std::string reason;  // why it is ranked here ("deployed 9m before the onset to checkout, ...")
  // For a deploy: the PRs and commits it shipped, by explicit reference; they rank as one
  // candidate with it and are not ranked on their own.
  std::vector<ShippedChange> shipped;
};

struct RankOptions {
  TimePoint onset = kNoTime;
  std::vector<std::string> error_services;              // services showing the errors, worst first
  int64_t lookback_ns = 24LL * 3600 * kNanosPerSecond;  // changes older than this score ~0
  // Share (0..1) of the errors each of error_services shows, parallel to it; optional.
  std::vector<double> error_shares;
  // Width of the window the onset starts (the onset is its start): a change inside it may be
  // the trigger. 0: one minute.
  int64_t onset_window_ns = 0;
  // The first error record of the onset window, when known: a change inside the window but
  // well after it (kAfterFirstErrorSlackNs) came after the incident began, as far as clocks
  // tell, and ranks a little lower (clocks may be off, and the first error may be background).
  TimePoint first_error = kNoTime;
  // Services the error records name without showing errors themselves (a slow dependency, a
  // host whose certificate expired: its callers fail and say whom they called), with the share
  // of the error records that name each; parallel vectors, optional (SetNamedServices).
  std::vector<std::string> named_services;
  std::vector<double> named_shares;
  // Per change, in order (optional): the share of the error records quoting its distinctive
  // words and the word quoted most (timeline/change_echo.h).
  std::vector<double> echo_shares;
  std::vector<std::string> echo_words;
};

// Ranks changes against an onset: preceding changes first, by proximity (a change seconds
// before the onset beats one hours before) and by whether it touches a service that shows the
// errors. Changes after the onset are kept, last, and marked as such. A deploy and the changes
// it shipped (LinkShippedChanges, timeline/change_links.h) are one candidate: the deploy, at
// its own time, with the best of their service and echo evidence and the shipped changes
// listed under it; a change a deploy shipped is not ranked on its own.
std::vector<RankedChange> RankChanges(const std::vector<Change>& changes, const RankOptions& opts);

// Fills opts->error_services and error_shares from per-service series (ComputeRates with
// group_by "service"; series[0], the totals, is skipped): the services with errors in
// [from, to) (kNoTime: unbounded), most errors first, with their share of them.
void SetErrorServices(const std::vector<Series>& by_service, TimePoint from, TimePoint to,
                      RankOptions* opts);

// Fills opts->named_services and named_shares: for each service of `changes`, the share of
// `error_messages` (the error records of the incident window) that name it as a word, when that
// share reaches kMinNamedShare. A service that shows errors and is also blamed by its callers'
// errors is ranked by whichever says more. `message_services` (parallel to the messages,
// optional) is each record's own service: a record naming its own service blames nobody.
inline constexpr double kMinNamedShare = 0.05;
void SetNamedServices(const std::vector<Change>& changes,
                      const std::vector<std::string_view>& error_messages, RankOptions* opts,
                      const std::vector<std::string_view>* message_services = nullptr);

// The changes within `window_ns` of `t` (all of them when t is kNoTime), in time order.
std::vector<Change> ChangesAround(const std::vector<Change>& changes, TimePoint t,
                                  int64_t window_ns);

// Whether two service names denote the same service: equal ignoring case and a "-service" or
// "-svc" suffix, or one is the other plus a "-", "_" or "." suffix
// ("checkout" and "checkout-worker").
bool SameService(std::string_view a, std::string_view b);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CHANGE_H_
