#include "report/report_timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/source_excerpts.h"

namespace inquest {
namespace {

ReportRowKind RowKindOf(Signal::Kind k) {
  switch (k) {
    case Signal::Kind::kAlert:
      return ReportRowKind::kAlert;
    case Signal::Kind::kPage:
      return ReportRowKind::kPage;
    case Signal::Kind::kTicket:
      return ReportRowKind::kTicket;
    case Signal::Kind::kChat:
      return ReportRowKind::kChat;
  }
  return ReportRowKind::kAlert;
}

ReportTimelineRow Row(TimePoint time, std::string_view service, ReportRowKind kind,
                      std::string summary, std::string_view source) {
  ReportTimelineRow r;
  r.time = time;
  r.service = std::string(service);
  r.kind = kind;
  r.summary = std::move(summary);
  r.source = std::string(source);
  return r;
}

std::string ChangeSummary(const Change& c) {
  std::string s = fmt::format("{}: {}", ChangeKindName(c.kind), c.what);
  if (!c.ref.empty() && c.what.find(c.ref) == std::string::npos) s += " (" + c.ref + ")";
  if (!c.rollout.empty() && c.what.find(c.rollout) == std::string::npos)
    s += ", rollout " + c.rollout;
  return s;
}

std::string SignalSummary(const Signal& s) {
  std::string out = s.name;
  if (!s.status.empty()) out += " " + s.status;
  if (!s.summary.empty()) out += ": " + s.summary;
  if (s.from_customer) out += " (from a customer)";
  return out;
}

// The log record's own words: its message, else its first line, redacted and cut.
std::string LogSummary(const Event& e) {
  return fmt::format("{}: {}", LevelName(e.level), Excerpt(e.message.empty() ? e.raw : e.message));
}

// What makes two log records the same message: service, level and words, digits aside
// ("waiters=38" and "waiters=31" are one), from the head of the message.
constexpr size_t kLogShapeBytes = 160;
std::string LogShape(std::string_view service, const Event& e) {
  std::string_view text = e.message.empty() ? e.raw : e.message;
  text = text.substr(0, std::min(text.size(), kLogShapeBytes));
  std::string shape = fmt::format("{}|{}|", service, LevelName(e.level));
  for (char c : text)
    if (c < '0' || c > '9')
      shape += c;
    else if (shape.back() != '#')
      shape += '#';
  return shape;
}

void AddTrace(const Analysis& a, std::vector<ReportTimelineRow>* rows) {
  if (!a.state.traces || a.state.worst_trace < 0) return;
  const TraceSet& ts = *a.state.traces;
  const Trace& t = ts.traces[a.state.worst_trace];
  ReportTimelineRow r = Row(t.start, "", ReportRowKind::kTrace, "", "");
  for (uint32_t root : t.roots) {
    uint32_t span = t.nodes[root].span;
    if (span < ts.spans.spans.size()) {
      r.service = std::string(ts.spans.spans[span].service);
      break;
    }
  }
  r.summary = fmt::format("slowest trace {}: {}, {} spans, {} with errors", FormatTraceId(t.id),
                          FormatDuration(t.end - t.start), t.spans, t.error_spans);
  rows->push_back(std::move(r));
}

}  // namespace

std::string_view ReportRowKindName(ReportRowKind k) {
  static constexpr std::string_view kNames[kReportRowKinds] = {
      "change", "logged change", "alert",   "page", "ticket", "chat",
      "onset",  "recovery",      "finding", "log",  "dump",   "trace"};
  return kNames[static_cast<size_t>(k)];
}

ReportTimeline BuildReportTimeline(const Analysis& a, size_t max_log_events) {
  ReportTimeline tl;
  std::vector<ReportTimelineRow>& rows = tl.rows;
  std::set<std::string, std::less<>> change_files;
  for (const InputReport& r : a.inputs)
    if (r.kind == EvidenceKind::kChanges) change_files.insert(r.relative);

  for (const Change& c : a.changes) {
    std::optional<Citation> at = ParseCitation(c.source);
    bool record = at && change_files.contains(at->file);
    rows.push_back(Row(c.time, c.service,
                       record ? ReportRowKind::kChange : ReportRowKind::kLoggedChange,
                       ChangeSummary(c), c.source));
  }
  for (const Signal& s : a.signals)
    rows.push_back(Row(s.time, s.service, RowKindOf(s.kind), SignalSummary(s), s.evidence.source));

  if (a.onset.found) {
    ReportTimelineRow onset = Row(a.onset.time, "", ReportRowKind::kOnset, "", "");
    onset.summary = fmt::format("the {} leaves its baseline (confidence {:.0f}%)", a.onset.signal,
                                a.onset.confidence * 100);
    // The first error of the onset window is where the onset can be seen in the records.
    if (a.precise_onset != kNoTime)
      for (const Event* e : a.events)
        if (e->time == a.precise_onset && e->level >= Level::kError) {
          onset.summary += fmt::format("; first error at {}: {}", FormatClock(e->time, 3),
                                       Excerpt(e->message.empty() ? e->raw : e->message));
          onset.service = ServiceOf(a.detector_input, *e);
          onset.source = SourceOf(a.detector_input, *e);
          break;
        }
    rows.push_back(std::move(onset));
    if (a.onset.recovery != kNoTime)
      rows.push_back(
          Row(a.onset.recovery, "", ReportRowKind::kRecovery,
              fmt::format("the {} is back at its baseline, {} after the onset", a.onset.signal,
                          FormatDuration(a.onset.recovery - a.onset.time)),
              ""));
  }

  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    ReportTimelineRow r =
        Row(f.time, f.service, ReportRowKind::kFinding, fmt::format("{}: {}", f.kind, f.title), "");
    r.finding = static_cast<int>(i);
    if (!f.evidence.empty()) {
      r.source = f.evidence[0].source;
      r.more_sources = f.evidence.size() - 1;
    }
    rows.push_back(std::move(r));
  }

  for (const DumpAnalysis& d : a.state.dumps) {
    ReportTimelineRow r =
        Row(d.time, "", ReportRowKind::kDump, fmt::format("{} dump {}", d.kind, d.path), "");
    if (!d.verdicts.empty()) {
      r.summary += ": " + d.verdicts[0].title;
      r.service = d.verdicts[0].service;
      if (!d.verdicts[0].evidence.empty()) r.source = d.verdicts[0].evidence[0].source;
    }
    rows.push_back(std::move(r));
  }
  AddTrace(a, &rows);

  // The first error or warning of each message in the incident window.
  if (a.onset.found) {
    tl.logs_from = a.onset.time;
    tl.logs_to = a.onset.recovery;
    std::set<std::string> seen;
    for (const Event* e : a.events) {
      if (e->time < tl.logs_from) continue;
      if (tl.logs_to != kNoTime && e->time >= tl.logs_to) break;
      if (e->role != RecordRole::kLog || e->level < Level::kWarn) continue;
      ++tl.logs_in_window;
      if (tl.logs_shown >= max_log_events) continue;
      std::string service = ServiceOf(a.detector_input, *e);
      if (!seen.insert(LogShape(service, *e)).second) continue;
      ++tl.logs_shown;
      rows.push_back(Row(e->time, service, ReportRowKind::kLog, LogSummary(*e),
                         SourceOf(a.detector_input, *e)));
    }
  }

  std::stable_sort(rows.begin(), rows.end(),
                   [](const ReportTimelineRow& x, const ReportTimelineRow& y) {
                     if ((x.time == kNoTime) != (y.time == kNoTime)) return y.time == kNoTime;
                     return x.time < y.time;
                   });
  return tl;
}

}  // namespace inquest
