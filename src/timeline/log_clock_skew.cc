#include "timeline/log_clock_skew.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

#include "base/parallel.h"
#include "timeline/correlate.h"
#include "timeline/rate.h"

namespace inquest {
namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;

// Durations of one-line requests past this are not a request's (a job's run, a stream): they
// would widen a host's extent past use.
constexpr double kMaxOneLineMs = 60 * 1000;

struct Extent {
  TimePoint first = kNoTime, last = kNoTime;
  // The host's last line of the request is an error: as a caller it gave up (a timeout) rather
  // than saw the answer, so the callee may go on after it and the lower bound does not hold.
  bool gave_up = false;
  // A host that logs a request in one line with its duration (an access log's "rt=0.109"):
  // the line may be written when the request began or when it ended, so its extent is the
  // duration either side of it.
  uint32_t lines = 0;
  int64_t one_line_ns = 0;
  Extent Widened() const {
    if (lines != 1 || one_line_ns <= 0) return *this;
    Extent w = *this;
    w.first -= one_line_ns;
    w.last += one_line_ns;
    return w;
  }
};

struct Interval {
  int64_t lo, hi;
};

// One pair of hosts over their shared requests: each request's interval of s_callee -
// s_caller for each direction.
struct PairBounds {
  size_t a = 0, b = 0;       // host indices, a < b
  size_t a_longer = 0;       // requests where a's part lasted at least as long as b's
  std::vector<Interval> ab;  // a calls b: s_b - s_a in [lo, hi]
  std::vector<Interval> ba;  // b calls a: s_a - s_b in [lo, hi]
  size_t shared() const { return ab.size(); }
};

// The bounds most of `intervals` agree on: the intersection of those that hold the point
// covered by the most of them, when those are at least kAgreement of all; nullopt otherwise.
// A few requests may disagree (an id reused by an unrelated request, a line logged late).
std::optional<Interval> Agreed(std::vector<Interval> intervals) {
  std::vector<std::pair<int64_t, int>> edges;  // (coordinate, +1 open / -1 close)
  edges.reserve(2 * intervals.size());
  for (const Interval& i : intervals) {
    if (i.lo > i.hi) continue;
    edges.emplace_back(i.lo, -1);  // opens sort before closes at the same coordinate
    edges.emplace_back(i.hi, +1);
  }
  std::sort(edges.begin(), edges.end());
  int depth = 0, best = 0;
  int64_t at = 0;
  for (const auto& [x, kind] : edges) {
    depth -= kind;
    if (depth > best) {
      best = depth;
      at = x;
    }
  }
  if (best == 0 || static_cast<double>(best) < kAgreement * static_cast<double>(intervals.size()))
    return std::nullopt;
  Interval out{-kInf, kInf};
  for (const Interval& i : intervals) {
    if (i.lo > at || i.hi < at) continue;
    out.lo = std::max(out.lo, i.lo);
    out.hi = std::min(out.hi, i.hi);
  }
  return out;
}

// The request id an event is correlated by: a view into the event, or for a hex id holding
// upper case its lower-case form kept in *folded.
std::string_view RequestKey(const Event& e, std::deque<std::string>* folded) {
  std::string_view id = !e.request_id.empty() ? e.request_id : e.trace_id;
  bool upper = std::any_of(id.begin(), id.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!upper || !IsHexId(id)) return id;
  std::string& key = folded->emplace_back(id);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// Shortest-path bounds over difference constraints, grown one pair at a time.
class Constraints {
 public:
  explicit Constraints(size_t n) : n_(n), d_(n * n, kInf) {
    for (size_t i = 0; i < n; ++i) at(i, i) = 0;
  }
  int64_t& at(size_t i, size_t j) { return d_[i * n_ + j]; }
  int64_t get(size_t i, size_t j) const { return d_[i * n_ + j]; }

  // Adds s_v - s_u <= w unless it contradicts what is there; returns whether it was added.
  bool Add(size_t u, size_t v, int64_t w) {
    if (get(v, u) < kInf && get(v, u) + w < 0) return false;
    for (size_t i = 0; i < n_; ++i) {
      if (get(i, u) >= kInf) continue;
      for (size_t j = 0; j < n_; ++j) {
        if (get(v, j) >= kInf) continue;
        int64_t via = get(i, u) + w + get(v, j);
        if (via < get(i, j)) at(i, j) = via;
      }
    }
    return true;
  }
  // Adds lo <= s_v - s_u <= hi as a whole, or nothing.
  bool AddInterval(size_t u, size_t v, int64_t lo, int64_t hi) {
    std::vector<int64_t> saved = d_;
    if (Add(u, v, hi) && Add(v, u, -lo)) return true;
    d_ = std::move(saved);
    return false;
  }
  bool Linked(size_t i, size_t j) const { return get(i, j) < kInf && get(j, i) < kInf; }

 private:
  size_t n_;
  std::vector<int64_t> d_;  // d_[i*n+j]: the tightest upper bound on s_j - s_i
};

}  // namespace

std::string_view ClockOf(const Event& e, std::span<const std::string> file_names) {
  if (!e.host.empty()) return e.host;
  if (e.file < file_names.size() && !file_names[e.file].empty()) return file_names[e.file];
  return e.service;
}

const HostClock* LogSkewReport::Find(std::string_view host) const {
  for (const HostClock& h : hosts)
    if (h.host == host) return &h;
  return nullptr;
}

namespace {

// Partitions of the requests the extents are collected in, side by side.
constexpr size_t kSkewPartitions = 2;

// Each request's extent per host, hosts in index order (a request meets a few hosts: a small
// sorted vector beats a map per request by far at hundreds of thousands of requests), and each
// host's time resolution: the largest of 1 s, 100 ms, ... 1 ns that divides all its times. A time
// written to the second stands for any instant of that second, so a host's bounds widen by its
// resolution (without it, truncated times push the intervals of a one-line callee apart and the
// pair never agrees).
using HostExtents = std::vector<std::pair<size_t, Extent>>;
struct RequestExtents {
  std::deque<std::string> folded;  // keys of `requests` folded to lower case
  std::unordered_map<std::string_view, HostExtents> requests;
  std::vector<int64_t> resolution;
};

// Which of `parts` a request id falls in: a hash of it in lower case, so the forms RequestKey
// folds together fall in the same one.
size_t PartitionOf(std::string_view id, size_t parts) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : id) {
    h ^= static_cast<unsigned char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    h *= 0x100000001b3ULL;
  }
  return static_cast<size_t>(h % parts);
}

