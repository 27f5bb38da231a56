#include "timeline/detectors/retry_storm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "base/strings.h"

namespace inquest {
namespace {

bool SaysRetry(const Event& e) {
  static const WordSet kWords({"retry", "retrying", "retried"});
  return MessageHasAny(e, kWords);
}

int64_t AttemptOf(const Event& e) {
  std::string_view v = FirstField(e, {"attempt", "retry", "retries", "retry_count", "try"});
  std::optional<int64_t> n = ParseInt(v);
  return n ? *n : 0;
}

}  // namespace

bool IsRetry(const Event& e) { return SaysRetry(e) || AttemptOf(e) >= 2; }

double CoefficientOfVariation(const std::vector<double>& xs) {
  if (xs.size() < 2) return 0;
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= xs.size();
  if (mean == 0) return 0;
  double var = 0;
  for (double x : xs) var += (x - mean) * (x - mean);
  var /= xs.size() - 1;
  return std::sqrt(var) / mean;
}

void RetryStormDetector::Observe(const Event& e) {
  if (e.time == kNoTime) return;
  if (span_first_ == kNoTime) span_first_ = e.time;
  span_last_ = e.time;
  if (!IsRetry(e)) return;
  std::string service = ServiceOf(in_, e);
  auto it = by_service_.find(service);
  if (it == by_service_.end()) {
    if (by_service_.size() >= kMaxDetectorKeys) {
      ++untracked_;
      return;
    }
    it = by_service_.emplace(std::move(service), Service{}).first;
  }
  Service& s = it->second;
  ++s.retries;
  Window& w = s.windows[(e.time - span_first_) / kRetryWindowNs];
  ++w.count;
  if (w.first == kNoTime) w.first = e.time;
  w.last = e.time;
  if (w.records.size() < kMaxEvidencePerFinding) w.records.push_back(&e);
  // Only the retry decisions themselves time the schedule: a line that says "retry" where
  // the request has them, else the attempt-numbered lines.
  std::string_view rid = e.request_id.empty() ? FieldValue(e, "request_id") : e.request_id;
  bool says = SaysRetry(e);
  s.any_says_retry |= says;
  if (!rid.empty()) {
    auto r = s.requests.find(rid);
    if (r == s.requests.end() && s.requests.size() >= kMaxDetectorKeys)
      ++s.untracked_requests;
    else {
      Request& req = r == s.requests.end() ? s.requests[rid] : r->second;
      ++req.count;
      if (req.attempts.size() < kMaxTimedAttempts) req.attempts.push_back({&e, says, AttemptOf(e)});
    }
  }
  double ms;
  if (FieldMs(FirstField(e, {"backoff_ms", "delay_ms", "retry_in", "backoff", "delay",
                             "retry_after", "sleep_ms"}),
              &ms)) {
    if (s.declared == 0) s.declared_ms = ms;
    s.declared_all_same &= ms == s.declared_ms;
    ++s.declared;
  }
}

std::vector<Finding> RetryStormDetector::Finish() {
  std::vector<Finding> out;
  if (span_first_ == kNoTime) return out;
  int64_t windows = (span_last_ - span_first_) / kRetryWindowNs + 1;
  std::vector<bool> receiver_only;  // parallel to out
  for (auto& [service, s] : by_service_) {
    if (s.retries < kRetryStormMinRetries) continue;
    std::vector<size_t> counts;
    for (const auto& [w, win] : s.windows) counts.push_back(win.count);
    counts.resize(std::max<size_t>(counts.size(), static_cast<size_t>(windows)), 0);
    std::sort(counts.begin(), counts.end());
    double usual = static_cast<double>(counts[counts.size() / 2]);
    size_t worst = counts.back();
    if (worst < kRetryStormMinRetries || worst < kRetryStormMinMultiplier * std::max(usual, 1.0))
      continue;

    // Intervals between consecutive retries of one request: its lines that say "retry" when
    // it has any, else the first line of each attempt number.
    std::vector<double> intervals_ms;
    for (auto& [rid, req] : s.requests) {
      std::vector<TimePoint> times;
      bool has_says = false;
      for (const Attempt& a : req.attempts) has_says |= a.says_retry;
      std::set<int64_t> seen;
      for (const Attempt& a : req.attempts)
        if (has_says ? a.says_retry : seen.insert(a.attempt).second) times.push_back(a.event->time);
      for (size_t i = 1; i < times.size(); ++i) {
        int64_t d = times[i] - times[i - 1];
        if (d > 0 && d <= kMaxRetryIntervalNs) intervals_ms.push_back(d / 1e6);
      }
    }
    double cv = CoefficientOfVariation(intervals_ms);
    bool fixed_declared = s.declared > 0 && s.declared_all_same;
    bool measured = intervals_ms.size() >= kMinRetryIntervals;
    bool no_jitter = (measured && cv < kNoJitterMaxCv) || (!measured && fixed_declared);
    double median_ms = 0;
    if (!intervals_ms.empty()) {
      std::vector<double> sorted = intervals_ms;
      std::sort(sorted.begin(), sorted.end());
      median_ms = sorted[sorted.size() / 2];
    }

    // The storm's span: the windows with at least a fifth of the worst window's retries.
    TimePoint first = kNoTime, last = kNoTime;
    for (const auto& [w, win] : s.windows) {
      if (win.count * 5 < worst) continue;
      if (first == kNoTime) first = win.first;
      last = win.last;
    }

    Finding f = NewFinding("retry-storm", no_jitter ? Severity::kError : Severity::kWarning,
                           service, no_jitter ? "no jitter" : "", first, last);
    std::string jitter;
    if (measured)
      jitter = fmt::format("retry intervals {} at a median {:.0f} ms (spread {:.1f}%)",
                           no_jitter ? "fixed" : "vary", median_ms, cv * 100);
    else if (fixed_declared)
      jitter = fmt::format("every retry waits the same declared {:.0f} ms", s.declared_ms);
    f.title = fmt::format(
        "Retry storm: {} {} {} times in {}-{}, up to {} a minute (usually "
        "{:.0f}){}{}",
        service, s.any_says_retry ? "retried" : "logged repeated attempts", s.retries,
        FormatClock(first, 0), FormatClock(last, 0), worst, usual, jitter.empty() ? "" : "; ",
        jitter);
    if (no_jitter) f.title += ": no jitter";
    f.confidence =
        std::min(1.0, 0.5 + (no_jitter ? 0.3 : 0.0) +
                          0.2 * std::min(1.0, worst / (4 * kRetryStormMinRetries * 1.0)));
    f.explanation = fmt::format(
        "{} retries in the worst minute against a usual {:.0f}: every retry is extra load on a "
        "dependency that is already failing. ",
        worst, usual);
    if (measured)
      f.explanation += fmt::format(
          "{} intervals between attempts of the same request have a coefficient of variation "
          "of {:.3f} (fixed below {:.2f}){}",
          intervals_ms.size(), cv, kNoJitterMaxCv,
          no_jitter ? ": all clients retry in lockstep, so the retries arrive in waves. The logs "
                      "cannot show whether a circuit breaker exists; none opened."
                    : ".");
    // Evidence: the first retries of one request that retried most, then the storm's first.
    const Request* longest = nullptr;
    for (const auto& [rid, req] : s.requests)
      if (!longest || req.count > longest->count) longest = &req;
    std::set<const Event*> picked;
    if (longest)
      for (const Attempt& a : longest->attempts) {
        if (picked.size() >= kMaxEvidencePerFinding) break;
        picked.insert(a.event);
      }
    for (const auto& [w, win] : s.windows)
      for (const Event* e : win.records) {
        if (picked.size() >= kMaxEvidencePerFinding) break;
        if (e->time >= first) picked.insert(e);
      }
    std::vector<const Event*> ev(picked.begin(), picked.end());
    std::sort(ev.begin(), ev.end(), [](const Event* a, const Event* b) {
      return std::tie(a->time, a->file, a->line) < std::tie(b->time, b->file, b->line);
    });
    for (const Event* e : ev) f.evidence.push_back(EvidenceFor(in_, *e));
    f.explanation +=
        s.any_says_retry ? "" : " (attempt numbers only: the retrying client is elsewhere)";
    if (s.untracked_requests > 0)
      f.explanation += fmt::format(
          " Requests past the first {} ({} retries) were counted but not "
          "timed.",
          kMaxDetectorKeys, s.untracked_requests);
    if (untracked_ > 0)
      f.explanation += fmt::format(" {} retries of services past the first {} were not tracked.",
                                   untracked_, kMaxDetectorKeys);
    receiver_only.push_back(!s.any_says_retry);
    out.push_back(std::move(f));
  }
  // A service that only logs attempt numbers is usually the one receiving another service's
  // retries: when a retrying service's storm overlaps it, the two are one storm, seen twice.
  std::vector<Finding> kept;
  for (size_t i = 0; i < out.size(); ++i) {
    bool seen_elsewhere = false;
    for (size_t j = 0; j < out.size() && receiver_only[i]; ++j)
      if (!receiver_only[j] && out[j].time <= out[i].end && out[i].time <= out[j].end)
        seen_elsewhere = true;
    if (!seen_elsewhere) kept.push_back(std::move(out[i]));
  }
  return kept;
}

std::vector<Finding> DetectRetryStorm(const DetectorInput& in) {
  RetryStormDetector d(in);
  return RunDetector(d, in.events);
}

}  // namespace inquest
