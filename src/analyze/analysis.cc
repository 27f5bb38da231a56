#include "analyze/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "base/config.h"
#include "base/zone_table.h"
#include "dumps/wait_sites.h"
#include "evidence/bundle.h"
#include "logs/path_service.h"
#include "logs/registry.h"
#include "logs/user_format.h"
#include "analyze/evidence_probes.h"
#include "timeline/change_echo.h"
#include "timeline/detection_records.h"
#include "timeline/detectors/cache_stampede.h"
#include "timeline/detectors/change_events.h"
#include "timeline/detectors/clock_skew.h"
#include "timeline/detectors/detection_gap.h"
#include "timeline/detectors/exceptions.h"
#include "timeline/detectors/retry_storm.h"
#include "timeline/detectors/rollout.h"
#include "timeline/detectors/saturation.h"
#include "timeline/log_clock_skew.h"
#include "timeline/merge.h"
#include "timeline/shared_ids.h"
#include "timeline/time_outliers.h"
#include "timeline/window_counter.h"

namespace inquest {
namespace {

// Records away from the bulk named one by one per file; the rest are counted.
constexpr size_t kOutliersNamed = 5;

namespace fs = std::filesystem;

// A first line longer than this is not looked for further: the file is not a log we can read.
constexpr size_t kMaxSniffLineBytes = 16 << 20;

// The start of a file for sniffing: kSniffHeadBytes cut at a line end, or the whole first line
// when it alone is longer (one huge JSON record must not make a log "unknown").
std::string_view HeadOf(std::string_view data) {
  if (data.size() <= kSniffHeadBytes) return data;
  std::string_view head = data.substr(0, kSniffHeadBytes);
  size_t nl = head.rfind('\n');
  if (nl != std::string_view::npos) return head.substr(0, nl + 1);
  nl = data.substr(0, kMaxSniffLineBytes).find('\n');
  return nl == std::string_view::npos ? head : data.substr(0, nl + 1);
}

uint64_t CountLines(std::string_view data) {
  uint64_t n = static_cast<uint64_t>(std::count(data.begin(), data.end(), '\n'));
  return n + (!data.empty() && data.back() != '\n');
}

// "path:12" -> "relative:12" for sources built from the opened path.
std::string Relativize(const std::string& source, const std::string& path,
                       const std::string& relative) {
  if (source.starts_with(path) && source.size() > path.size() && source[path.size()] == ':')
    return relative + source.substr(path.size());
  return source;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && static_cast<size_t>(t) < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// The request id of an event: its correlation field, else a request-id-like attribute.
std::string_view RequestIdOf(const Event& e) {
  if (!e.request_id.empty()) return e.request_id;
  return FirstField(e, {"request_id", "req_id", "requestId", "x_request_id"});
}

struct RequestOutcome {
  TimePoint first = kNoTime, last = kNoTime;
  Level last_level = Level::kUnknown;
  std::vector<uint32_t> error_files;  // files that logged an error for it
  bool failed() const { return last_level >= Level::kError; }
};

// Every request id's first and last event and outcome (views into the events).
std::unordered_map<std::string_view, RequestOutcome> RequestOutcomes(
    const std::vector<const Event*>& events) {
  std::unordered_map<std::string_view, RequestOutcome> reqs;
  for (const Event* e : events) {
    if (e->time == kNoTime) continue;
    std::string_view id = RequestIdOf(*e);
    if (id.empty() || id == "-") continue;
    RequestOutcome& r = reqs[id];
    if (r.first == kNoTime || e->time < r.first) r.first = e->time;
    if (r.last == kNoTime || e->time > r.last) {
      r.last = e->time;
      r.last_level = e->level;
    } else if (e->time == r.last && e->level > r.last_level) {
      r.last_level = e->level;
    }
    if (e->level >= Level::kError &&
        std::find(r.error_files.begin(), r.error_files.end(), e->file) == r.error_files.end())
      r.error_files.push_back(e->file);
  }
  return reqs;
}

}  // namespace

Series RequestSeries(const std::vector<const Event*>& events, int64_t width_ns) {
  Series s;
  s.group = "requests";
  s.width_ns = width_ns;
  auto reqs = RequestOutcomes(events);
  if (reqs.empty()) return s;
  TimePoint lo = kNoTime, hi = kNoTime;
  for (const auto& [id, r] : reqs) {
    if (lo == kNoTime || r.first < lo) lo = r.first;
    if (hi == kNoTime || r.first > hi) hi = r.first;
  }
  int64_t first = WindowIndex(lo, width_ns), last = WindowIndex(hi, width_ns);
  if (last - first + 1 > static_cast<int64_t>(kMaxSeriesWindows)) return s;
  s.windows.resize(last - first + 1);
  for (size_t i = 0; i < s.windows.size(); ++i)
    s.windows[i].start = (first + static_cast<int64_t>(i)) * width_ns;
  for (const auto& [id, r] : reqs) {
    Window& w = s.windows[WindowIndex(r.first, width_ns) - first];
    w.total++;
    w.errors += r.failed();
  }
  return s;
}

Impact MeasureImpact(const std::vector<const Event*>& events,
                     const std::vector<std::string>& file_names, TimePoint from, TimePoint to) {
  Impact im;
  im.from = from;
  im.to = to;
  im.rule =
      "a request is a distinct request id, placed at its first event; it failed when its last "
      "event (ties: the worst) is at level error or above (an access log's 5xx is an error). "
      "Each request counts once however many services logged it.";
  auto reqs = RequestOutcomes(events);
  if (reqs.empty()) return im;
  im.known = true;
  std::map<std::string, uint64_t> per_service;
  for (const auto& [id, r] : reqs) {
    if (from != kNoTime && r.first < from) continue;
    if (to != kNoTime && r.first >= to) continue;
    im.total++;
    if (r.failed()) {
      im.failed++;
      for (uint32_t f : r.error_files)
        per_service[f < file_names.size() ? file_names[f] : std::to_string(f)]++;
    }
  }
  for (const auto& [name, n] : per_service) im.by_service.emplace_back(name, n);
  std::stable_sort(im.by_service.begin(), im.by_service.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return im;
}

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

  // 1. Detect every file by its content.
  const size_t n = files.size();
  a.inputs.resize(n);
  const std::vector<KindProbe> dedicated = DedicatedProbes();
  std::vector<std::string> executables;
  std::vector<std::optional<InputFile>> opened(n);
  {
    Arena arena;
    ParseContext ctx;
    ctx.arena = &arena;
    ctx.fields = &fields;
    ctx.time.zone = opts.zone;
    for (size_t i = 0; i < n; ++i) {
      InputReport& r = a.inputs[i];
      r.path = files[i].path;
      r.relative = files[i].relative;
      r.bytes = files[i].size;
      Result<InputFile> in = InputFile::Open(r.path);
      if (!in.ok()) {
        r.error = in.status();
        r.reason = "could not be read: " + in.status().message();
        continue;
      }
      if (!in->warning().ok()) r.notes.push_back(in->warning().message());
      std::string_view head = HeadOf(in->data());
      Detection det = registry.Detect(head, ctx);
      SniffProbes probes;
      probes.log = [&](std::string_view) {
        LogGuess g;
        if (det.format) g = {std::string(det.format->name()), det.score};
        return g;
      };
      probes.changes = [](std::string_view h) { return ProbeChanges(h); };
      probes.others = dedicated;
      Sniffed s = SniffEvidence(r.relative, head, probes);
      r.kind = s.kind;
      r.format = s.format;
      r.confidence = s.confidence;
      r.reason = s.reason;
      r.detection = s.detection;
      if (r.kind == EvidenceKind::kUnknown && LooksLikeElfProgram(head)) {
        executables.push_back(r.path);
        r.reason = "an ELF program: a candidate executable for the bundle's cores";
      }
      if (r.kind != EvidenceKind::kCore && !LooksLikeElfProgram(head))
        r.lines = CountLines(in->data());
      opened[i] = std::move(*in);
      if (progress) progress->Add(r.bytes);
    }
  }

  // 2. Ingest in parallel: logs are parsed whole; records are read into changes and signals.
  std::vector<std::string> names(n);
  for (size_t i = 0; i < n; ++i) names[i] = files[i].relative;
  std::vector<std::unique_ptr<LogFile>> logs(n);
  std::vector<std::vector<Change>> changes(n);
  std::vector<std::vector<Signal>> signals(n);
  std::vector<std::vector<Finding>> traceback_findings(n);
  int year_hint = 0;
  TimeContext tctx;
  tctx.zone = opts.zone;
  ParallelFor(n, std::max(1, opts.threads), [&](size_t i) {
    InputReport& r = a.inputs[i];
    if (!opened[i]) return;
    if (progress) progress->SetStage(r.relative);
    IssueLog issues(r.relative);
    switch (r.kind) {
      case EvidenceKind::kLog: {
        LoadOptions lo;
        lo.format = registry.Find(r.format);
        lo.zone = opts.zone;
        lo.year = opts.year;
        lo.year_hint = year_hint;
        lo.fields = &fields;
        Result<std::unique_ptr<LogFile>> lf =
            LoadLogFile(std::move(*opened[i]), static_cast<uint32_t>(i), registry, lo);
        if (!lf.ok()) {
          r.error = lf.status();
          break;
        }
        LogFile& f = **lf;
        r.records = f.stats.records;
        r.skipped = f.stats.malformed;
        r.samples = f.issues.samples();
        if (f.stats.zone_assumed)
          r.notes.push_back(fmt::format("{} records had no time zone: taken as {}",
                                        f.stats.zone_assumed,
                                        opts.zone ? opts.zone->name() : std::string("UTC")));
        if (f.stats.without_time)
          r.notes.push_back(
              fmt::format("{} records had no time and were placed by their "
                          "neighbours",
                          f.stats.without_time));
        if (f.stats.out_of_order)
          r.notes.push_back(
              fmt::format("{} records were out of time order in the file", f.stats.out_of_order));
        if (!f.stats.year_source.empty())
          r.notes.push_back(
              fmt::format("year {} taken from {}", f.stats.year_used, f.stats.year_source));
        if (!f.warning.ok() &&
            std::find(r.notes.begin(), r.notes.end(), f.warning.message()) == r.notes.end())
          r.notes.push_back(f.warning.message());
        logs[i] = std::move(*lf);
        break;
      }
      case EvidenceKind::kChanges: {
        Result<std::vector<Change>> c = ReadChanges(*opened[i], tctx, &issues);
        if (!c.ok()) {
          r.error = c.status();
          break;
        }
        for (Change& ch : *c) ch.source = Relativize(ch.source, r.path, r.relative);
        r.records = c->size();
        r.skipped = issues.count();
        r.samples = issues.samples();
        changes[i] = std::move(*c);
        break;
      }
      case EvidenceKind::kDetection: {
        signals[i] = ReadDetectionRecords(*opened[i], r.relative, r.detection, tctx, &issues);
        r.records = signals[i].size();
        r.skipped = issues.count();
        r.samples = issues.samples();
        break;
      }
      case EvidenceKind::kUnknown: {
        std::string_view data = opened[i]->data();
        if (!LooksLikeTracebackFile(HeadOf(data))) break;
        uint64_t traces = 0;
        traceback_findings[i] =
            TracebackFileFindings(data, r.relative, opened[i]->mtime_ns(), &traces);
        r.records = traces;
        r.reason = "Python tracebacks without times: read for exception signatures";
        break;
      }
      case EvidenceKind::kTrace:
      case EvidenceKind::kDump:
      case EvidenceKind::kCore:
        break;
    }
    opened[i].reset();
    if (progress) progress->Add(2 * r.bytes);
  });

  // 2a. Files whose name names no service, in a folder that does, when other evidence names
  // that service too: "logs/billing-web/app25.log" beside a flag change to billing-web.
  {
    std::vector<std::string> known;
    auto add = [&](std::string_view sv) {
      if (sv.empty()) return;
      for (const std::string& k : known)
        if (SameService(k, sv)) return;
      known.emplace_back(sv);
    };
    for (const auto& f : logs)
      if (f)
        for (size_t k = 0; k < f->events.size() && k < kServiceSampleRecords; ++k)
          add(f->events[k].service);
    for (const auto& cs : changes)
      for (const Change& c : cs) add(c.service);
    for (const auto& ss : signals)
      for (const Signal& sg : ss) add(sg.service);
    for (size_t i = 0; i < n; ++i) {
      LogFile* f = logs[i].get();
      if (!f || !f->path_service.empty()) continue;
      std::string folder = FolderServiceCandidate(names[i]);
      if (folder.empty()) continue;
      bool named = std::any_of(known.begin(), known.end(),
                               [&](const std::string& k) { return SameService(k, folder); });
      if (!named) continue;
      f->path_service = std::move(folder);
      size_t given = 0;
      for (Event& e : f->events)
        if (e.service.empty()) {
          e.service = f->path_service;
          ++given;
        }
      if (given)
        a.notes.push_back(
            fmt::format("{}: {} records without a service read as {} (its folder, a "
                        "service other evidence names)",
                        names[i], given, f->path_service));
    }
  }

  // 2b. Request ids under keys named like nothing, found because other files carry them.
  {
    std::vector<std::vector<Event>*> events;
    std::vector<size_t> index;
    for (size_t i = 0; i < n; ++i)
      if (logs[i]) {
        events.push_back(&logs[i]->events);
        index.push_back(i);
      }
    for (const PromotedIdKey& p : PromoteSharedIdKeys(events))
      a.notes.push_back(fmt::format(
          "{}: '{}' read as the request id ({:.0f}% of its values are other files' request ids; "
          "{} records)",
          names[index[p.file]], p.key, p.share * 100, p.promoted));
  }

  // 2c. Hosts whose clocks disagree with the order their shared requests impose (the records
  // of a file that names no host are its file's clock).
  LogSkewReport skew;
  {
    std::vector<const Event*> all;
    for (const auto& f : logs)
      if (f)
        for (const Event& e : f->events) all.push_back(&e);
    skew = EstimateLogSkew(all, opts.skew_threshold_ns, names);
    for (const std::string& line : DescribeLogSkew(skew)) {
      bool unknown = line.find(": clock unknown") != std::string::npos;
      if (unknown && !opts.adjust_skew) continue;
      a.clock_notes.push_back("log clock skew: " + line);
    }
    if (opts.adjust_skew) {
      size_t moved = 0;
      for (auto& f : logs) {
        if (!f) continue;
        size_t n = AdjustLogSkew(skew, f->events, names);
        if (n == 0) continue;
        moved += n;
        std::stable_sort(f->events.begin(), f->events.end(),
                         [](const Event& x, const Event& y) { return x.time < y.time; });
      }
      if (moved) a.clock_notes.push_back(fmt::format("--adjust-skew moved {} log records", moved));
    }
    a.notes.insert(a.notes.end(), a.clock_notes.begin(), a.clock_notes.end());
  }

  // 3. Merge the logs into one time order (records without a time sit at their neighbour's).
  if (progress) progress->SetStage("merging");
  {
    struct Keyed {
      TimePoint key;
      const Event* e;
    };
    std::vector<Keyed> all;
    for (size_t i = 0; i < n; ++i) {
      if (!logs[i]) continue;
      std::vector<TimePoint> keys = SortKeys(logs[i]->events);
      for (size_t k = 0; k < keys.size(); ++k) {
        if (keys[k] == kNoTime) continue;
        all.push_back({keys[k], &logs[i]->events[k]});
      }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Keyed& x, const Keyed& y) { return x.key < y.key; });
    // Records dated far from the rest are named and left out, so one stray line from last
    // year cannot stretch the windows over months (timeline/time_outliers.h).
    if (opts.since != kNoTime || opts.until != kNoTime) {
      size_t before = all.size();
      std::erase_if(all, [&](const Keyed& k) {
        return (opts.since != kNoTime && k.key < opts.since) ||
               (opts.until != kNoTime && k.key >= opts.until);
      });
      if (all.size() < before)
        a.notes.push_back(fmt::format("{} log records outside --since/--until were left out",
                                      before - all.size()));
    }
    std::vector<TimePoint> times;
    times.reserve(all.size());
    for (const Keyed& k : all) times.push_back(k.key);
    TimeBulk bulk = FindTimeBulk(times);
    a.events.reserve(bulk.end - bulk.begin);
    for (size_t k = bulk.begin; k < bulk.end; ++k) a.events.push_back(all[k].e);
    if (bulk.outliers() > 0) {
      std::vector<size_t> per_file(n, 0);
      for (size_t k = 0; k < all.size(); ++k) {
        if (bulk.Holds(k)) continue;
        const Event* e = all[k].e;
        if (e->file < n && per_file[e->file]++ < kOutliersNamed)
          a.inputs[e->file].notes.push_back(fmt::format(
              "line {}: dated {}, more than a day away from the other records: left out of "
              "the rates and the onset",
              e->line, FormatTime(all[k].key, 0)));
      }
      for (size_t i = 0; i < n; ++i)
        if (per_file[i] > kOutliersNamed)
          a.inputs[i].notes.push_back(fmt::format("{} more records dated away from the others",
                                                  per_file[i] - kOutliersNamed));
      a.notes.push_back(fmt::format(
          "{} of {} log records are dated more than a day away from the bulk ({} to {}) and "
          "were left out of the rates and the onset; each file lists its own",
          bulk.outliers(), all.size(), FormatTime(all[bulk.begin].key, 0),
          FormatTime(all[bulk.end - 1].key, 0)));
    }
  }
  for (size_t i = 0; i < n; ++i) {
    for (Change& c : changes[i]) a.changes.push_back(std::move(c));
    for (Signal& s : signals[i]) a.signals.push_back(std::move(s));
  }
  std::stable_sort(a.signals.begin(), a.signals.end(),
                   [](const Signal& x, const Signal& y) { return x.time < y.time; });
  std::vector<StateFile> state_files;
  std::vector<size_t> state_inputs;
  for (size_t i = 0; i < n; ++i) {
    const InputReport& r = a.inputs[i];
    if (r.error.ok() && (r.kind == EvidenceKind::kTrace || r.kind == EvidenceKind::kDump ||
                         r.kind == EvidenceKind::kCore)) {
      state_files.push_back({r.path, r.relative, r.kind, r.format});
      state_inputs.push_back(i);
    }
  }
  if (a.events.empty() && a.changes.empty() && a.signals.empty() && state_files.empty())
    return Status::BadInput(fmt::format(
        "{}: no log, change, alert, trace, dump or core found in {} files", opts.dir, n));

