// Counting events in fixed windows: totals, errors, warnings, latency, grouped by a field.
// Works incrementally (Add one event at a time) so it can stream over files of any size and be
// merged across threads.
#ifndef INQUEST_TIMELINE_RATE_H_
#define INQUEST_TIMELINE_RATE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "logs/event.h"
#include "logs/key_index.h"
#include "logs/log_file.h"
#include "timeline/event_filter.h"
#include "timeline/latency_histogram.h"
#include "timeline/record_scan.h"

namespace inquest {

struct Window {
  TimePoint start = 0;
  uint64_t total = 0;
  uint64_t errors = 0;               // level >= error (an access log's 5xx is an error)
  uint64_t warnings = 0;             // level == warn (4xx)
  std::vector<double> latencies_ms;  // durations seen, for percentiles (bounded: reservoir)
  double error_ratio() const { return total ? static_cast<double>(errors) / total : 0; }

  // Every duration seen in the window (latencies_ms is only a sample of at most
  // kMaxLatencySamples); percentiles come from here, within the histogram's 3.1%.
  LatencyHistogram latency;
  double LatencyPercentile(double q) const { return latency.Percentile(q); }
};

// Durations kept per window in Window::latencies_ms (a uniform reservoir sample), for callers
// that want raw values; enough to eyeball a distribution, small enough for 10^5 windows.
inline constexpr size_t kMaxLatencySamples = 32;

struct Series {
  std::string group;  // the --group-by value, or "" for all
  int64_t width_ns = 60 * kNanosPerSecond;
  std::vector<Window> windows;  // contiguous from the first to the last event, empty ones kept
};

// A duration in milliseconds from an event's attributes (duration_ms, latency, elapsed,
// request_time, took, time_taken, ...); false if none.
bool EventDurationMs(const Event& e, double* ms);

// A duration value as written in logs: "4019ms", "1.5s", "250us", "2m", or a bare number in
// `bare_unit_ms` milliseconds per unit (1 for *_ms keys, 1000 for nginx's request_time).
// False for anything else (including "15d", "-" and text).
bool ParseDurationMs(std::string_view value, double bare_unit_ms, double* ms);

// The group_by that groups records by the signature of the stack trace they carry.
inline constexpr std::string_view kExceptionGroupBy = "exception";

// How `rate` counts: window width, grouping, which events.
struct RateOptions {
  int64_t width_ns = 60 * kNanosPerSecond;
  // "service", "host", "level" or any attribute; kExceptionGroupBy for one series per
  // stack-trace signature; "" for no grouping.
  std::string group_by;
  EventFilter filter;
};

// The attributes a rate reads (LoadOptions::attributes): the duration keys, the group_by field
// and the filter's fields. Null (all) for kExceptionGroupBy, whose traces may be in any
// attribute.
std::unique_ptr<KeyIndex> RateAttributes(const RateOptions& opts);

// Groups beyond this many distinct values are counted together as "(other)": a --group-by on
// a field such as a user id must not grow memory without bound, and nobody reads 200 series.
inline constexpr size_t kMaxGroups = 200;
// Longest series produced (about 70 days of 1m windows); a wider span asks for a larger --by.
inline constexpr size_t kMaxSeriesWindows = 100'000;
// Latency histograms kept at most (2 KB each: 80 MB), beyond which windows of further groups
// get no percentiles; keeps `rate --group-by` under the streaming memory budget.
inline constexpr size_t kMaxLatencyHistograms = 40'000;

// What was read from one file by ComputeRates.
using RateFileReport = ScanReport;

struct RateResult {
  // The totals first (group ""), then one series per group by descending event count
  // ("(other)" last). All series cover the same windows.
  std::vector<Series> series;
  std::vector<RateFileReport> files;
  uint64_t counted = 0;              // events that passed the filter and had a time
  uint64_t filtered = 0;             // events the filter dropped
  uint64_t untimed = 0;              // events with no time at all (not counted)
  std::vector<std::string> skipped;  // files from folders that are not logs, with the reason
  uint64_t left_out = 0;             // records dated away from the bulk (time_outliers.h)
  std::vector<std::string> notes;    // what was left out and why
};

struct InputPath;  // timeline/log_set.h

// Streams every file (never holding its events): plain files are mapped and parsed on
// `threads` threads over ranges split at record boundaries; compressed files are decompressed
// in chunks. Memory is bounded by the number of windows and groups, not by the input.
Result<RateResult> ComputeRates(const std::vector<std::string>& paths,
                                const FormatRegistry& registry, const LoadOptions& load,
                                const RateOptions& opts, int threads = 2);
// The same, leaving out files found in folders (InputPath::from_dir) that no format matches.
Result<RateResult> ComputeRates(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                                const LoadOptions& load, const RateOptions& opts, int threads = 2);
// The same over bytes in memory (tests).
Result<RateResult> ComputeRates(std::vector<InputFile> inputs, const FormatRegistry& registry,
                                const LoadOptions& load, const RateOptions& opts, int threads = 2);
// The same over events already loaded.
Result<RateResult> RatesOfEvents(std::span<const Event* const> events, const RateOptions& opts);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RATE_H_