// The extents of the requests that fall in `part` of `parts`.
void CollectExtents(std::span<const Event* const> events, std::span<const std::string> file_names,
                    const std::map<std::string, size_t>& host_index, size_t part, size_t parts,
                    RequestExtents* out) {
  out->resolution.assign(host_index.size(), kNanosPerSecond);
  out->requests.reserve(events.size() / 4 / parts);
  std::string_view last_clock;
  size_t last_host = 0;
  for (const Event* e : events) {
    if (e->time == kNoTime || e->time_from_neighbour) continue;
    if (e->request_id.empty() && e->trace_id.empty()) continue;
    std::string_view clock = ClockOf(*e, file_names);
    if (clock.empty()) continue;
    std::string_view id = !e->request_id.empty() ? e->request_id : e->trace_id;
    if (parts > 1 && PartitionOf(id, parts) != part) continue;
    if (clock != last_clock) {
      last_clock = clock;
      last_host = host_index.find(std::string(clock))->second;
    }
    int64_t& res = out->resolution[last_host];
    while (res > 1 && e->time % res != 0) res /= 10;
    HostExtents& on = out->requests[RequestKey(*e, &out->folded)];
    auto at = std::lower_bound(on.begin(), on.end(), last_host,
                               [](const auto& he, size_t h) { return he.first < h; });
    if (at == on.end() || at->first != last_host) at = on.insert(at, {last_host, Extent{}});
    Extent& x = at->second;
    if (x.first == kNoTime || e->time < x.first) x.first = e->time;
    if (x.last == kNoTime || e->time >= x.last) {
      x.last = e->time;
      x.gave_up = e->level >= Level::kError;
    }
    double ms;
    if (++x.lines == 1 && EventDurationMs(*e, &ms) && ms > 0 && ms < kMaxOneLineMs)
      x.one_line_ns = static_cast<int64_t>(ms * kNanosPerMilli);
  }
}

}  // namespace