  // 4. Error rates per minute, overall and per service; onset and recovery.
  if (progress) {
    progress->Add(total_bytes / 4);
    progress->SetStage("rates and onset");
  }
  RateOptions ro;
  a.window_ns = opts.window_ns;
  ro.width_ns = opts.window_ns;
  ro.group_by = "service";
  if (!a.events.empty()) {
    INQ_ASSIGN_OR_RETURN(RateResult rates, RatesOfEvents(a.events, ro));
    a.series = std::move(rates.series);
  }
  a.requests = RequestSeries(a.events, opts.window_ns);
  if (!a.requests.windows.empty()) {
    a.onset = DetectOnset(a.requests);
    a.onset_on_requests = true;
    a.onset.signal = "failed-request ratio";
  }
  if (!a.onset.found && !a.series.empty()) {
    a.onset = DetectOnset(a.series[0]);
    a.onset_on_requests = false;
  }
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

  // 5. Detector input; change-like log events join the change records.
  DetectorInput& in = a.detector_input;
  in.events = a.events;
  in.files = names;
  in.onset = a.onset;
  in.precise_onset = a.precise_onset;
  in.signals = a.signals;
  std::vector<Change> lifted = LiftChangeEvents(in, a.onset.found ? a.onset.time : kNoTime);
  a.lifted_changes = lifted.size();
  for (Change& c : lifted) a.changes.push_back(std::move(c));
  std::stable_sort(a.changes.begin(), a.changes.end(),
                   [](const Change& x, const Change& y) { return x.time < y.time; });
  in.changes = a.changes;

