// Clock skew between hosts from their logs alone: the same request id logged on several hosts,
// with the order a call imposes, bounds each host's clock offset.
//
// When host A calls host B for a request, A's first line of the request comes before B's first
// line and B's last line before A's last (the caller is waiting meanwhile). With s_X the amount
// host X's clock runs ahead, every shared request gives
//   b_last - a_last <= s_B - s_A <= b_first - a_first,
// (the lower bound only when A's last line is not an error: a caller that gave up on a timeout
// did not wait for B's last line), an interval that exists only when A's part of the request
// lasts at least as long as B's, so
// durations (which no offset changes) say who called whom. The intervals of many requests are
// intersected per pair of hosts (the intervals that hold the point most of them share, when
// that is nearly all of them); a pair whose intervals do not agree in either direction is not
// a caller and callee (siblings of one caller) and gives nothing. The pairs are then
// solved together as difference constraints (the tightest bounds by shortest paths), pairs with
// the most requests first, a pair that contradicts those before it left out. Offsets are
// relative to the host in the middle of its group (logs alone cannot tell which clock is
// right; most clocks are: the reference is the middle of the largest cluster of hosts within
// the threshold of one another), and a host that shares no usable request is "unknown".
//
//   LogSkewReport r = EstimateLogSkew(events, kLogSkewThresholdNs);
//   for (const HostClock& h : r.hosts) if (h.skewed) ...
//   AdjustLogSkew(r, &events);
#ifndef INQUEST_TIMELINE_LOG_CLOCK_SKEW_H_
#define INQUEST_TIMELINE_LOG_CLOCK_SKEW_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logs/event.h"

namespace inquest {

// Hosts whose offset is larger than this are reported (and moved by --adjust-skew). NTP keeps
// healthy clocks within milliseconds; a second is far beyond that, and also beyond the request
// latencies that limit how tightly logs bound an offset, so a host past it is really off.
inline constexpr int64_t kLogSkewThresholdNs = 1000 * kNanosPerMilli;
// Requests a pair of hosts must share before their intervals are trusted: one request's
// interval is as wide as the caller's whole handling time, and a chance agreement of two
// unrelated hosts (siblings) is unlikely to survive three.
inline constexpr size_t kMinSharedRequests = 3;
// The share of a pair's requests that must agree on its bounds: a few may not (a request id
// reused by an unrelated request, a line written late by a buffered logger), but unrelated
// hosts agree only by chance, and rarely on this many.
inline constexpr double kAgreement = 0.95;
// Hosts solved together at most, and caller/callee pairs tried at most (those sharing the most
// requests): each pair costs a pass over a hosts-by-hosts table, so these bound the solve to
// well under a second whatever the logs hold. Hosts past the cap are "unknown".
inline constexpr size_t kMaxSkewHosts = 128;
inline constexpr size_t kMaxSkewPairs = 4096;

struct HostClock {
  std::string host;
  bool known = false;     // bounded against the reference
  bool skewed = false;    // known and |offset_ns| > the threshold
  int64_t offset_ns = 0;  // how far its clock runs ahead of the reference (negative: behind)
  int64_t low_ns = 0;     // offset_ns lies in [low_ns, high_ns]
  int64_t high_ns = 0;
  std::string reference;  // the host of its group the offset is measured against
  // As many hosts of the group agree with another clock as with the reference's: the
  // reference's side was taken because it is nearer the middle of all the clocks, which
  // proves nothing.
  bool reference_tied = false;
  uint32_t requests = 0;  // shared requests of the pairs that bound it
  std::string reason;     // why it is unknown
};

struct LogSkewReport {
  std::vector<HostClock> hosts;  // by name
  int64_t threshold_ns = kLogSkewThresholdNs;
  uint32_t requests = 0;       // ids seen on two or more hosts
  uint32_t pairs_used = 0;     // caller/callee pairs that bounded offsets
  uint32_t pairs_dropped = 0;  // pairs that contradicted the others
  const HostClock* Find(std::string_view host) const;
};

// The clock an event was written by: its host; when the record names none, the file it came
// from (`file_names[e.file]`: one log file is written by one process on one host, which is
// often named only in the file's name); else its service; empty when none is known (such
// events are not used). A service is the last resort: several hosts often run one service.
std::string_view ClockOf(const Event& e, std::span<const std::string> file_names = {});

// Estimates every host's offset from the events' request ids (the request id, else the trace
// id, hex ids in any case). Events without a time, or placed by their neighbours, are ignored.
// `file_names` (indexed by Event::file) name the clocks of records that name no host. The
// requests are gathered on up to `threads` threads; the report does not depend on how many.
LogSkewReport EstimateLogSkew(std::span<const Event* const> events,
                              int64_t threshold_ns = kLogSkewThresholdNs,
                              std::span<const std::string> file_names = {}, int threads = 1);

// The shifts AdjustLogSkew applies, built once from a report: for code that moves records one
// at a time as they stream by (few hosts are skewed, so a look-up is a short scan).
class ClockShifts {
 public:
  explicit ClockShifts(const LogSkewReport& report);
  bool empty() const { return shifts_.empty(); }
  // How far the event's clock runs ahead of its reference (0 when its host is not skewed):
  // the event's time on the reference clock is time minus this.
  int64_t Of(const Event& e, std::span<const std::string> file_names = {}) const;

 private:
  std::vector<std::pair<std::string, int64_t>> shifts_;
};

// Moves the events of every skewed host back onto the reference clock (time -= offset).
// Returns the number of events moved. `file_names` as given to EstimateLogSkew (the same
// names, though the events may number their files differently).
size_t AdjustLogSkew(const LogSkewReport& report, std::span<Event> events,
                     std::span<const std::string> file_names = {});

// "api-2 runs 3.2s behind (between 3.1s and 3.3s, 40 requests shared with gw-1)" style lines,
// skewed hosts first, then unknown ones.
std::vector<std::string> DescribeLogSkew(const LogSkewReport& report);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_LOG_CLOCK_SKEW_H_
