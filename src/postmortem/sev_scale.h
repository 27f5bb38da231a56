// The SEV scale: what each level means and the response it triggers. The default is the
// primer's (SEV-1 critical .. SEV-4 negligible); inquest.toml can replace it:
//
//   [[sev]]
//   name = "SEV-1"
//   meaning = "Critical: major outage, data loss, security breach"
//   response = "All-hands, IC, exec notify, customer comms, post-mortem mandatory"
//   failed_ratio = 0.5   # optional: the level fits when at least this share of requests
//   minutes = 5          #   failed for at least this long (what `analyze` suggests from)
//
// `pm new` writes the scale into the template; `pm lint` checks a document's SEV against it.
#ifndef INQUEST_POSTMORTEM_SEV_SCALE_H_
#define INQUEST_POSTMORTEM_SEV_SCALE_H_

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

struct SevLevel {
  std::string name;  // "SEV-2"
  std::string meaning;
  std::string example;
  std::string response;
  // The impact that fits the level, for the SEV `analyze` suggests: at least `failed_ratio` of
  // requests failed (0..1) for at least `minutes`. Negative: the level states no threshold and
  // is never suggested.
  double failed_ratio = -1;
  double minutes = -1;
};

// Ordered worst first.
using SevScale = std::vector<SevLevel>;

SevScale DefaultSevScale();

// A SEV proposed from the measured impact: the worst level whose thresholds the impact meets.
struct SevSuggestion {
  std::string level;   // empty when no level fits or the scale has no thresholds
  std::string reason;  // why, in one sentence, naming the numbers and the threshold
};

// `failed_ratio` 0..1 over `duration_ns`; `data_question`: the evidence raises a possible
// data-integrity problem, which the reason names (the scale's worst level covers data loss,
// which the author confirms; it is not assumed).
SevSuggestion SuggestSev(const SevScale& scale, double failed_ratio, int64_t duration_ns,
                         bool data_question);

// The [[sev]] array of inquest.toml, or the default when there is none. A level without a name
// or a name used twice is InvalidArgument.
Result<SevScale> SevScaleFromToml(const toml::table& table);

// The index of `name` in the scale (case-insensitive, "SEV 2" == "SEV-2"), or -1.
int FindSevLevel(const SevScale& scale, std::string_view name);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_SEV_SCALE_H_