LogSkewReport EstimateLogSkew(std::span<const Event* const> events, int64_t threshold_ns,
                              std::span<const std::string> file_names, int threads) {
  LogSkewReport report;
  report.threshold_ns = threshold_ns;
  // Hosts by name, and each request's extent on each host.
  std::map<std::string, size_t> host_index;
  std::string_view seen;
  for (const Event* e : events) {
    std::string_view clock = ClockOf(*e, file_names);
    if (clock.empty() || clock == seen) continue;
    seen = clock;
    host_index.emplace(std::string(clock), 0);
  }
  std::vector<std::string> names;
  for (auto& [name, i] : host_index) {
    i = names.size();
    names.push_back(name);
  }
  if (names.size() < 2) {
    // One clock (or none): nothing to compare with.
    for (const std::string& name : names) {
      HostClock h;
      h.host = name;
      h.reason = "no other host in these logs to compare with";
      report.hosts.push_back(std::move(h));
    }
    return report;
  }
  // Each request's extent per host, in partitions of the requests by their key's hash, side by
  // side (each request is whole in one; the pairs' bounds below do not depend on the order).
  std::vector<RequestExtents> parts(kSkewPartitions);
  ParallelFor(parts.size(), std::max(1, threads), [&](size_t k) {
    CollectExtents(events, file_names, host_index, k, parts.size(), &parts[k]);
  });
  std::vector<int64_t> resolution(names.size(), kNanosPerSecond);
  for (const RequestExtents& part : parts)
    for (size_t h = 0; h < names.size(); ++h)
      resolution[h] = std::min(resolution[h], part.resolution[h]);
  // Per pair of hosts, the intersection of each direction's intervals.
  std::map<std::pair<size_t, size_t>, PairBounds> pairs;
  std::vector<uint32_t> shared_by(names.size(), 0);
  for (const RequestExtents& part : parts)
    for (const auto& [id, on] : part.requests) {
      if (on.size() < 2) continue;
      ++report.requests;
      for (auto i = on.begin(); i != on.end(); ++i) {
        ++shared_by[i->first];
        for (auto j = std::next(i); j != on.end(); ++j) {
          const Extent a = i->second.Widened(), b = j->second.Widened();
          PairBounds& p = pairs[{i->first, j->first}];
          p.a = i->first;
          p.b = j->first;
          if (a.last - a.first >= b.last - b.first) ++p.a_longer;
          const int64_t ra = resolution[i->first], rb = resolution[j->first];
          p.ab.push_back({a.gave_up ? -kInf : b.last - a.last - ra, b.first - a.first + rb});
          p.ba.push_back({b.gave_up ? -kInf : a.last - b.last - rb, a.first - b.first + ra});
        }
      }
    }
  // The pairs with the most shared requests first: they bound tightest and outvote chance.
  std::vector<const PairBounds*> order;
  for (const auto& [key, p] : pairs)
    if (p.shared() >= kMinSharedRequests) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const PairBounds* x, const PairBounds* y) {
    return x->shared() > y->shared();
  });
  const size_t n = std::min(names.size(), kMaxSkewHosts);
  Constraints c(n);
  std::vector<uint32_t> bounded_by(names.size(), 0);
  size_t tried = 0;
  for (const PairBounds* p : order) {
    if (p->a >= n || p->b >= n) continue;
    if (++tried > kMaxSkewPairs) break;
    std::optional<Interval> ab = Agreed(p->ab), ba = Agreed(p->ba);
    if (!ab && !ba) continue;  // not caller and callee
    if (ab && ba) {
      // Both fit (parts of equal length): the one most requests' durations agree with.
      if (2 * p->a_longer >= p->shared())
        ba.reset();
      else
        ab.reset();
    }
    bool added =
        ab ? c.AddInterval(p->a, p->b, ab->lo, ab->hi) : c.AddInterval(p->b, p->a, ba->lo, ba->hi);
    if (!added) {
      ++report.pairs_dropped;
      continue;
    }
    ++report.pairs_used;
    bounded_by[p->a] += static_cast<uint32_t>(p->shared());
    bounded_by[p->b] += static_cast<uint32_t>(p->shared());
  }
  // Groups of linked hosts; each measured against its middle host.
  std::vector<int> group(names.size(), -1);
  int groups = 0;
  for (size_t i = 0; i < n; ++i) {
    if (group[i] >= 0 || bounded_by[i] == 0) continue;
    for (size_t j = i; j < n; ++j)
      if (group[j] < 0 && bounded_by[j] > 0 && c.Linked(i, j)) group[j] = groups;
    ++groups;
  }
  std::vector<size_t> reference(groups);
  std::vector<bool> tied(groups, false);
  for (int g = 0; g < groups; ++g) {
    std::vector<size_t> members;
    for (size_t i = 0; i < n; ++i)
      if (group[i] == g) members.push_back(i);
    size_t root = members.front();
    auto mid = [&](size_t x) { return (c.get(root, x) - c.get(x, root)) / 2; };
    std::stable_sort(members.begin(), members.end(),
                     [&](size_t x, size_t y) { return mid(x) < mid(y); });
    // Most clocks are right: the reference is the middle of the largest cluster of hosts
    // within the threshold of one another, not the middle of the whole group (with two hosts
    // of four skewed the same way, that middle is a skewed host).
    // Between clusters of as many hosts, the one nearest the middle of the whole group (with
    // every host its own cluster, that middle host), flagged as a tie.
    const size_t middle = (members.size() - 1) / 2;
    auto distance = [&](size_t lo, size_t hi) -> size_t {
      return middle < lo ? lo - middle : middle >= hi ? middle - hi + 1 : 0;
    };
    size_t best_lo = 0, best_n = 0;
    bool tie = false;
    for (size_t lo = 0, hi = 0; lo < members.size(); ++lo) {
      while (hi < members.size() && mid(members[hi]) - mid(members[lo]) <= threshold_ns) ++hi;
      size_t n = hi - lo;
      if (n < best_n) continue;
      bool disjoint = lo >= best_lo + best_n;
      if (n > best_n) {
        tie = false;
      } else {
        tie |= disjoint;
        if (distance(lo, hi) >= distance(best_lo, best_lo + best_n)) continue;
      }
      best_n = n;
      best_lo = lo;
    }
    reference[g] = members[best_lo + (best_n - 1) / 2];
    tied[g] = tie;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    HostClock h;
    h.host = names[i];
    h.requests = bounded_by[i];
    if (i >= n) {
      h.reason = fmt::format("more than {} hosts: not solved", kMaxSkewHosts);
    } else if (group[i] >= 0) {
      size_t r = reference[group[i]];
      h.known = true;
      h.reference = names[r];
      h.high_ns = c.get(r, i);
      h.low_ns = -c.get(i, r);
      h.offset_ns = h.low_ns + (h.high_ns - h.low_ns) / 2;
      h.skewed = std::llabs(h.offset_ns) > threshold_ns;
      h.reference_tied = tied[group[i]];
    } else if (shared_by[i] == 0) {
      h.reason = "shares no request id with another host";
    } else {
      h.reason = fmt::format(
          "its {} shared requests give no consistent caller/callee order (fewer than {} with "
          "one host, or contradicting the others)",
          shared_by[i], kMinSharedRequests);
    }
    report.hosts.push_back(std::move(h));
  }
  return report;
}

