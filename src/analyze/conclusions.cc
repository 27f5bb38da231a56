#include "analyze/conclusions.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <memory>

#include "analyze/log_pass.h"
#include "base/parallel.h"
#include "timeline/change_echo.h"
#include "timeline/detectors/cache_stampede.h"
#include "timeline/detectors/change_events.h"
#include "timeline/detectors/clock_skew.h"
#include "timeline/detectors/detection_gap.h"
#include "timeline/detectors/exceptions.h"
#include "timeline/detectors/retry_storm.h"
#include "timeline/detectors/rollout.h"
#include "timeline/detectors/saturation.h"

namespace inquest {

Status DrawConclusions(ConclusionInputs cin, Analysis* a, Progress* progress) {
  // 5. Detector input; change-like log events join the change records.
  DetectorInput& in = a->detector_input;
  in.events = a->events;
  in.files = cin.names;
  in.onset = a->onset;
  in.precise_onset = a->precise_onset;
  in.signals = a->signals;
  std::vector<Change> lifted = LiftChangeEvents(in, a->onset.found ? a->onset.time : kNoTime);
  a->lifted_changes = lifted.size();
  for (Change& c : lifted) a->changes.push_back(std::move(c));
  std::stable_sort(a->changes.begin(), a->changes.end(),
                   [](const Change& x, const Change& y) { return x.time < y.time; });
  in.changes = a->changes;

  // 6. Rank the changes against the onset.
  RankOptions rank;
  rank.onset = a->onset.found ? a->onset.time : kNoTime;
  rank.onset_window_ns = cin.opts->window_ns;
  rank.first_error = a->precise_onset;
  if (a->onset.found) {
    SetErrorServices(a->series, a->onset.time, a->onset.recovery, &rank);
    // Services the error records name (a dependency its callers blame), from an even sample.
    std::vector<const Event*> errors;
    for (const Event* e : a->events)
      if (e->level >= Level::kError && e->time >= a->onset.time &&
          (a->onset.recovery == kNoTime || e->time < a->onset.recovery))
        errors.push_back(e);
    std::vector<std::string_view> sample, sample_services;
    size_t step = std::max<size_t>(1, errors.size() / kNamedServiceSample);
    for (size_t i = 0; i < errors.size(); i += step) {
      sample.push_back(errors[i]->raw.empty() ? errors[i]->message : errors[i]->raw);
      sample_services.push_back(errors[i]->service);
    }
    SetNamedServices(a->changes, sample, &rank, &sample_services);
    // The records before the onset, for which words are ordinary there.
    std::vector<std::string_view> normal;
    size_t before = 0;
    while (before < a->events.size() && a->events[before]->time < a->onset.time) ++before;
    size_t nstep = std::max<size_t>(1, before / kNamedServiceSample);
    for (size_t i = 0; i < before; i += nstep)
      normal.push_back(a->events[i]->raw.empty() ? a->events[i]->message : a->events[i]->raw);
    for (ChangeEcho& e : FindChangeEchoes(a->changes, sample, normal)) {
      rank.echo_shares.push_back(e.share);
      rank.echo_words.push_back(std::move(e.word));
    }
  }
  a->ranked = RankChanges(a->changes, rank);

  // 7. Detection: the first signal and the first alert after the onset.
  if (a->onset.found) {
    IncidentDetection d = FindDetection(in, a->onset.time);
    if (d.first_signal) a->first_signal = static_cast<int>(d.first_signal - in.signals.data());
    if (d.first_alert) a->first_alert = static_cast<int>(d.first_alert - in.signals.data());
    a->time_to_detect_ns = d.time_to_detect_ns;
  }

  // 8. Impact over the incident window.
  if (a->onset.found) {
    a->impact = ImpactOver(*cin.requests, cin.names, a->onset.time, a->onset.recovery);
  }

  // 9. Contributing-factor candidates.
  if (progress) {
    progress->SetStage("detectors");
  }
  auto add = [&](std::vector<Finding> fs) {
    for (Finding& f : fs) a->findings.push_back(std::move(f));
  };
  // The detectors stream over the window's records each on its own (they only read them),
  // side by side; their findings join in this order whatever finished first. The detection
  // gaps need saturation's findings.
  const DetectorInput& cin_in = in;
  std::vector<std::unique_ptr<StreamDetector>> detectors;
  detectors.push_back(std::make_unique<CacheStampedeDetector>(cin_in));
  detectors.push_back(std::make_unique<RetryStormDetector>(cin_in));
  detectors.push_back(std::make_unique<SaturationDetector>(cin_in));
  constexpr size_t kSaturation = 2;
  detectors.push_back(std::make_unique<ExceptionsDetector>(cin_in));
  detectors.push_back(
      std::make_unique<LogClockSkewDetector>(cin_in, *cin.skew, cin.names, cin.opts->adjust_skew));
  std::vector<std::vector<Finding>> found(detectors.size());
  ParallelFor(detectors.size(), std::max(1, cin.opts->threads),
              [&](size_t i) { found[i] = RunDetector(*detectors[i], in.events); });
  in.prior = found[kSaturation];
  std::vector<Finding> gaps = DetectDetectionGaps(in);
  std::vector<Finding> rollouts = DetectOneStepRollout(in);
  for (size_t i = 0; i <= kSaturation; ++i) add(std::move(found[i]));
  add(std::move(gaps));
  add(std::move(rollouts));
  for (size_t i = kSaturation + 1; i < found.size(); ++i) add(std::move(found[i]));
  for (std::vector<Finding>& fs : cin.tracebacks) add(std::move(fs));

  // 10. Traces, dumps and cores on the same clock.
  std::vector<StateFile> state_files;
  std::vector<size_t> state_inputs;
  for (size_t i = 0; i < a->inputs.size(); ++i) {
    const InputReport& r = a->inputs[i];
    if (r.error.ok() && IsStateKind(r.kind)) {
      state_files.push_back({r.path, r.relative, r.kind, r.format, r.captured_at});
      state_inputs.push_back(i);
    }
  }
  if (!state_files.empty()) {
    if (progress) progress->SetStage("traces, dumps and cores");
    TimePoint from = a->onset.found ? a->onset.time - kTraceLeadNs : kNoTime;
    TimePoint to = a->onset.found ? a->onset.recovery : kNoTime;
    a->state = AnalyzeStateEvidence(state_files, cin.executables, from, to, cin.wait_sites,
                                    cin.opts->zone);
    for (size_t k = 0; k < state_files.size(); ++k) {
      InputReport& r = a->inputs[state_inputs[k]];
      StateFileResult& s = a->state.files[k];
      r.records = s.records;
      r.skipped = s.skipped;
      for (std::string& note : s.notes) r.notes.push_back(std::move(note));
      if (!s.error.ok()) r.error = s.error;
    }
    add(a->state.findings);
    FuseSaturationWithDumps(&a->findings);
  }
  std::stable_sort(a->findings.begin(), a->findings.end(),
                   [](const Finding& x, const Finding& y) { return x.time < y.time; });

  // 11. One failed request rebuilt end to end: the earliest failure seen by the most files.
  if (a->onset.found) {
    // Per request id: the distinct files it appears in (the first few), and whether it failed.
    constexpr size_t kFiles = 8;  // more files than this rank the same
    struct Seen {
      uint32_t files[kFiles];
      uint8_t n = 0;
      bool failed = false;
    };
    absl::flat_hash_map<std::string_view, Seen> seen;
    std::vector<std::string_view> order;
    for (const Event* e : a->events) {
      if (e->time < a->onset.time) continue;
      if (a->onset.recovery != kNoTime && e->time >= a->onset.recovery) break;
      std::string_view id = RequestIdOf(*e);
      if (id.empty()) continue;
      auto [it, inserted] = seen.try_emplace(id);
      Seen& x = it->second;
      if (inserted) order.push_back(id);
      if (x.n < kFiles && std::find(x.files, x.files + x.n, e->file) == x.files + x.n)
        x.files[x.n++] = e->file;
      x.failed |= e->level >= Level::kError;
    }
    std::string_view best;
    size_t best_files = 1;
    for (std::string_view id : order) {
      const Seen& x = seen[id];
      if (x.n <= best_files || !x.failed) continue;
      best = id;
      best_files = x.n;
    }
    if (!best.empty()) a->example = MatchRequest(a->events, best);
  }

  return Status::Ok();
}

}  // namespace inquest
