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

std::vector<Finding> DetectLogClockSkew(const DetectorInput& in, const LogSkewReport& report,
                                        const std::vector<std::string>& file_names, bool adjusted) {
  std::vector<Finding> out;
  for (const HostClock& h : report.hosts) {
    if (!h.skewed) continue;
    // The first record of the host for a request another host logged too, and that host's
    // record of it (its reference's when it shares one, else a known host's: the reference is
    // the middle of the group and need not be a direct caller or callee). `in` holds the
    // records after any --adjust-skew; the lines themselves show the written times.
    std::unordered_map<std::string, const Event*> on_reference, on_other;
    for (const Event* e : in.events) {
      if (e->request_id.empty() && e->trace_id.empty()) continue;
      std::string_view clock = ClockOf(*e, file_names);
      if (clock == h.host) continue;
      const HostClock* other = report.Find(clock);
      if (!other || !other->known) continue;
      (clock == h.reference ? on_reference : on_other).emplace(RequestOf(*e), e);
    }
    const Event* mine = nullptr;
    const Event* theirs = nullptr;
    TimePoint first = kNoTime;
    for (const Event* e : in.events) {
      if (ClockOf(*e, file_names) != h.host) continue;
      if (first == kNoTime) first = e->time;
      if ((mine && ClockOf(*theirs, file_names) == h.reference) ||
          (e->request_id.empty() && e->trace_id.empty()))
        continue;
      std::string id = RequestOf(*e);
      if (auto it = on_reference.find(id); it != on_reference.end()) {
        mine = e;
        theirs = it->second;
      } else if (auto o = on_other.find(id); !mine && o != on_other.end()) {
        mine = e;
        theirs = o->second;
      }
    }
    int64_t off = h.offset_ns;
    Finding f = NewFinding("clock-skew", Severity::kWarning, mine ? ServiceOf(in, *mine) : "",
                           fmt::format("{} vs {}", h.host, h.reference), first);
    f.confidence = kLogSkewConfidence;
    f.title =
        fmt::format("The clock of {} runs about {} {} {}'s", h.host,
                    FormatDuration(std::llabs(off)), off < 0 ? "behind" : "ahead of", h.reference);
    f.explanation = fmt::format(
        "{} requests logged on both hosts bound the offset between {} and {}: a caller's first "
        "line comes before its callee's and the callee's last line before the caller's, and "
        "only this offset puts them in that order. The estimate is relative to {} (logs alone "
        "cannot say which clock is right; most are). {}",
        h.requests, FormatDuration(h.low_ns), FormatDuration(h.high_ns), h.reference,
        adjusted ? "--adjust-skew moved this host's records onto that clock."
                 : "Order this host's records by their requests, not their timestamps, or "
                   "rerun with --adjust-skew.");
    if (mine) f.evidence.push_back(EvidenceFor(in, *mine));
    if (theirs) f.evidence.push_back(EvidenceFor(in, *theirs));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest
