#include "analyze/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "analyze/conclusions.h"
#include "analyze/incident_window.h"
#include "analyze/log_streams.h"
#include "analyze/window_pass.h"
#include "base/config.h"
#include "base/parallel.h"
#include "base/zone_table.h"
#include "dumps/wait_sites.h"
#include "evidence/bundle.h"
#include "logs/registry.h"
#include "logs/user_format.h"
#include "timeline/folder_service.h"
#include "timeline/log_clock_skew.h"
#include "timeline/shared_ids.h"
#include "timeline/time_outliers.h"
#include "timeline/window_counter.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

// Windows away from the bulk named one by one per file; the rest are counted.
constexpr size_t kOutliersNamed = 5;

// Files whose name names no service, in a folder that does, when other evidence names that
// service too ("logs/billing-web/app25.log" beside a flag change to billing-web): their records
// without a service are counted as the folder's, and the second pass reads them so.
void ApplyFolderServices(const BundleInputs& b, const std::vector<Change>& changes,
                         const std::vector<Signal>& signals, std::vector<LogFilePass>& passes,
                         std::vector<std::string>* notes) {
  KnownServices known;
  for (const LogFilePass& p : passes)
    for (const std::string& s : p.sink->services) known.Add(s);
  for (const Change& c : changes) known.Add(c.service);
  for (const Signal& sg : signals) known.Add(sg.service);
  for (LogFilePass& p : passes) {
    if (!p.report.context.service.empty()) continue;
    std::string folder = FolderServiceOf(b.names[p.input], known);
    if (folder.empty()) continue;
    uint64_t given = p.sink->windows.GroupTotal("-");
    p.sink->windows.Rename("-", folder);
    p.report.context.service = folder;
    if (p.whole) {
      p.whole->path_service = folder;
      for (Event& e : p.whole->events)
        if (e.service.empty()) e.service = p.whole->path_service;
    }
    if (given)
      notes->push_back(fmt::format(
          "{}: {} records without a service read as {} (its folder, a service other evidence "
          "names)",
          b.names[p.input], given, folder));
  }
}

// The span of the records that are not strays, with the strays named per file.
struct Bulk {
  TimePoint from = kNoTime, to = kNoTime;
};
Bulk FindBulk(const WindowCounter& windows, int64_t width, BundleInputs* b,
              const std::vector<LogFilePass>& passes, std::vector<std::string>* notes) {
  std::vector<TimePoint> starts;
  std::vector<uint64_t> counts;
  for (const auto& [start, n] : windows.Totals()) {
    starts.push_back(start);
    counts.push_back(n);
  }
  Bulk bulk;
  if (starts.empty()) return bulk;
  TimeBulk tb = FindTimeBulk(starts, counts);
  bulk.from = starts[tb.begin];
  bulk.to = starts[tb.end - 1] + width;
  if (tb.outliers() == 0) return bulk;
  for (const LogFilePass& p : passes) {
    InputReport& r = b->inputs[p.input];
    size_t named = 0;
    uint64_t more = 0;
    for (const auto& [w, span] : p.sink->index) {
      TimePoint t = w * width;
      if (t >= bulk.from && t < bulk.to) continue;
      if (named++ < kOutliersNamed) {
        r.notes.push_back(fmt::format(
            "line {}: dated {}, more than a day away from the other records{}: left out of the "
            "rates and the onset",
            span.line, FormatTime(t, 0),
            span.records > 1 ? fmt::format(" ({} records in that window)", span.records) : ""));
      } else {
        more += span.records;
      }
    }
    if (more) r.notes.push_back(fmt::format("{} more records dated away from the others", more));
  }
  notes->push_back(fmt::format(
      "{} of {} log records are dated more than a day away from the bulk ({} to {}) and were left "
      "out of the rates and the onset; each file lists its own",
      tb.outliers(), tb.total, FormatTime(bulk.from, 0), FormatTime(bulk.to, 0)));
  return bulk;
}

// The events of the second pass, merged in time order.
std::vector<const Event*> MergeEvents(const std::vector<std::unique_ptr<LogFile>>& logs) {
  std::vector<const Event*> all;
  for (const auto& f : logs)
    for (const Event& e : f->events)
      if (e.time != kNoTime) all.push_back(&e);
  std::stable_sort(all.begin(), all.end(),
                   [](const Event* x, const Event* y) { return x->time < y->time; });
  return all;
}

}  // namespace

