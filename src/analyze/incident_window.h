// Which windows the second pass reads back: the whole bundle when its records fit the budget
// (then every record is seen, as a small bundle always is), else the incident with a margin
// before the onset (the baseline the detectors compare against, and what led into it) and one
// after the recovery, narrowed until the bytes to read fit: the lead shrinks first, then the
// end comes in to two windows after the onset; then the lead and the incident each read the
// same share of their bytes, from their starts.
#ifndef INQUEST_ANALYZE_INCIDENT_WINDOW_H_
#define INQUEST_ANALYZE_INCIDENT_WINDOW_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyze/log_pass.h"
#include "timeline/onset.h"
#include "timeline/rate.h"

namespace inquest {

// Before the onset: ten windows of baseline for the detectors plus the changes just before.
inline constexpr int64_t kWindowLeadNs = 15 * 60 * kNanosPerSecond;
// The least of it kept when the budget is tight.
inline constexpr int64_t kMinWindowLeadNs = 2 * 60 * kNanosPerSecond;
// After the recovery (the tail of retries and the first quiet minutes).
inline constexpr int64_t kWindowTailNs = 5 * 60 * kNanosPerSecond;
// How long an incident without a recovery is read after its onset.
inline constexpr int64_t kOpenIncidentNs = 30 * 60 * kNanosPerSecond;
// Bytes of log records the second pass reads back, all files together. Parsed, a record costs
// about twice its bytes again (its Event and attributes), so 64 MiB keeps the pass near 250 MB.
inline constexpr uint64_t kMaxWindowBytes = uint64_t{64} << 20;

// A run of windows read back, and the share of each file's bytes in it that is read (below 1
// only when even the least window is over the budget: then the records nearest its start).
struct ReadSpan {
  TimePoint from = kNoTime, to = kNoTime;
  double share = 1;
};

struct IncidentWindow {
  TimePoint from = kNoTime, to = kNoTime;  // kNoTime: unbounded (the whole bundle)
  std::vector<ReadSpan> spans;             // what is read: one span, or a lead and the incident
  uint64_t bytes = 0;                      // to read back
  bool whole = false;                      // every record of the bundle
  std::string note;                        // how it was narrowed, when it was
};

// `indexes` are the first pass's per-file indexes; `bulk_from`/`bulk_to` the span of the
// records that are not strays; `errors` the series the worst window is taken from when there is
// no onset.
IncidentWindow ChooseIncidentWindow(
    const Onset& onset, const Series* errors, TimePoint bulk_from, TimePoint bulk_to,
    int64_t width_ns, const std::vector<const std::map<int64_t, WindowSpan>*>& indexes,
    uint64_t max_bytes = kMaxWindowBytes);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_INCIDENT_WINDOW_H_
