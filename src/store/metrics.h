// Incident metrics from the store: time to detect and time to recover per SEV (median and p90,
// with the mean only beside them), action-item completion of the last N post-mortems, the
// prevent / detect / mitigate balance and the trigger categories.
//
//   MetricsOptions o;
//   o.since = ParseUserTime("2026-01-01").value();
//   INQ_ASSIGN_OR_RETURN(Metrics m, ComputeMetrics(store, o));
//
// Durations: time to detect = detected - started; time to recover = mitigated - started, or
// resolved - started when the document states no mitigation (the moment users stopped being
// hurt, which is what the primer's MTTR measures). Incidents missing either time are left out
// of that statistic and counted in `missing`.
#ifndef INQUEST_STORE_METRICS_H_
#define INQUEST_STORE_METRICS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace inquest::store {

// The primer: "count the completed action items from your last ten post-mortems".
inline constexpr int kDefaultLastN = 10;
// "If it's near zero, your post-mortem process is theater": below this share of the items that
// were not dropped, the completion is reported as theater.
inline constexpr double kTheaterThreshold = 0.10;

struct MetricsOptions {
  TimePoint since = kNoTime;  // incidents that started at or after; kNoTime = all
  int last_n = kDefaultLastN;
};

// Durations in nanoseconds. Percentiles interpolate linearly between the two nearest ranks
// (the median of an even count is the mean of the middle two).
struct DurationStats {
  int n = 0;
  int missing = 0;  // incidents without the times this needs
  int64_t median = 0;
  int64_t p90 = 0;
  int64_t mean = 0;
  int64_t max = 0;
};

struct SevMetrics {
  std::string sev;  // "" for incidents without a SEV
  int incidents = 0;
  DurationStats ttd;
  DurationStats ttr;
};

struct Completion {
  int last_n = 0;
  std::vector<int64_t> incident_ids;  // the last N incidents by start, newest first
  int items = 0;
  int done = 0;
  int wont_do = 0;
  int open = 0;  // open or in progress
  // done / (items - wont_do): a dropped item was a decision, not an item that failed to land.
  // Negative when there is no item to rate.
  double rate = -1;
  bool theater = false;  // rate < kTheaterThreshold
};

struct Metrics {
  TimePoint since = kNoTime;
  int incidents = 0;
  std::vector<SevMetrics> per_sev;  // by SEV name; "" last
  DurationStats ttd_all;
  DurationStats ttr_all;
  Completion completion;
  // Items of the selected incidents by class; kUnknown counts items without a class.
  std::map<ActionClass, int> balance;
  // Classes no item of the selected incidents has (of prevent, detect, mitigate).
  std::vector<ActionClass> missing_classes;
  std::vector<std::pair<std::string, int>> triggers;  // by count, then name; "" = unknown
};

// kInvalidArgument when last_n < 1.
Result<Metrics> ComputeMetrics(Store* store, const MetricsOptions& options);

// One incident's durations, as the statistics count them: nullopt when a time is unknown or
// lies before the start (a typing error in the document, not a negative duration).
std::optional<int64_t> TimeToDetect(const Incident& i);   // detected - started
std::optional<int64_t> TimeToRecover(const Incident& i);  // (mitigated, else resolved) - started

// The definitions, for every output that shows the durations.
inline constexpr std::string_view kTtdDefinition = "TTD = time to detect: detected - started";
inline constexpr std::string_view kTtrDefinition =
    "TTR = time to recover: mitigated - started, or resolved - started when no mitigation is "
    "stated";

// "45s", "6m", "6m30s", "1h32m", "2d4h": the precision a person compares incidents at.
std::string CompactDuration(int64_t nanos);

// Statistics of a set of durations (exposed for tests).
DurationStats Describe(std::vector<int64_t> durations);

// Why the means are shown only beside the medians, for every output format.
inline constexpr std::string_view kMeanNote =
    "Incident durations are right-skewed: one long incident moves the mean far more than it "
    "moves the median, so the mean describes no typical incident. Read the median (the typical "
    "incident) and p90 (the bad ones); the mean is shown only for comparison.";

}  // namespace inquest::store

#endif  // INQUEST_STORE_METRICS_H_
