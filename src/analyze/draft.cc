#include "analyze/draft.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyze/draft_knowledge.h"
#include "analyze/draft_parts.h"
#include "analyze/draft_suggest.h"
#include "base/strings.h"
#include "postmortem/draft_render.h"

namespace inquest {

std::string FindingId(size_t i) { return fmt::format("F{}", i + 1); }

int FindingIndex(const Analysis& a, std::string_view kind) {
  for (size_t i = 0; i < a.findings.size(); ++i)
    if (a.findings[i].kind == kind) return int(i);
  return -1;
}

std::string DescribeEvent(const Event& e) {
  std::string d = Excerpt(e.message);
  std::string_view status = FieldValue(e, "status");
  if (!status.empty() && d.find(status) == std::string::npos) d += fmt::format(" ({})", status);
  for (char& c : d)
    if (c == '`') c = '\'';  // the draft quotes sources in backquotes
  return d;
}

// The key times as the store's metrics read them (store/metrics.h): mitigated is when users
// stopped being hurt (the failed-request ratio back at its baseline), so TTR = mitigated -
// started is the primer's MTTR; resolved is when the incident was closed (the first page or alert
// resolved at or after that), else the same moment.
namespace {

// Page and alert statuses as tools write them: "acknowledged", "ack", "acknowledge_log_entry"
// (PagerDuty), "resolve_log_entry", "closed".
bool IsAck(std::string_view status) { return ToLower(status).find("ack") != std::string::npos; }
bool IsResolved(std::string_view status) {
  std::string s = ToLower(status);
  return s.find("resolv") != std::string::npos || s.find("closed") != std::string::npos;
}

// Files listed under Impact by the failed requests they logged; the rest are summed.
constexpr size_t kImpactFilesListed = 4;

}  // namespace

void DraftKeyTimes(const Analysis& a, DraftModel* m) {
  if (!a.onset.found) return;
  m->started = {a.onset.time, "findings.json onset"};
  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    m->detected = {s.time, s.evidence.source};
    for (const Signal& p : a.signals)
      if (p.kind == Signal::Kind::kPage && p.time >= s.time && IsAck(p.status)) {
        m->acknowledged = {p.time, p.evidence.source};
        break;
      }
  }
  if (a.onset.recovery == kNoTime) return;
  m->mitigated = {a.onset.recovery, "findings.json recovery"};
  m->resolved = m->mitigated;
  // The page closes the incident; an alert resolving only says the symptom cleared.
  for (Signal::Kind kind : {Signal::Kind::kPage, Signal::Kind::kAlert}) {
    for (const Signal& p : a.signals)
      if (p.kind == kind && p.time >= a.onset.recovery && IsResolved(p.status)) {
        m->resolved = {p.time, p.evidence.source};
        return;
      }
  }
}

