#include "timeline/detectors/saturation.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "base/strings.h"

namespace inquest {
namespace {

struct ResourceWord {
  std::string_view word;
  std::string_view name;  // what to call it when no field names it
};
// Most specific first.
constexpr ResourceWord kResources[] = {
    {"connection pool", "connection pool"},
    {"db pool", "db pool"},
    {"thread pool", "thread pool"},
    {"worker pool", "worker pool"},
    {"pool", "pool"},
    {"semaphore", "semaphore"},
    {"mutex", "lock"},
    {"lock", "lock"},
    {"queue", "queue"},
    {"backlog", "backlog"},
    {"for connection", "connection pool"},
    {"acquire", "pool"},
};

// kResources' words, bit i for kResources[i].
const WordSet& ResourceWords() {
  static const WordSet kWords = [] {
    WordSet w;
    for (const ResourceWord& r : kResources) w.Add(r.word);
    return w;
  }();
  return kWords;
}

}  // namespace

WaitKind ClassifyWait(const Event& e, std::string* resource, std::string* kind_out) {
  std::string_view named = FirstField(e, {"pool", "queue", "lock", "resource", "semaphore"});
  std::string_view text = e.message.empty() ? e.raw : e.message;
  std::string_view kind;
  WordSet::Found resources;
  ResourceWords().Scan(text, &resources);
  for (size_t i = 0; i < std::size(kResources); ++i)
    if (resources[i]) {
      kind = kResources[i].name;
      break;
    }
  if (kind.empty() && named.empty()) return WaitKind::kNone;
  static const WordSet kFailureWords({"timeout", "timed out", "exhausted", "saturated", "rejected",
                                      "rejecting", "queue full", "is full", "no available",
                                      "too many", "deadline"});
  static const WordSet kWaitWords({"wait", "acquire", "blocked", "contention", "pending"});
  bool failure = MessageHasAny(e, kFailureWords);
  bool wait = failure || MessageHasAny(e, kWaitWords);
  double ms;
  if (!wait && FieldMs(FirstField(e, {"waited_ms", "wait_ms", "waited", "queue_time_ms"}), &ms))
    wait = true;
  if (!wait) return WaitKind::kNone;
  if (resource) *resource = std::string(named.empty() ? kind : named);
  if (kind_out) *kind_out = std::string(kind);
  return failure ? WaitKind::kFailure : WaitKind::kWait;
}

void SaturationDetector::Observe(const Event& e) {
  if (e.time == kNoTime) return;
  std::string resource, kind;
  WaitKind k = ClassifyWait(e, &resource, &kind);
  if (k == WaitKind::kNone) return;
  std::pair<std::string, std::string> key{ServiceOf(in_, e), std::move(resource)};
  auto it = open_.find(key);
  if (it == open_.end()) {
    if (open_.size() >= kMaxDetectorKeys) {
      ++untracked_;
      return;
    }
    it = open_.emplace(std::move(key), Episode{}).first;
  } else if (e.time - it->second.last > kSaturationEpisodeGapNs) {
    Close(it->first.first, it->first.second, it->second);
    it->second = Episode{};
  }
  Episode& ep = it->second;
  if (ep.first == kNoTime) ep.first = e.time;
  ep.last = e.time;
  ++ep.events;
  ep.failures += k == WaitKind::kFailure;
  if (kind.size() > ep.kind.size()) ep.kind = kind;
  double ms;
  if (FieldMs(FirstField(e, {"waited_ms", "wait_ms", "waited", "after", "timeout_ms"}), &ms))
    ep.max_wait_ms = std::max(ep.max_wait_ms, ms);
  if (auto n = ParseInt(FirstField(e, {"waiters", "waiting", "queued", "queue_len", "pending"})))
    ep.max_waiters = std::max(ep.max_waiters, *n);
  // The first record and then the first failures, leaving room for the last record.
  if (ep.evidence.size() + 1 < kMaxEvidencePerFinding &&
      (ep.evidence.empty() || k == WaitKind::kFailure))
    ep.evidence.push_back(&e);
  ep.last_event = &e;
}

void SaturationDetector::Close(const std::string& service, const std::string& resource,
                               const Episode& ep) {
  if (ep.events < kSaturationMinEvents || ep.failures < kSaturationMinFailures) return;
  Finding f = NewFinding("saturation", Severity::kError, service, resource, ep.first, ep.last);
  std::string what =
      ep.kind.empty() || ep.kind == resource ? resource : fmt::format("{} {}", ep.kind, resource);
  std::string detail;
  if (ep.max_wait_ms > 0) detail += fmt::format(", waits up to {:.0f} ms", ep.max_wait_ms);
  if (ep.max_waiters > 0) detail += fmt::format(", up to {} waiting", ep.max_waiters);
  f.title = fmt::format(
      "Resource saturation: {} {} from {} to {}: {} waits, {} of them "
      "timeouts or rejections{}",
      service, what, FormatClock(f.time, 0), FormatClock(f.end, 0), ep.events, ep.failures, detail);
  f.confidence = std::min(1.0, 0.5 + 0.05 * ep.failures);
  f.explanation = fmt::format(
      "Requests waited for a slot of {} and gave up: the time went into waiting for the "
      "resource, not into the work. The logs cannot show the pool's configured size or why "
      "it was too small; the saturation's cause is usually upstream (a surge of demand).",
      what);
  for (const Event* e : ep.evidence) f.evidence.push_back(EvidenceFor(in_, *e));
  f.evidence.push_back(EvidenceFor(in_, *ep.last_event));
  found_.push_back(std::move(f));
}

std::vector<Finding> SaturationDetector::Finish() {
  for (const auto& [key, ep] : open_) Close(key.first, key.second, ep);
  open_.clear();
  if (untracked_ > 0)
    for (Finding& f : found_)
      f.explanation += fmt::format(" ({} waits on resources past the first {} were not tracked.)",
                                   untracked_, kMaxDetectorKeys);
  std::stable_sort(found_.begin(), found_.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.time, a.service, a.subject) < std::tie(b.time, b.service, b.subject);
  });
  return std::move(found_);
}

std::vector<Finding> DetectSaturation(const DetectorInput& in) {
  SaturationDetector d(in);
  return RunDetector(d, in.events);
}

}  // namespace inquest
