#include "timeline/detectors/clock_skew.h"

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace inquest {
namespace {

// The request an event belongs to, ids compared ignoring ASCII case (hex ids are written in
// either case).
std::string RequestOf(const Event& e) {
  std::string_view id = !e.request_id.empty() ? e.request_id : e.trace_id;
  std::string out(id);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

LogClockSkewDetector::LogClockSkewDetector(const DetectorInput& in, const LogSkewReport& report,
                                           const std::vector<std::string>& file_names,
                                           bool adjusted)
    : in_(in), report_(report), file_names_(file_names), adjusted_(adjusted) {
  for (const HostClock& h : report.hosts)
    if (h.skewed) hosts_.push_back({&h});
}

void LogClockSkewDetector::Observe(const Event& e) {
  if (hosts_.empty()) return;
  std::string_view clock = ClockOf(e, file_names_);
  bool has_id = !e.request_id.empty() || !e.trace_id.empty();
  for (Host& h : hosts_) {
    if (clock != h.clock->host) continue;
    if (h.first == kNoTime) h.first = e.time;
    if (has_id && h.requests.size() < kMaxDetectorKeys) h.requests.emplace_back(RequestOf(e), &e);
  }
  if (!has_id) return;
  const HostClock* known = report_.Find(clock);
  if (!known || !known->known) return;
  std::string id = RequestOf(e);
  auto it = firsts_.find(id);
  if (it == firsts_.end()) {
    if (firsts_.size() >= kMaxDetectorKeys) return;
    it = firsts_.emplace(std::move(id), std::vector<Seen>{}).first;
  }
  std::vector<Seen>& seen = it->second;
  if (seen.size() >= kMaxClocksPerRequest) return;
  for (const Seen& s : seen)
    if (s.clock == clock) return;
  seen.push_back({clock, &e});
}

std::vector<Finding> LogClockSkewDetector::Finish() {
  std::vector<Finding> out;
  for (const Host& h : hosts_) {
    // The first record of the host for a request another host logged too, and that host's
    // record of it (its reference's when it shares one, else a known host's: the reference is
    // the middle of the group and need not be a direct caller or callee). The records are
    // after any --adjust-skew; the lines themselves show the written times.
    const Event* mine = nullptr;
    const Event* theirs = nullptr;
    for (const auto& [id, e] : h.requests) {
      auto it = firsts_.find(id);
      if (it == firsts_.end()) continue;
      const Seen* reference = nullptr;
      const Seen* other = nullptr;
      for (const Seen& s : it->second) {
        if (s.clock == h.clock->host) continue;
        if (s.clock == h.clock->reference && !reference) reference = &s;
        if (!other) other = &s;
      }
      if (reference) {
        mine = e;
        theirs = reference->event;
        break;
      }
      if (!mine && other) {
        mine = e;
        theirs = other->event;
      }
    }
    int64_t off = h.clock->offset_ns;
    Finding f = NewFinding("clock-skew", Severity::kWarning, mine ? ServiceOf(in_, *mine) : "",
                           fmt::format("{} vs {}", h.clock->host, h.clock->reference), h.first);
    f.confidence = kLogSkewConfidence;
    f.title = fmt::format("The clock of {} runs about {} {} {}'s", h.clock->host,
                          FormatDuration(std::llabs(off)), off < 0 ? "behind" : "ahead of",
                          h.clock->reference);
    f.explanation = fmt::format(
        "{} requests logged on both hosts bound the offset between {} and {}: a caller's first "
        "line comes before its callee's and the callee's last line before the caller's, and "
        "only this offset puts them in that order. The estimate is relative to {} (logs alone "
        "cannot say which clock is right; most are). {}",
        h.clock->requests, FormatDuration(h.clock->low_ns), FormatDuration(h.clock->high_ns),
        h.clock->reference,
        adjusted_ ? "--adjust-skew moved this host's records onto that clock."
                  : "Order this host's records by their requests, not their timestamps, or "
                    "rerun with --adjust-skew.");
    if (h.clock->reference_tied) {
      f.confidence = kLogSkewConfidence / 2;
      f.explanation +=
          " As many hosts agree with this host's clock as with the reference's: the "
          "reference's side was taken because it is nearer the middle of all the clocks. Check "
          "which clocks NTP kept.";
    }
    if (mine) f.evidence.push_back(EvidenceFor(in_, *mine));
    if (theirs) f.evidence.push_back(EvidenceFor(in_, *theirs));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> DetectLogClockSkew(const DetectorInput& in, const LogSkewReport& report,
                                        const std::vector<std::string>& file_names, bool adjusted) {
  LogClockSkewDetector d(in, report, file_names, adjusted);
  return RunDetector(d, in.events);
}

}  // namespace inquest