void DraftSummaryImpactDetection(const Analysis& a, DraftModel* m) {
  const Impact& im = a.impact;
  if (!a.onset.found) {
    m->summary = fmt::format("No onset was found: {}.", a.onset.explanation);
  } else {
    std::string s = fmt::format("The {} left its baseline of {:.1f}% at {} UTC", a.onset.signal,
                                a.onset.baseline * 100, FormatClock(a.onset.time, 0));
    if (a.onset.recovery != kNoTime)
      s += fmt::format(" and returned to it at {} ({})", FormatClock(a.onset.recovery, 0),
                       FormatDuration(a.onset.recovery - a.onset.time));
    s += fmt::format(", peaking at {:.1f}%.", a.onset.peak * 100);
    if (im.known && im.total)
      s += fmt::format(" {} of {} requests ({:.1f}%) in that window failed.", im.failed, im.total,
                       im.ratio() * 100);
    if (!a.ranked.empty())
      s += fmt::format(" The change ranked most likely to be the trigger: {} at {}.",
                       a.ranked.front().change.what, FormatClock(a.ranked.front().change.time, 0));
    if (!a.findings.empty())
      s += fmt::format(" Contributing-factor candidates: F1 to {} (Root cause).",
                       FindingId(a.findings.size() - 1));
    m->summary = s;
  }

  if (a.onset.found && im.known) {
    m->impact.push_back(
        {fmt::format(
             "{} to {} UTC ({}): {} of {} requests failed ({:.1f}%), each request counted "
             "once however many services logged it (the rule is in the appendix).",
             FormatClock(im.from, 0), FormatClock(im.to, 0),
             im.to == kNoTime ? "ongoing at the end of the data" : FormatDuration(im.to - im.from),
             im.failed, im.total, im.ratio() * 100),
         "findings.json impact"});
    for (size_t i = 0; i < im.by_service.size() && i < kImpactFilesListed; ++i)
      m->impact.push_back({fmt::format("{} logged errors for {} of the failed requests.",
                                       im.by_service[i].first, im.by_service[i].second),
                           ""});
    if (im.by_service.size() > kImpactFilesListed)
      m->impact.push_back({fmt::format("{} more files logged errors for failed requests "
                                       "(findings.json impact).",
                                       im.by_service.size() - kImpactFilesListed),
                           ""});
    if (!a.example.steps.empty())
      m->impact.push_back(
          {fmt::format("One failed request, {}, is rebuilt end to end in the appendix.",
                       a.example.id),
           ""});
  } else if (a.onset.found) {
    m->impact.push_back(
        {"The logs carry no request ids, so failed requests could not be counted.", ""});
  }
  m->impact_questions = DataIntegrityQuestions(a);

  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    m->detection.push_back(
        {fmt::format("First signal: {} {} \"{}\" at {} UTC, {} after the onset.",
                     SignalKindName(s.kind), s.name, s.summary, FormatClock(s.time, 0),
                     FormatDuration(a.time_to_detect_ns)),
         s.evidence.source});
    if (a.first_alert >= 0 && a.first_alert != a.first_signal) {
      const Signal& al = a.signals[a.first_alert];
      m->detection.push_back(
          {fmt::format("First alert: {} at {} UTC.", al.name, FormatClock(al.time, 0)),
           al.evidence.source});
    }
    if (m->acknowledged.time != kNoTime)
      m->detection.push_back(
          {fmt::format("Page acknowledged at {} UTC ({} after the first signal).",
                       FormatClock(m->acknowledged.time, 0),
                       FormatDuration(m->acknowledged.time - s.time)),
           m->acknowledged.source});
    for (const Signal& t : a.signals)
      if (t.kind == Signal::Kind::kTicket && t.time >= a.onset.time)
        m->detection.push_back({fmt::format("Customer report: {} \"{}\" at {} UTC.", t.name,
                                            t.summary, FormatClock(t.time, 0)),
                                t.evidence.source});
  } else {
    m->detection.push_back({"No alert, page or ticket record after the onset was found.", ""});
  }
  for (size_t i = 0; i < a.findings.size(); ++i)
    if (a.findings[i].kind == "detection-gap" || a.findings[i].kind == "missing-alert")
      m->detection.push_back(
          {fmt::format("{} ({}, under Root cause).", FindingName(a.findings[i].kind), FindingId(i)),
           ""});
}

DraftModel BuildDraft(const Analysis& a, const SevScale& scale) {
  DraftModel m;
  m.drafted_by = "inquest analyze";
  m.evidence_dir = a.dir;
  m.evidence_files = a.inputs.size();
  // The same bundle gives the same id: its files and what was read from them.
  std::string seed;
  for (const InputReport& r : a.inputs) seed += fmt::format("{}:{};", r.relative, r.records);
  TimePoint first = a.onset.found ? a.onset.time : kNoTime;
  if (first == kNoTime && !a.events.empty()) first = a.events.front()->time;
  m.incident_id = MakeIncidentId(first == kNoTime ? 0 : first, seed);
  if (a.onset.found) m.date = FormatTime(a.onset.time, 0).substr(0, 10);

  DraftKeyTimes(a, &m);
  DraftSummaryImpactDetection(a, &m);
  m.title = SuggestTitle(a);
  if (a.onset.found && a.impact.known && a.impact.total) {
    int64_t duration = (a.impact.to == kNoTime ? a.window_to : a.impact.to) - a.impact.from;
    SevSuggestion sev = SuggestSev(scale, a.impact.ratio(), duration, !m.impact_questions.empty());
    m.sev = {sev.level, sev.reason};
  } else {
    m.sev = {"",
             "the logs carry no request ids, so the impact (and the SEV it fits) is the "
             "author's to state"};
  }
  DraftTimeline(a, &m);
  DraftCauses(a, &m);
  DraftResolutionActions(a, &m);
  DraftAppendixTables(a, &m);
  return m;
}

std::string PostmortemMarkdown(const Analysis& a, const SevScale& scale) {
  return RenderDraft(BuildDraft(a, scale), scale);
}

}  // namespace inquest
