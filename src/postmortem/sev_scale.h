// The SEV scale: what each level means and the response it triggers. The default is the
// primer's (SEV-1 critical .. SEV-4 negligible); inquest.toml can replace it:
//
//   [[sev]]
//   name = "SEV-1"
//   meaning = "Critical: major outage, data loss, security breach"
//   response = "All-hands, IC, exec notify, customer comms, post-mortem mandatory"
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
};

// Ordered worst first.
using SevScale = std::vector<SevLevel>;

SevScale DefaultSevScale();

// The [[sev]] array of inquest.toml, or the default when there is none. A level without a name
// or a name used twice is InvalidArgument.
Result<SevScale> SevScaleFromToml(const toml::table& table);

// The index of `name` in the scale (case-insensitive, "SEV 2" == "SEV-2"), or -1.
int FindSevLevel(const SevScale& scale, std::string_view name);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_SEV_SCALE_H_