Result<Analysis> AnalyzeBundle(const AnalyzeOptions& opts, Progress* progress) {
  Analysis a;
  a.dir = opts.dir;
  std::vector<std::string> skips = opts.skip_dirs;
  skips.emplace_back(kDefaultReportDir);
  INQ_ASSIGN_OR_RETURN(std::vector<BundleFile> files, ListBundle(opts.dir, skips));

  ConfigSearch search;
  search.explicit_path = opts.config_path;
  std::error_code ec;
  if (fs::is_directory(opts.dir, ec)) search.bundle_dir = opts.dir;
  INQ_ASSIGN_OR_RETURN(Config config, LoadConfig(search));
  FormatRegistry registry;
  FieldNames fields;
  INQ_RETURN_IF_ERROR(ZoneTable::ActivateWithConfig(config.table, config.path));
  INQ_RETURN_IF_ERROR(ApplyLogsConfig(config, &registry, &fields));
  INQ_ASSIGN_OR_RETURN(WaitSiteTable wait_sites,
                       WaitSiteTable::WithConfig(config.table, config.path));
  if (!config.path.empty()) a.notes.push_back("configuration read from " + config.path);

  uint64_t total_bytes = 0;
  for (const BundleFile& f : files) total_bytes += f.size;
  if (progress) {
    // Work units: sniffing reads a head per file (1x), parsing every byte (2x), and the
    // analyses after it (1x, split over the stages) so the bar keeps moving to the end.
    progress->SetTotal(total_bytes * 4);
    progress->SetStage("detecting");
  }
  // 1. Every file by its content; records that are not logs read whole.
  BundleInputs b = DetectInputs(files, registry, fields, opts.zone, progress);
  ReadRecordInputs(&b, opts.zone, opts.threads, progress);
  const size_t n = files.size();
  for (size_t i = 0; i < n; ++i) {
    for (Change& c : b.changes[i]) a.changes.push_back(std::move(c));
    for (Signal& s : b.signals[i]) a.signals.push_back(std::move(s));
  }
  std::stable_sort(a.signals.begin(), a.signals.end(),
                   [](const Signal& x, const Signal& y) { return x.time < y.time; });

  // 2. The log passes. The first streams every record into counts, the request table and an
  // index; the second reads back the incident's windows. What the second finds about the whole
  // bundle (request ids under unknown keys, clocks to move) runs the first again, once.
  LoadOptions load;
  load.zone = opts.zone;
  load.year = opts.year;
  load.fields = &fields;
  RateOptions ro;
  ro.width_ns = opts.window_ns;
  ro.group_by = "service";
  a.window_ns = opts.window_ns;
  std::vector<LogPassRules> rules(n);
  for (LogPassRules& r : rules) {
    r.rate = ro;
    r.since = opts.since;
    r.until = opts.until;
    r.file_names = &b.names;
  }
  const std::vector<InputReport> sniffed = b.inputs;
  LogSkewReport skew;
  std::unique_ptr<ClockShifts> shifts;  // the skew's shifts, once pass 1 applies them
  RequestWindows request_windows;
  std::vector<std::string> bundle_notes;
  for (int round = 0;; ++round) {
    b.inputs = sniffed;
    auto shared = std::make_unique<RequestTable>(opts.requests_in_memory);
    for (LogPassRules& r : rules) r.requests = shared.get();
    bundle_notes.clear();
    if (progress) progress->SetStage("reading logs");
    std::vector<LogFilePass> passes =
        RunLogPass(&b, registry, load, rules, opts.threads, progress, shared.get());
    ApplyFolderServices(b, a.changes, a.signals, passes, &bundle_notes);
    WindowCounter windows(ro);
    uint64_t outside = 0;
    a.log_records = 0;
    for (LogFilePass& p : passes) {
      windows.Merge(std::move(p.sink->windows));
      outside += p.sink->outside_range;
      a.log_records += p.report.records;
      if (!p.sink->index_complete)
        b.inputs[p.input].notes.push_back(fmt::format(
            "its records' times spread over more than {} windows: the second pass read its "
            "first {} MiB only (counts cover every record)",
            kMaxIndexWindows, opts.window_budget_bytes >> 20));
      if (p.sink->change_places_dropped)
        b.inputs[p.input].notes.push_back(
            fmt::format("{} more change-like records than the {} kept were not ranked",
                        p.sink->change_places_dropped, kMaxChangePlaces));
    }
    if (outside)
      bundle_notes.push_back(
          fmt::format("{} log records outside --since/--until were left out", outside));
    Bulk bulk = FindBulk(windows, opts.window_ns, &b, passes, &bundle_notes);

    // Rates per window, overall and per service; requests per window; onset and recovery.
    if (progress) progress->SetStage("rates and onset");
    INQ_ASSIGN_OR_RETURN(a.series, windows.Finish(bulk.from, bulk.to));
    INQ_ASSIGN_OR_RETURN(request_windows,
                         CountRequests(*shared, opts.window_ns, bulk.from, bulk.to, opts.threads));
    // The table is done with: its memory goes before the second pass takes its own.
    shared.reset();
    for (LogPassRules& r : rules) r.requests = nullptr;
    a.requests = request_windows.series;
    a.onset = Onset();
    a.onset_on_requests = false;
    if (!a.requests.windows.empty()) {
      a.onset = DetectOnset(a.requests);
      a.onset_on_requests = true;
      a.onset.signal = "failed-request ratio";
    }
    if (!a.onset.found && !a.series.empty()) {
      a.onset = DetectOnset(a.series[0]);
      a.onset_on_requests = false;
    }
    if (!a.onset.found && a.log_records == 0)
      a.onset.explanation =
          "the bundle holds no log records: the onset is found from logs' error rates, and the "
          "other evidence is placed on its own times";

    // The second pass: the incident's windows, and the change-like records anywhere.
    std::vector<const std::map<int64_t, WindowSpan>*> indexes;
    for (const LogFilePass& p : passes)
      if (!p.whole) indexes.push_back(&p.sink->index);
    IncidentWindow iw =
        ChooseIncidentWindow(a.onset, a.series.empty() ? nullptr : &a.series[0], bulk.from, bulk.to,
                             opts.window_ns, indexes, opts.window_budget_bytes);
    a.window_from = iw.whole ? kNoTime : iw.from;
    a.window_to = iw.whole ? kNoTime : iw.to;
    a.window_note = iw.note;
    if (!iw.note.empty()) bundle_notes.push_back(iw.note);
    if (progress) progress->SetStage("reading the incident's records");
    std::vector<std::unique_ptr<LogFile>> logs(passes.size());
    std::vector<std::vector<HeldLines>> held(passes.size());
    std::vector<Status> errors(passes.size());
    ParallelFor(passes.size(), std::max(1, opts.threads), [&](size_t k) {
      LogFilePass& p = passes[k];
      if (p.whole) {
        logs[k] = std::move(p.whole);
        return;
      }
      WindowRequest req;
      req.width_ns = opts.window_ns;
      for (const ReadSpan& sp : iw.spans) {
        TimeSpan t{sp.from, sp.to, UINT64_MAX};
        if (sp.share < 1)
          t.max_bytes =
              static_cast<uint64_t>(sp.share * static_cast<double>(WindowBytes(
                                                   p.sink->index, opts.window_ns, sp.from, sp.to)));
        req.spans.push_back(t);
      }
      req.places = p.sink->change_places;
      req.whole_file = !p.sink->index_complete;
      if (req.whole_file) {
        // Times spread over more windows than an index holds: the file from its start, within
        // the budget (the note says so).
        for (TimeSpan& t : req.spans) t.max_bytes = opts.window_budget_bytes / req.spans.size();
      }
      Result<std::unique_ptr<LogFile>> f =
          ReadWindow(b.inputs[p.input].path, static_cast<uint32_t>(p.input), p.report.context,
                     &fields, p.sink->index, req, &held[k]);
      if (f.ok()) {
        logs[k] = std::move(*f);
      } else {
        errors[k] = f.status();
      }
    });
    for (size_t k = 0; k < passes.size(); ++k)
      if (!errors[k].ok()) return errors[k];

    // Request ids under keys named like nothing, found because other files carry them.
    if (progress) progress->SetStage("request ids and clocks");
    std::vector<std::vector<Event>*> event_sets;
    std::vector<size_t> set_input;
    for (size_t k = 0; k < passes.size(); ++k) {
      event_sets.push_back(&logs[k]->events);
      set_input.push_back(passes[k].input);
    }
    bool rerun = false;
    for (const PromotedIdKey& p : PromoteSharedIdKeys(event_sets)) {
      size_t i = set_input[p.file];
      bundle_notes.push_back(fmt::format(
          "{}: '{}' read as the request id ({:.0f}% of its values are other files' request ids; "
          "{} records)",
          b.names[i], p.key, p.share * 100, p.promoted));
      if (rules[i].promoted_id_key != p.key) {
        rules[i].promoted_id_key = p.key;
        rerun = true;
      }
    }

    // Hosts whose clocks disagree with the order their shared requests impose.
    std::vector<const Event*> read_back;
    for (const auto& f : logs)
      for (const Event& e : f->events) read_back.push_back(&e);
    if (round == 0)
      skew = EstimateLogSkew(read_back, opts.skew_threshold_ns, b.names, opts.threads);
    a.clock_notes.clear();
    for (const std::string& line : DescribeLogSkew(skew)) {
      bool unknown = line.find(": clock unknown") != std::string::npos;
      if (unknown && !opts.adjust_skew) continue;
      a.clock_notes.push_back("log clock skew: " + line);
    }
    if (opts.adjust_skew) {
      size_t moved = 0;
      for (auto& f : logs) moved += AdjustLogSkew(skew, f->events, b.names);
      bool any_skewed = std::any_of(skew.hosts.begin(), skew.hosts.end(),
                                    [](const HostClock& h) { return h.skewed; });
      if (any_skewed && !shifts) {
        shifts = std::make_unique<ClockShifts>(skew);
        for (LogPassRules& r : rules) r.shifts = shifts.get();
        rerun = true;
      }
      if (moved) a.clock_notes.push_back(fmt::format("--adjust-skew moved {} log records", moved));
    }
    if (rerun && round == 0) continue;

    // Each file's records in time order (most already are: only then is anything moved).
    if (progress) progress->SetStage("merging the incident's records");
    for (auto& f : logs) {
      auto by_time = [](const Event& x, const Event& y) { return x.time < y.time; };
      if (!std::is_sorted(f->events.begin(), f->events.end(), by_time))
        std::stable_sort(f->events.begin(), f->events.end(), by_time);
    }
    a.line_starts.clear();
    for (const LogFilePass& p : passes) {
      if (p.whole || !p.sink) continue;
      auto& starts = a.line_starts[b.inputs[p.input].relative];
      for (const auto& [w, span] : p.sink->index)
        if (span.begin != UINT64_MAX && span.line > 0) starts.emplace_back(span.line, span.begin);
      std::sort(starts.begin(), starts.end());
    }
    a.held_lines.clear();
    for (size_t k = 0; k < passes.size(); ++k)
      if (!held[k].empty()) a.held_lines[b.inputs[passes[k].input].relative] = std::move(held[k]);
    a.logs = std::move(logs);
    a.events = MergeEvents(a.logs);
    break;
  }
  a.notes.insert(a.notes.end(), bundle_notes.begin(), bundle_notes.end());
  a.notes.insert(a.notes.end(), a.clock_notes.begin(), a.clock_notes.end());
  a.inputs = std::move(b.inputs);

  bool state = std::any_of(a.inputs.begin(), a.inputs.end(), [](const InputReport& r) {
    return r.error.ok() && IsStateKind(r.kind);
  });
  if (a.log_records == 0 && a.changes.empty() && a.signals.empty() && !state) {
    // Nothing usable: each file says what it was taken for, or why it could not be read.
    std::string why;
    size_t listed = 0;
    for (const InputReport& r : a.inputs) {
      if (listed++ == 10) {
        why += fmt::format("; and {} more", a.inputs.size() - 10);
        break;
      }
      why += "; " + r.relative + ": " + (r.error.ok() ? r.reason : r.error.message());
    }
    return Status::BadInput(fmt::format(
        "{}: no log, change, alert, trace, dump or core found in {} files{}", opts.dir, n, why));
  }

  // The first error of the onset window.
  if (a.onset.found) {
    for (const Event* e : a.events) {
      if (e->time < a.onset.time) continue;
      if (e->time >= a.onset.time + opts.window_ns) break;
      if (e->level >= Level::kError) {
        a.precise_onset = e->time;
        break;
      }
    }
  }

  // 3. Conclusions.
  ConclusionInputs cin;
  cin.opts = &opts;
  cin.requests = &request_windows;
  cin.skew = &skew;
  cin.wait_sites = &wait_sites;
  cin.names = b.names;
  cin.executables = b.executables;
  cin.tracebacks = std::move(b.tracebacks);
  INQ_RETURN_IF_ERROR(DrawConclusions(std::move(cin), &a, progress));
  return a;
}

}  // namespace inquest
