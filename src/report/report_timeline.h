// The report's merged timeline as data: every change record, alert, page, ticket and chat record
// of the bundle, the change-like log lines, the onset and the recovery, each finding, the dumps
// and the slowest trace, and the first error or warning of each message in the incident window
// (up to kMaxTimelineLogEvents), in time order, each with its service, kind, one-line summary and
// "file:line" source. html_timeline.h renders it.
//
// Services are named the way the rest of analyze names them: a record's own service field
// (Change::service, Signal::service, Finding::service) and ServiceOf for log records.
#ifndef INQUEST_REPORT_REPORT_TIMELINE_H_
#define INQUEST_REPORT_REPORT_TIMELINE_H_

#include <string>
#include <string_view>
#include <vector>

#include "analyze/analysis.h"

namespace inquest {

// Error and warning log records of the incident window listed in the timeline: the first of each
// message per service (digits aside), so that a window of a few thousand repeats of a dozen
// messages (the example's) shows when each kind of trouble started. Past a screenful the table
// stops being read; the rest are counted, and `inquest timeline` lists them.
inline constexpr size_t kMaxTimelineLogEvents = 40;

enum class ReportRowKind : uint8_t {
  kChange,        // a change record (deploy, config, flag, ...)
  kLoggedChange,  // a log line read as a change (timeline/detectors/change_events.h)
  kAlert,
  kPage,
  kTicket,
  kChat,
  kOnset,
  kRecovery,
  kFinding,
  kLog,
  kDump,
  kTrace,
};
inline constexpr size_t kReportRowKinds = 12;
// "change", "logged change", "alert", "page", "ticket", "chat", "onset", "recovery",
// "finding", "log", "dump", "trace".
std::string_view ReportRowKindName(ReportRowKind k);

struct ReportTimelineRow {
  TimePoint time = kNoTime;
  std::string service;  // may be empty
  ReportRowKind kind = ReportRowKind::kLog;
  std::string summary;      // one line, plain text (redacted where it quotes a record)
  std::string source;       // "file:line", or empty
  int finding = -1;         // index into Analysis::findings for kFinding rows
  size_t more_sources = 0;  // further evidence of that finding, not in this row
};

struct ReportTimeline {
  std::vector<ReportTimelineRow> rows;  // time order; rows without a time last
  // Error and warning log records of the incident window [logs_from, logs_to) (logs_to is
  // kNoTime when there is no recovery): how many there are and how many rows show.
  size_t logs_in_window = 0, logs_shown = 0;
  size_t logs_not_shown() const { return logs_in_window - logs_shown; }
  TimePoint logs_from = kNoTime, logs_to = kNoTime;
};

ReportTimeline BuildReportTimeline(const Analysis& a,
                                   size_t max_log_events = kMaxTimelineLogEvents);

}  // namespace inquest

#endif  // INQUEST_REPORT_REPORT_TIMELINE_H_