  // 6. Rank the changes against the onset.
  RankOptions rank;
  rank.onset = a.onset.found ? a.onset.time : kNoTime;
  rank.onset_window_ns = opts.window_ns;
  if (a.onset.found) {
    SetErrorServices(a.series, a.onset.time, a.onset.recovery, &rank);
    // Services the error records name (a dependency its callers blame), from an even sample.
    std::vector<const Event*> errors;
    for (const Event* e : a.events)
      if (e->level >= Level::kError && e->time >= a.onset.time &&
          (a.onset.recovery == kNoTime || e->time < a.onset.recovery))
        errors.push_back(e);
    std::vector<std::string_view> sample, sample_services;
    size_t step = std::max<size_t>(1, errors.size() / kNamedServiceSample);
    for (size_t i = 0; i < errors.size(); i += step) {
      sample.push_back(errors[i]->raw.empty() ? errors[i]->message : errors[i]->raw);
      sample_services.push_back(errors[i]->service);
    }
    SetNamedServices(a.changes, sample, &rank, &sample_services);
    // The records before the onset, for which words are ordinary there.
    std::vector<std::string_view> normal;
    size_t before = 0;
    while (before < a.events.size() && a.events[before]->time < a.onset.time) ++before;
    size_t nstep = std::max<size_t>(1, before / kNamedServiceSample);
    for (size_t i = 0; i < before; i += nstep)
      normal.push_back(a.events[i]->raw.empty() ? a.events[i]->message : a.events[i]->raw);
    for (ChangeEcho& e : FindChangeEchoes(a.changes, sample, normal)) {
      rank.echo_shares.push_back(e.share);
      rank.echo_words.push_back(std::move(e.word));
    }
  }
  a.ranked = RankChanges(a.changes, rank);

  // 7. Detection: the first signal and the first alert after the onset.
  if (a.onset.found) {
    IncidentDetection d = FindDetection(in, a.onset.time);
    if (d.first_signal) a.first_signal = static_cast<int>(d.first_signal - in.signals.data());
    if (d.first_alert) a.first_alert = static_cast<int>(d.first_alert - in.signals.data());
    a.time_to_detect_ns = d.time_to_detect_ns;
  }

  // 8. Impact over the incident window.
  if (a.onset.found) {
    a.impact = MeasureImpact(a.events, names, a.onset.time, a.onset.recovery);
  }

  // 9. Contributing-factor candidates.
  if (progress) {
    progress->Add(total_bytes / 4);
    progress->SetStage("detectors");
  }
  auto add = [&](std::vector<Finding> fs) {
    for (Finding& f : fs) a.findings.push_back(std::move(f));
  };
  add(DetectCacheStampede(in));
  add(DetectRetryStorm(in));
  std::vector<Finding> sat = DetectSaturation(in);
  in.prior = sat;
  add(std::move(sat));
  add(DetectDetectionGaps(in));
  add(DetectOneStepRollout(in));
  add(DetectExceptions(in));
  add(DetectLogClockSkew(in, skew, names, opts.adjust_skew));
  for (std::vector<Finding>& fs : traceback_findings) add(std::move(fs));

