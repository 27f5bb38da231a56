#include "timeline/detectors/rollout.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

bool IsRollback(const Change& c) {
  return ContainsIgnoreCase(c.what, "rollback") || ContainsIgnoreCase(c.what, "roll back") ||
         ContainsIgnoreCase(c.what, "rolled back") || ContainsIgnoreCase(c.what, "revert");
}

bool NamesStages(std::string_view s) {
  for (std::string_view w : {"canary", "stage", "staged", "wave", "->", "\xE2\x86\x92", "phase",
                             "progressive", "blue-green", "blue/green"})
    if (ContainsIgnoreCase(s, w)) return true;
  return false;
}

// The percentage in a rollout text ("25%", "canary 5%"), or -1.
double PercentOf(std::string_view s) {
  size_t pct = s.find('%');
  if (pct == std::string_view::npos) return -1;
  size_t b = pct;
  while (b > 0 && ((s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '.')) --b;
  auto v = ParseDouble(s.substr(b, pct - b));
  return v ? *v : -1;
}

}  // namespace

bool IsOneStepRollout(const Change& c) {
  std::string_view r = c.rollout;
  if (r.empty() || NamesStages(r) || NamesStages(c.what)) return false;
  if (PercentOf(r) == 100) return true;
  std::string lower = ToLower(TrimSpace(r));
  return lower == "all" || lower == "all-at-once" || lower == "all at once" || lower == "full" ||
         lower == "fleet" || lower == "recreate";
}

std::vector<Finding> DetectOneStepRollout(const DetectorInput& in) {
  std::vector<Finding> out;
  TimePoint onset = in.precise_onset != kNoTime ? in.precise_onset : in.onset.time;
  if (!in.onset.found || onset == kNoTime) return out;
  for (const Change& c : in.changes) {
    if (c.time == kNoTime || c.time > onset || onset - c.time > kRolloutLookbackNs) continue;
    if (IsRollback(c) || !IsOneStepRollout(c)) continue;
    // Staged after all: the same service and ref seen earlier at a lower percentage.
    bool staged = false;
    for (const Change& o : in.changes)
      if (&o != &c && o.service == c.service && o.ref == c.ref && o.time < c.time &&
          c.time - o.time <= kStagedWindowNs && PercentOf(o.rollout) >= 0 &&
          PercentOf(o.rollout) < 100)
        staged = true;
    if (staged) continue;
    Finding f = NewFinding("one-step-rollout", Severity::kWarning, c.service, c.ref, c.time);
    f.title = fmt::format(
        "{} {} went to {} in one step at {}, {} before the onset: no canary "
        "or staged rollout",
        c.service.empty() ? "A change" : c.service, c.ref.empty() ? c.what : c.ref, c.rollout,
        FormatClock(c.time, 0), FormatDuration(onset - c.time));
    f.confidence = 0.7;
    f.explanation = fmt::format(
        "The change record says rollout \"{}\" and no earlier record of {} at a lower "
        "percentage exists, so every instance changed at once and no early signal from a "
        "canary was possible. The records cannot show whether a canary was skipped or does "
        "not exist for this service.",
        c.rollout, c.ref.empty() ? c.what : c.ref);
    f.evidence.push_back({c.source, Excerpt(c.what)});
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest
