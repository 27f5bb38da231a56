#include "timeline/rate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <thread>

#include "base/input_file.h"
#include "logs/path_service.h"
#include "timeline/folder_service.h"
#include "timeline/log_set.h"
#include "timeline/record_scan.h"
#include "timeline/time_outliers.h"
#include "timeline/window_counter.h"

namespace inquest {
namespace {

// Attribute keys that carry a duration, and the unit of a bare number under each.
struct DurationKey {
  std::string_view key;
  double bare_unit_ms;
};
constexpr DurationKey kDurationKeys[] = {
    {"duration_ms", 1},
    {"latency_ms", 1},
    {"elapsed_ms", 1},
    {"took_ms", 1},
    {"time_ms", 1},
    {"response_time_ms", 1},
    {"request_time_ms", 1},
    {"waited_ms", 1},
    {"duration", 1},  // bare numbers: ms, the common choice of JSON loggers
    {"latency", 1},
    {"elapsed", 1},
    {"took", 1},
    {"time_taken", 1},  // IIS time-taken is milliseconds
    {"response_time", 1},
    {"after", 1},  // "timeout after=4019ms"
    {"duration_s", 1000},
    {"elapsed_s", 1000},
    {"latency_s", 1000},
    {"duration_us", 0.001},
    {"duration_ns", 0.000001},
    {"request_time", 1000},  // nginx $request_time is seconds
    {"upstream_response_time", 1000},
    {"upstream_time", 1000},
    {"rt", 1000},  // nginx log_format convention rt=$request_time
    {"urt", 1000},
};

// kDurationKeys bucketed by key length so that most attributes are rejected by one compare.
constexpr size_t kMaxKeyLen = 32;
struct KeyTable {
  std::array<std::array<int8_t, 4>, kMaxKeyLen> by_len{};
  KeyTable() {
    for (auto& row : by_len) row.fill(-1);
    for (size_t i = 0; i < std::size(kDurationKeys); ++i) {
      auto& row = by_len[kDurationKeys[i].key.size()];
      for (auto& slot : row) {
        if (slot < 0) {
          slot = static_cast<int8_t>(i);
          break;
        }
      }
    }
  }
};
const KeyTable& Keys() {
  static const KeyTable t;
  return t;
}

// A range's counter, merged into the file's after the range's thread ends.
class CounterSink : public RecordSink {
 public:
  explicit CounterSink(const RateOptions& opts) : counter(opts) {}
  void Add(const Event& e) override { counter.Add(e); }
  WindowCounter counter;
};

ScanSinks CounterSinks(const RateOptions& opts, WindowCounter* total) {
  ScanSinks sinks;
  sinks.make = [&opts] { return std::make_unique<CounterSink>(opts); };
  sinks.merge = [total](std::unique_ptr<RecordSink> s, uint64_t) {
    total->Merge(std::move(static_cast<CounterSink&>(*s).counter));
  };
  return sinks;
}

// The counters of a rate: one for every file, except that by service, a file in a folder that
// may name a service (logs/path_service.h) is counted apart while it is read; when its path
// names no service and some of its records name none either, it stays apart until every file
// is read, and those records then count as the folder's when the other files' records name
// that service (timeline/folder_service.h, the rule `analyze` applies).
class FileCounters {
 public:
  explicit FileCounters(const RateOptions& opts)
      : opts_(opts), by_service_(opts.group_by == "service"), total_(opts) {}