  // 10. Traces, dumps and cores on the same clock.
  if (!state_files.empty()) {
    if (progress) progress->SetStage("traces, dumps and cores");
    TimePoint from = a.onset.found ? a.onset.time - kTraceLeadNs : kNoTime;
    TimePoint to = a.onset.found ? a.onset.recovery : kNoTime;
    a.state = AnalyzeStateEvidence(state_files, executables, from, to, &wait_sites, opts.zone);
    for (size_t k = 0; k < state_files.size(); ++k) {
      InputReport& r = a.inputs[state_inputs[k]];
      StateFileResult& s = a.state.files[k];
      r.records = s.records;
      r.skipped = s.skipped;
      for (std::string& note : s.notes) r.notes.push_back(std::move(note));
      if (!s.error.ok()) r.error = s.error;
    }
    add(a.state.findings);
    FuseSaturationWithDumps(&a.findings);
  }
  std::stable_sort(a.findings.begin(), a.findings.end(),
                   [](const Finding& x, const Finding& y) { return x.time < y.time; });

  // 11. One failed request rebuilt end to end: the earliest failure seen by the most files.
  if (a.onset.found) {
    std::unordered_map<std::string_view, std::set<uint32_t>> files_of;
    std::set<std::string_view> failed_ids;
    std::vector<std::string_view> order;
    for (const Event* e : a.events) {
      if (e->time < a.onset.time) continue;
      if (a.onset.recovery != kNoTime && e->time >= a.onset.recovery) break;
      std::string_view id = RequestIdOf(*e);
      if (id.empty() || id == "-") continue;
      auto [it, inserted] = files_of.try_emplace(id);
      if (inserted) order.push_back(id);
      it->second.insert(e->file);
      if (e->level >= Level::kError) failed_ids.insert(id);
    }
    std::string_view best;
    size_t best_files = 1;
    for (std::string_view id : order) {
      size_t nfiles = files_of[id].size();
      if (nfiles <= best_files || !failed_ids.count(id)) continue;
      best = id;
      best_files = nfiles;
    }
    if (!best.empty()) a.example = MatchRequest(a.events, best);
  }

  for (size_t i = 0; i < n; ++i)
    if (logs[i]) a.logs.push_back(std::move(logs[i]));
  if (progress) progress->Finish();
  return a;
}

}  // namespace inquest
