// `inquest analyze`'s pipeline as a library: detect every file of an incident bundle by its
// content, ingest in parallel, merge, count per minute, find the onset and recovery, rank what
// changed (change records plus change-like log events), read alerts, pages and tickets for
// detection, measure the impact, and run the contributing-factor detectors.
//
//   AnalyzeOptions opts;  opts.dir = "examples/checkout-stampede";
//   INQ_ASSIGN_OR_RETURN(Analysis a, AnalyzeBundle(opts, &progress));
//   WriteFindingsJson(a) ...
//
// An Analysis owns the loaded files; its events, findings and excerpts point into them, so it
// is moved, never copied.
#ifndef INQUEST_ANALYZE_ANALYSIS_H_
#define INQUEST_ANALYZE_ANALYSIS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyze/bundle_inputs.h"
#include "analyze/incident_window.h"
#include "analyze/request_outcomes.h"
#include "analyze/request_table.h"
#include "analyze/state_evidence.h"
#include "analyze/window_pass.h"
#include "base/progress.h"
#include "base/status.h"
#include "evidence/finding.h"
#include "evidence/sniff.h"
#include "logs/log_file.h"
#include "timeline/change.h"
#include "timeline/correlate.h"
#include "timeline/detectors/detector.h"
#include "timeline/log_clock_skew.h"
#include "timeline/onset.h"
#include "timeline/rate.h"

namespace inquest {

// The name of the report folder inside the bundle, skipped when the bundle is read.
inline constexpr std::string_view kDefaultReportDir = "inquest-report";
// Window of the error-rate series: the minute grain of the primer's PromQL and of most alerts.
inline constexpr int64_t kAnalysisWindowNs = 60 * kNanosPerSecond;
// Threads for ingest (DESIGN.md: use both cores).
inline constexpr int kAnalysisThreads = 2;

struct AnalyzeOptions {
  std::string dir;                     // the bundle (a folder, or one file)
  std::vector<std::string> skip_dirs;  // folders not to read (the report's output)
  int threads = kAnalysisThreads;
  const TimeZone* zone = nullptr;  // --assume-tz; null: UTC
  int year = 0;                    // --year for year-less logs
  std::string config_path;         // --config; empty: searched (bundle, ., user)
  // Log-based clock skew (timeline/log_clock_skew.h): hosts off by more than the threshold are
  // noted, and with adjust_skew moved onto their group's reference clock before the merge.
  bool adjust_skew = false;
  int64_t skew_threshold_ns = kLogSkewThresholdNs;
  // --since / --until: log records outside [since, until) are left out (counted in a note);
  // kNoTime for no bound. --by: the width of the windows the rates and the onset use.
  TimePoint since = kNoTime, until = kNoTime;
  int64_t window_ns = kAnalysisWindowNs;
  // Memory bounds of the passes (analyze/incident_window.h, analyze/request_table.h): bytes of
  // log records the second pass reads back, requests the first pass holds before it spills.
  uint64_t window_budget_bytes = kMaxWindowBytes;
  size_t requests_in_memory = kRequestTableMaxEntries;
};

struct Analysis {
  std::string dir;
  std::vector<InputReport> inputs;
  // The log records the second pass read back: the incident's windows with their margins
  // [window_from, window_to), and the change-like records wherever they are. Counts, rates,
  // the onset and the impact come from the first pass over every record.
  std::vector<std::unique_ptr<LogFile>> logs;
  std::vector<const Event*> events;  // those records, merged in time order
  TimePoint window_from = kNoTime, window_to = kNoTime;
  // Per log file (by its name in the bundle), line starts the first pass saw: (line, byte
  // offset) of each window's first record in the file, sorted by line. Excerpts start there.
  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> line_starts;
  // Per log file (by its name in the bundle), the windows' bytes the second pass holds in
  // `logs`: excerpts inside them are read from memory (a compressed file is not decompressed
  // again up to them).
  std::map<std::string, std::vector<HeldLines>> held_lines;
  std::string window_note;   // what the second pass read when it could not read everything
  uint64_t log_records = 0;  // every record the first pass read
  int64_t window_ns = kAnalysisWindowNs;  // the windows of `series` and `requests` (--by)
  std::vector<Series> series;             // [0] all events; then per service
  // Requests per window (distinct request ids at their first event; errors = failed ones).
  // The onset is found on this series when the logs carry request ids (failed requests are
  // what users see; chatty logs do not dilute it), else on series[0].
  Series requests;
  bool onset_on_requests = false;
  Onset onset;
  TimePoint precise_onset = kNoTime;  // first error event of the onset window
  std::vector<Change> changes;        // records, then lifted log events (time order)
  size_t lifted_changes = 0;
  std::vector<RankedChange> ranked;
  std::vector<Signal> signals;  // time order
  int first_signal = -1;        // indices into signals
  int first_alert = -1;
  int64_t time_to_detect_ns = 0;
  Impact impact;
  std::vector<Finding> findings;   // contributing-factor candidates, by time
  RequestTimeline example;         // one failed request rebuilt end to end (may be empty)
  std::vector<std::string> notes;  // assumptions and limits of the whole analysis
  // Hosts whose log clocks are off (and, with adjust_skew, those that could not be checked and
  // what was moved): also among `notes`, and printed by `analyze` on stderr.
  std::vector<std::string> clock_notes;
  DetectorInput detector_input;  // kept for the draft (file names, onset)
  // Traces, dumps and cores: their findings are in `findings` too; the traces are kept for
  // the report's waterfall.
  StateEvidence state;
};

// Error records read for the services they name (change ranking's named services): an even
// sample this large gives a share to within a few percent at a bounded cost.
inline constexpr size_t kNamedServiceSample = 2000;
// How far before the onset trace findings look: the slow requests that led into it.
inline constexpr int64_t kTraceLeadNs = 10 * 60 * kNanosPerSecond;

// Runs the whole pipeline. Bad files are reported in inputs[*].error and skipped; the call
// fails only when the bundle cannot be listed or holds no usable evidence at all.
Result<Analysis> AnalyzeBundle(const AnalyzeOptions& opts, Progress* progress);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_ANALYSIS_H_