ClockShifts::ClockShifts(const LogSkewReport& report) {
  for (const HostClock& h : report.hosts)
    if (h.skewed) shifts_.emplace_back(h.host, h.offset_ns);
}

int64_t ClockShifts::Of(const Event& e, std::span<const std::string> file_names) const {
  if (shifts_.empty() || e.time == kNoTime) return 0;
  std::string_view clock = ClockOf(e, file_names);
  for (const auto& [host, offset] : shifts_)
    if (host == clock) return offset;
  return 0;
}

size_t AdjustLogSkew(const LogSkewReport& report, std::span<Event> events,
                     std::span<const std::string> file_names) {
  ClockShifts shifts(report);
  if (shifts.empty()) return 0;
  size_t moved = 0;
  for (Event& e : events) {
    int64_t d = shifts.Of(e, file_names);
    if (d == 0) continue;
    e.time -= d;
    ++moved;
  }
  return moved;
}

std::vector<std::string> DescribeLogSkew(const LogSkewReport& report) {
  std::vector<std::string> out;
  for (const HostClock& h : report.hosts) {
    if (!h.skewed) continue;
    out.push_back(fmt::format("{} runs {} {} {} (between {} and {}; {} shared requests)", h.host,
                              FormatDuration(std::llabs(h.offset_ns)),
                              h.offset_ns < 0 ? "behind" : "ahead of", h.reference,
                              FormatDuration(h.low_ns), FormatDuration(h.high_ns), h.requests));
  }
  for (const HostClock& h : report.hosts)
    if (!h.known) out.push_back(fmt::format("{}: clock unknown, {}", h.host, h.reason));
  return out;
}

}  // namespace inquest
