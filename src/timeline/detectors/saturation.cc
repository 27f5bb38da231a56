#include "timeline/detectors/saturation.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

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

}  // namespace

WaitKind ClassifyWait(const Event& e, std::string* resource, std::string* kind_out) {
  std::string_view named = FirstField(e, {"pool", "queue", "lock", "resource", "semaphore"});
  std::string_view text = e.message.empty() ? e.raw : e.message;
  std::string_view kind;
  for (const ResourceWord& r : kResources)
    if (ContainsIgnoreCase(text, r.word)) {
      kind = r.name;
      break;
    }
  if (kind.empty() && named.empty()) return WaitKind::kNone;
  bool failure =
      MessageHasAny(e, {"timeout", "timed out", "exhausted", "saturated", "rejected", "rejecting",
                        "queue full", "is full", "no available", "too many", "deadline"});
  bool wait = failure || MessageHasAny(e, {"wait", "acquire", "blocked", "contention", "pending"});
  double ms;
  if (!wait && FieldMs(FirstField(e, {"waited_ms", "wait_ms", "waited", "queue_time_ms"}), &ms))
    wait = true;
  if (!wait) return WaitKind::kNone;
  if (resource) *resource = std::string(named.empty() ? kind : named);
  if (kind_out) *kind_out = std::string(kind);
  return failure ? WaitKind::kFailure : WaitKind::kWait;
}

std::vector<Finding> DetectSaturation(const DetectorInput& in) {
  struct Episode {
    std::vector<const Event*> events;
    size_t failures = 0;
    std::string kind;  // the most specific kind of resource the messages name
    double max_wait_ms = 0;
    int64_t max_waiters = 0;
  };
  // (service, resource) -> episodes in time order.
  std::map<std::pair<std::string, std::string>, std::vector<Episode>> by_resource;
  for (const Event* e : in.events) {
    if (e->time == kNoTime) continue;
    std::string resource, kind;
    WaitKind k = ClassifyWait(*e, &resource, &kind);
    if (k == WaitKind::kNone) continue;
    auto& episodes = by_resource[{ServiceOf(in, *e), resource}];
    if (episodes.empty() || e->time - episodes.back().events.back()->time > kSaturationEpisodeGapNs)
      episodes.emplace_back();
    Episode& ep = episodes.back();
    ep.events.push_back(e);
    ep.failures += k == WaitKind::kFailure;
    if (kind.size() > ep.kind.size()) ep.kind = kind;
    double ms;
    if (FieldMs(FirstField(*e, {"waited_ms", "wait_ms", "waited", "after", "timeout_ms"}), &ms))
      ep.max_wait_ms = std::max(ep.max_wait_ms, ms);
    if (auto n = ParseInt(FirstField(*e, {"waiters", "waiting", "queued", "queue_len", "pending"})))
      ep.max_waiters = std::max(ep.max_waiters, *n);
  }
  std::vector<Finding> out;
  for (const auto& [key, episodes] : by_resource) {
    const auto& [service, resource] = key;
    for (const Episode& ep : episodes) {
      if (ep.events.size() < kSaturationMinEvents || ep.failures < kSaturationMinFailures) continue;
      Finding f = NewFinding("saturation", Severity::kError, service, resource,
                             ep.events.front()->time, ep.events.back()->time);
      std::string what = ep.kind.empty() || ep.kind == resource
                             ? resource
                             : fmt::format("{} {}", ep.kind, resource);
      std::string detail;
      if (ep.max_wait_ms > 0) detail += fmt::format(", waits up to {:.0f} ms", ep.max_wait_ms);
      if (ep.max_waiters > 0) detail += fmt::format(", up to {} waiting", ep.max_waiters);
      f.title = fmt::format(
          "Resource saturation: {} {} from {} to {}: {} waits, {} of them "
          "timeouts or rejections{}",
          service, what, FormatClock(f.time, 0), FormatClock(f.end, 0), ep.events.size(),
          ep.failures, detail);
      f.confidence = std::min(1.0, 0.5 + 0.05 * ep.failures);
      f.explanation = fmt::format(
          "Requests waited for a slot of {} and gave up: the time went into waiting for the "
          "resource, not into the work. The logs cannot show the pool's configured size or why "
          "it was too small; the saturation's cause is usually upstream (a surge of demand).",
          what);
      // The first failures, and the last event.
      for (const Event* e : ep.events) {
        if (f.evidence.size() + 1 >= kMaxEvidencePerFinding) break;
        std::string r;
        if (ClassifyWait(*e, &r) == WaitKind::kFailure || f.evidence.empty())
          f.evidence.push_back(EvidenceFor(in, *e));
      }
      f.evidence.push_back(EvidenceFor(in, *ep.events.back()));
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
