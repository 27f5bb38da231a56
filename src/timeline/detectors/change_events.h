// Change-like log events lifted into Change candidates, so they are ranked with the change
// records: cache or catalog invalidations and flushes, config reloads, feature-flag flips,
// deploy / rollout / rollback / migration messages. Each keeps its file:line as the source.
//
// The primer's causal link ("catalog.invalidate published 50 ms before the miss spike") is
// usually a log line, not a deploy record; without this, ranking sees only the deploys.
#ifndef INQUEST_TIMELINE_DETECTORS_CHANGE_EVENTS_H_
#define INQUEST_TIMELINE_DETECTORS_CHANGE_EVENTS_H_

#include <optional>
#include <vector>

#include "timeline/detectors/detector.h"

namespace inquest {

// Repeats of one change (same service, kind and wording) closer than this are one change
// with a count: a log that writes "invalidated key X" per key must not flood the ranking.
inline constexpr int64_t kChangeCoalesceNs = 60 * kNanosPerSecond;
// Most changes lifted from logs; beyond this the nearest to the onset are kept (the ranking
// only ever shows the top few).
inline constexpr size_t kMaxLiftedChanges = 200;

// A log line is weaker evidence of a change than a change record: its words were matched, not
// its fields, and services log about changes they did not make ("deployment of X reported
// healthy"). Lifted changes carry this prior (Change::prior), so a record at the same distance
// from the onset outranks them.
inline constexpr double kLiftedPrior = 0.7;
// A lifted change whose wording (numbers and ids aside) was logged this many times before the
// onset, in separate episodes, is routine ("feature flags refreshed" every few minutes): it
// happened before without an incident, so its prior drops by kRoutinePrior.
inline constexpr size_t kRoutineMinRepeats = 3;
inline constexpr double kRoutinePrior = 0.3;

// The kind of change a log event announces, or nullopt. Lines that say nothing changed ("no
// keys changed", "unchanged", "0 changes", "nothing to deploy") are not changes. Errors that merely
// mention a word
// ("config not found") are not changes: only info/notice/warn (or unknown) levels count.
std::optional<ChangeKind> ChangeKindOfEvent(const Event& e);

// Lifts the change-like events of `in.events`; `onset` (may be kNoTime) picks which to keep
// when there are more than kMaxLiftedChanges. Sorted by time.
std::vector<Change> LiftChangeEvents(const DetectorInput& in, TimePoint onset);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_CHANGE_EVENTS_H_
