#include "timeline/detectors/retry_storm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/strings.h"

namespace inquest {
namespace {

bool SaysRetry(const Event& e) { return MessageHasAny(e, {"retry", "retrying", "retried"}); }

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

std::vector<Finding> DetectRetryStorm(const DetectorInput& in) {
  std::vector<Finding> out;
  if (in.events.empty()) return out;
  // Retries per service, counted per window, and per (service, request) for the intervals.
  struct ServiceRetries {
    std::vector<const Event*> retries;
    struct Attempt {
      TimePoint time;
      bool says_retry;
      int64_t attempt;
    };
    std::map<std::string_view, std::vector<Attempt>> attempts_by_request;
    bool any_says_retry = false;
    std::vector<double> declared_ms;  // backoff the client said it would wait
  };
  std::map<std::string, ServiceRetries> by_service;
  TimePoint span_first = kNoTime, span_last = kNoTime;
  for (const Event* e : in.events) {
    if (e->time == kNoTime) continue;
    if (span_first == kNoTime) span_first = e->time;
    span_last = e->time;
    if (!IsRetry(*e)) continue;
    ServiceRetries& s = by_service[ServiceOf(in, *e)];
    s.retries.push_back(e);
    // Only the retry decisions themselves time the schedule: a line that says "retry" where
    // the file has them, else the attempt-numbered lines.
    std::string_view rid = e->request_id.empty() ? FieldValue(*e, "request_id") : e->request_id;
    bool says = SaysRetry(*e);
    s.any_says_retry |= says;
    if (!rid.empty()) s.attempts_by_request[rid].push_back({e->time, says, AttemptOf(*e)});
    double ms;
    if (FieldMs(FirstField(*e, {"backoff_ms", "delay_ms", "retry_in", "backoff", "delay",
                                "retry_after", "sleep_ms"}),
                &ms))
      s.declared_ms.push_back(ms);
  }
  int64_t windows = (span_last - span_first) / kRetryWindowNs + 1;
  std::vector<bool> receiver_only;  // parallel to out
  for (auto& [service, s] : by_service) {
    if (s.retries.size() < kRetryStormMinRetries) continue;
    std::map<int64_t, size_t> per_window;
    for (const Event* e : s.retries) per_window[(e->time - span_first) / kRetryWindowNs]++;
    std::vector<size_t> counts;
    for (const auto& [w, n] : per_window) counts.push_back(n);
    counts.resize(std::max<size_t>(counts.size(), static_cast<size_t>(windows)), 0);
    std::sort(counts.begin(), counts.end());
    double usual = static_cast<double>(counts[counts.size() / 2]);
    size_t worst = counts.back();
    if (worst < kRetryStormMinRetries || worst < kRetryStormMinMultiplier * std::max(usual, 1.0))
      continue;

    // Intervals between consecutive retries of one request: its lines that say "retry" when
    // it has any, else the first line of each attempt number.
    std::vector<double> intervals_ms;
    for (auto& [rid, attempts] : s.attempts_by_request) {
      std::vector<TimePoint> times;
      bool has_says = false;
      for (const auto& a : attempts) has_says |= a.says_retry;
      std::set<int64_t> seen;
      for (const auto& a : attempts)
        if (has_says ? a.says_retry : seen.insert(a.attempt).second) times.push_back(a.time);
      for (size_t i = 1; i < times.size(); ++i) {
        int64_t d = times[i] - times[i - 1];
        if (d > 0 && d <= kMaxRetryIntervalNs) intervals_ms.push_back(d / 1e6);
      }
    }
    double cv = CoefficientOfVariation(intervals_ms);
    std::set<double> declared(s.declared_ms.begin(), s.declared_ms.end());
    bool fixed_declared = !s.declared_ms.empty() && declared.size() == 1;
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
    for (const Event* e : s.retries) {
      size_t n = per_window[(e->time - span_first) / kRetryWindowNs];
      if (n * 5 < worst) continue;
      if (first == kNoTime) first = e->time;
      last = e->time;
    }

    Finding f = NewFinding("retry-storm", no_jitter ? Severity::kError : Severity::kWarning,
                           service, no_jitter ? "no jitter" : "", first, last);
    std::string jitter;
    if (measured)
      jitter = fmt::format("retry intervals {} at a median {:.0f} ms (spread {:.1f}%)",
                           no_jitter ? "fixed" : "vary", median_ms, cv * 100);
    else if (fixed_declared)
      jitter = fmt::format("every retry waits the same declared {:.0f} ms", *declared.begin());
    f.title = fmt::format(
        "Retry storm: {} {} {} times in {}-{}, up to {} a minute (usually "
        "{:.0f}){}{}",
        service, s.any_says_retry ? "retried" : "logged repeated attempts", s.retries.size(),
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
    size_t longest = 0;
    std::string_view longest_id;
    for (auto& [rid, attempts] : s.attempts_by_request)
      if (attempts.size() > longest) {
        longest = attempts.size();
        longest_id = rid;
      }
    std::set<const Event*> picked;
    for (const Event* e : s.retries) {
      if (picked.size() >= kMaxEvidencePerFinding) break;
      std::string_view rid = e->request_id.empty() ? FieldValue(*e, "request_id") : e->request_id;
      if (!longest_id.empty() && rid == longest_id) picked.insert(e);
    }
    for (const Event* e : s.retries) {
      if (picked.size() >= kMaxEvidencePerFinding) break;
      if (e->time >= first) picked.insert(e);
    }
    std::vector<const Event*> ev(picked.begin(), picked.end());
    std::sort(ev.begin(), ev.end(),
              [](const Event* a, const Event* b) { return a->time < b->time; });
    for (const Event* e : ev) f.evidence.push_back(EvidenceFor(in, *e));
    f.explanation +=
        s.any_says_retry ? "" : " (attempt numbers only: the retrying client is elsewhere)";
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

}  // namespace inquest
