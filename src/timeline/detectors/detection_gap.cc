#include "timeline/detectors/detection_gap.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

bool IsAlertLike(const Signal& s) {
  return s.kind == Signal::Kind::kAlert || (s.kind == Signal::Kind::kPage && !s.from_customer);
}

// A signal that ends something (resolved, acknowledged, closed) did not detect anything.
bool IsOpening(const Signal& s) {
  std::string st = ToLower(s.status);
  return !(st == "resolved" || st == "acknowledged" || st == "closed" || st == "ack");
}

// Whether an alert speaks about `service` or `resource`.
bool AlertNames(const Signal& s, std::string_view service, std::string_view resource) {
  auto mentions = [&](std::string_view what) {
    if (what.empty()) return false;
    return ContainsIgnoreCase(s.name, what) || ContainsIgnoreCase(s.summary, what) ||
           EqualsIgnoreCase(s.service, what);
  };
  // An alert about the resource itself, or about the service's pool/queue/saturation.
  if (mentions(resource)) return true;
  bool names_service = mentions(service);
  bool names_resource_kind =
      ContainsIgnoreCase(s.summary, "pool") || ContainsIgnoreCase(s.summary, "queue") ||
      ContainsIgnoreCase(s.summary, "saturat") || ContainsIgnoreCase(s.name, "pool") ||
      ContainsIgnoreCase(s.name, "saturat") || ContainsIgnoreCase(s.summary, "connection");
  return names_service && names_resource_kind;
}

}  // namespace

IncidentDetection FindDetection(const DetectorInput& in, TimePoint onset) {
  IncidentDetection d;
  if (onset == kNoTime) return d;
  for (const Signal& s : in.signals) {
    if (s.time == kNoTime || s.time < onset - kSignalBeforeOnsetSlackNs || !IsOpening(s)) continue;
    if (!d.first_signal || s.time < d.first_signal->time) d.first_signal = &s;
    if (IsAlertLike(s) && (!d.first_alert || s.time < d.first_alert->time)) d.first_alert = &s;
  }
  if (d.first_signal) d.time_to_detect_ns = std::max<int64_t>(0, d.first_signal->time - onset);
  return d;
}

std::vector<Finding> DetectDetectionGaps(const DetectorInput& in) {
  std::vector<Finding> out;
  if (!in.onset.found) return out;
  TimePoint onset = in.onset.time;
  IncidentDetection d = FindDetection(in, onset);
  if (!d.first_signal) {
    Finding f = NewFinding("detection-gap", Severity::kWarning, "", "", onset);
    f.title = in.signals.empty()
                  ? "No alert, page or ticket records were found: how the incident was detected "
                    "is not in the evidence"
                  : fmt::format(
                        "No alert, page or ticket after the onset at {}: nothing in the "
                        "records detected the incident",
                        FormatClock(onset, 0));
    f.confidence = in.signals.empty() ? 0.3 : 0.7;
    f.explanation =
        "Either detection happened outside these records (a person noticed, a chat "
        "message) or nothing alerted. Ask the responders how they found out.";
    out.push_back(std::move(f));
  } else if (!IsAlertLike(*d.first_signal) ||
             (d.first_alert && d.first_alert->time - onset > kLateDetectionNs) || !d.first_alert) {
    Finding f = NewFinding("detection-gap", Severity::kError, "", "", d.first_signal->time);
    const Signal& s = *d.first_signal;
    if (!IsAlertLike(s)) {
      f.title = fmt::format(
          "The first signal came from {}: {} {} at {} ({} after the "
          "onset), {}",
          s.kind == Signal::Kind::kChat ? "a chat message" : "a customer", SignalKindName(s.kind),
          s.name, FormatClock(s.time, 0), FormatDuration(s.time - onset),
          d.first_alert
              ? fmt::format("before the first alert at {}", FormatClock(d.first_alert->time, 0))
              : std::string("and no alert fired"));
    } else {
      f.title = fmt::format("The first alert fired {} after the onset ({} at {}), later than {}",
                            FormatDuration(d.first_alert->time - onset), s.name,
                            FormatClock(s.time, 0), FormatDuration(kLateDetectionNs));
    }
    f.confidence = 0.8;
    f.explanation =
        "Detection depended on users noticing. An alert on the error rate or on the "
        "saturated resource would have fired earlier.";
    f.evidence.push_back(s.evidence);
    if (d.first_alert && d.first_alert != &s) f.evidence.push_back(d.first_alert->evidence);
    out.push_back(std::move(f));
  }

  // Saturated resources no alert speaks of.
  for (const Finding& sat : in.prior) {
    if (sat.kind != "saturation") continue;
    bool covered = false;
    for (const Signal& s : in.signals)
      if (IsAlertLike(s) && AlertNames(s, sat.service, sat.subject)) covered = true;
    if (covered) continue;
    Finding f = NewFinding("missing-alert", Severity::kWarning, sat.service, sat.subject, sat.time,
                           sat.end);
    std::string first = "no alert fired at all";
    if (d.first_alert)
      first = fmt::format(
          "the first alert, {} at {}{}, was on the symptom", d.first_alert->name,
          FormatClock(d.first_alert->time, 0),
          d.first_alert->summary.empty() ? "" : fmt::format(" (\"{}\")", d.first_alert->summary));
    f.title = fmt::format("No alert on {} saturation: {}",
                          ServiceAndSubject(sat.service, sat.subject), first);
    f.confidence = in.signals.empty() ? 0.3 : 0.7;
    f.explanation = fmt::format(
        "{} was saturated from {} (see the saturation finding), and none of the {} alert and "
        "page records names it. The records cannot show whether such an alert exists but did "
        "not fire, or does not exist.",
        sat.subject, FormatClock(sat.time, 0), in.signals.size());
    if (!sat.evidence.empty()) f.evidence.push_back(sat.evidence.front());
    if (d.first_alert) f.evidence.push_back(d.first_alert->evidence);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest
