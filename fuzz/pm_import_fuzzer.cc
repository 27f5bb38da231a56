// `pm import`'s reading of a post-mortem: the document parsed, then planned into the incident
// and action items the store would keep (identity, times, statuses, classes, tickets). Never
// crashes; a plan keeps every item's source line inside the document.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "postmortem/document.h"
#include "store/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::PmDocument> doc = inquest::ParsePmDocument(bytes, "fuzz.md");
  if (!doc.ok()) return 0;
  inquest::Result<inquest::store::ImportPlan> plan = inquest::store::PlanImport(*doc);
  if (!plan.ok()) return 0;
  if (plan->incident.key.empty()) abort();
  for (const inquest::store::ActionItem& a : plan->actions)
    if (a.source_key.empty()) abort();
  return 0;
}