  // The counter for the file at `path`, about to be scanned.
  WindowCounter* For(const std::string& path) {
    if (!by_service_ || FolderServiceCandidate(path).empty()) return &total_;
    pending_.push_back({0, WindowCounter(opts_)});
    open_ = true;
    return &pending_.back().counter;
  }
  // The file's scan failed and it is left out.
  void Drop() {
    if (open_) pending_.pop_back();
    open_ = false;
  }
  // The file's scan ended: it is files[report].
  void Done(size_t report, const RateFileReport& r) {
    if (!open_) return;
    open_ = false;
    Pending& p = pending_.back();
    p.report = report;
    // Its path named a service after all, or every record named one: nothing to decide.
    if (!r.service.empty() || p.counter.GroupTotal("-") == 0) {
      for (const std::string& g : p.counter.GroupNames()) known_.Add(g);
      total_.Merge(std::move(p.counter));
      pending_.pop_back();
    }
  }
  // Decides the folders' services, merges the files counted apart and says what was decided.
  std::vector<std::string> Merge(std::vector<RateFileReport>* files) {
    std::vector<std::string> notes;
    for (const std::string& g : total_.GroupNames()) known_.Add(g);
    for (const Pending& p : pending_)
      for (const std::string& g : p.counter.GroupNames()) known_.Add(g);
    for (Pending& p : pending_) {
      RateFileReport& r = (*files)[p.report];
      std::string folder = FolderServiceOf(r.path, known_);
      if (!folder.empty()) {
        notes.push_back(fmt::format(
            "{}: {} records without a service counted as {} (its folder, a service other "
            "files' records name)",
            r.path, p.counter.GroupTotal("-"), folder));
        p.counter.Rename("-", folder);
        r.service = folder;
      }
      total_.Merge(std::move(p.counter));
    }
    pending_.clear();
    return notes;
  }
  WindowCounter& total() { return total_; }

 private:
  struct Pending {
    size_t report;
    WindowCounter counter;
  };
  const RateOptions& opts_;
  bool by_service_;
  WindowCounter total_;
  std::vector<Pending> pending_;
  bool open_ = false;
  KnownServices known_;
};

Result<RateResult> Finish(WindowCounter& counter, std::vector<RateFileReport> files) {
  RateResult r;
  // Records dated far from the others (a stray line from last year) are left out of the
  // windows and said, so that one of them cannot stretch the series over months.
  std::vector<TimePoint> starts;
  std::vector<uint64_t> counts;
  for (const auto& [start, n] : counter.Totals()) {
    starts.push_back(start);
    counts.push_back(n);
  }
  TimePoint from = kNoTime, to = kNoTime;
  if (!starts.empty()) {
    TimeBulk bulk = FindTimeBulk(starts, counts);
    if (bulk.outliers() > 0) {
      from = starts[bulk.begin];
      to = starts[bulk.end - 1] + 1;
      r.left_out = bulk.outliers();
      r.notes.push_back(fmt::format(
          "{} of {} records are dated more than a day away from the others ({} to {}) and were "
          "left out of the windows; --since/--until choose another span",
          bulk.outliers(), bulk.total, FormatTime(from, 0), FormatTime(starts[bulk.end - 1], 0)));
    }
  }
  INQ_ASSIGN_OR_RETURN(r.series, counter.Finish(from, to));
  r.files = std::move(files);
  r.counted = counter.counted();
  r.filtered = counter.filtered();
  r.untimed = counter.untimed();
  return r;
}

}  // namespace

std::unique_ptr<KeyIndex> RateAttributes(const RateOptions& opts) {
  if (opts.group_by == kExceptionGroupBy) return nullptr;
  auto keys = std::make_unique<KeyIndex>();
  for (const DurationKey& k : kDurationKeys) keys->Add(k.key);
  if (!opts.group_by.empty()) keys->Add(opts.group_by);
  for (const WhereClause& w : opts.filter.where) keys->Add(w.field);
  return keys;
}

bool ParseDurationMs(std::string_view v, double bare_unit_ms, double* ms) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '"')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '"')) v.remove_suffix(1);
  if (v.empty()) return false;
  double total = 0;
  size_t i = 0;
  int segments = 0;
  while (i < v.size()) {
    double num = 0;
    bool digits = false;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      num = num * 10 + (v[i++] - '0');
      digits = true;
    }
    if (i < v.size() && v[i] == '.') {
      double scale = 0.1;
      for (++i; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i, scale /= 10) {
        num += (v[i] - '0') * scale;
        digits = true;
      }
    }
    if (!digits) return false;
    size_t u = i;
    while (i < v.size() && !(v[i] >= '0' && v[i] <= '9') && v[i] != '.') ++i;
    std::string_view unit = v.substr(u, i - u);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    double mult;
    if (unit.empty()) {
      if (segments > 0) return false;
      mult = bare_unit_ms;
    } else if (unit == "ms") {
      mult = 1;
    } else if (unit == "s" || unit == "sec" || unit == "secs") {
      mult = 1000;
    } else if (unit == "us" || unit == "µs") {
      mult = 0.001;
    } else if (unit == "ns") {
      mult = 0.000001;
    } else if (unit == "m" || unit == "min") {
      mult = 60'000;
    } else if (unit == "h") {
      mult = 3'600'000;
    } else {
      return false;
    }
    total += num * mult;
    ++segments;
  }
  *ms = total;
  return true;
}

bool EventDurationMs(const Event& e, double* ms) {
  const KeyTable& t = Keys();
  for (const Attr& a : e.attrs) {
    if (a.key.size() >= kMaxKeyLen) continue;
    for (int8_t k : t.by_len[a.key.size()]) {
      if (k < 0) break;
      const DurationKey& dk = kDurationKeys[k];
      if (memcmp(dk.key.data(), a.key.data(), a.key.size()) != 0) continue;
      std::string_view v = a.value;
      // "0.004, 0.002" (nginx, one per upstream tried): the first upstream's time.
      if (size_t comma = v.find(','); comma != std::string_view::npos) v = v.substr(0, comma);
      if (ParseDurationMs(v, dk.bare_unit_ms, ms)) return true;
    }
  }
  return false;
}

Result<RateResult> ComputeRates(const std::vector<std::string>& paths,
                                const FormatRegistry& registry, const LoadOptions& load,
                                const RateOptions& opts, int threads) {
  std::vector<InputPath> in;
  for (const std::string& p : paths) in.push_back({p, false});
  return ComputeRates(in, registry, load, opts, threads);
}

Result<RateResult> ComputeRates(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                                const LoadOptions& all_attributes, const RateOptions& opts,
                                int threads) {
  std::unique_ptr<KeyIndex> wanted = RateAttributes(opts);
  LoadOptions load = all_attributes;
  load.attributes = wanted.get();
  FileCounters counters(opts);
  std::vector<RateFileReport> files;
  std::vector<std::string> skipped;
  for (size_t i = 0; i < paths.size(); ++i) {
    RateFileReport report;
    report.path = paths[i].path;
    uint32_t index = static_cast<uint32_t>(files.size());
    WindowCounter* counter = counters.For(report.path);
    Status st = ScanLogFile(report.path, index, registry, load, threads,
                            CounterSinks(opts, counter), &report);
    if (!st.ok()) {
      // A file found in a folder that is not a log (change records, notes) is left out; the
      // detection happens before any event is counted.
      if (paths[i].from_dir && st.code() == StatusCode::kBadInput && report.records == 0) {
        skipped.push_back(st.ToString());
        counters.Drop();
        continue;
      }
      return st;
    }
    files.push_back(std::move(report));
    counters.Done(files.size() - 1, files.back());
  }
  std::vector<std::string> notes = counters.Merge(&files);
  Result<RateResult> r = Finish(counters.total(), std::move(files));
  if (r.ok()) {
    r->skipped = std::move(skipped);
    r->notes.insert(r->notes.begin(), notes.begin(), notes.end());
  }
  return r;
}

Result<RateResult> ComputeRates(std::vector<InputFile> inputs, const FormatRegistry& registry,
                                const LoadOptions& all_attributes, const RateOptions& opts,
                                int threads) {
  std::unique_ptr<KeyIndex> wanted = RateAttributes(opts);
  LoadOptions load = all_attributes;
  load.attributes = wanted.get();
  FileCounters counters(opts);
  std::vector<RateFileReport> files;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RateFileReport report;
    report.path = inputs[i].path();
    WindowCounter* counter = counters.For(report.path);
    INQ_RETURN_IF_ERROR(ScanLogBytes(inputs[i].data(), inputs[i].path(), inputs[i].mtime_ns(),
                                     static_cast<uint32_t>(i), registry, load, threads,
                                     CounterSinks(opts, counter), &report));
    if (report.warning.ok()) report.warning = inputs[i].warning();
    files.push_back(std::move(report));
    counters.Done(files.size() - 1, files.back());
  }
  std::vector<std::string> notes = counters.Merge(&files);
  Result<RateResult> r = Finish(counters.total(), std::move(files));
  if (r.ok()) r->notes.insert(r->notes.begin(), notes.begin(), notes.end());
  return r;
}

Result<RateResult> RatesOfEvents(std::span<const Event* const> events, const RateOptions& opts) {
  WindowCounter counter(opts);
  for (const Event* e : events) counter.Add(*e);
  return Finish(counter, {});
}

}  // namespace inquest
