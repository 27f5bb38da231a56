#include "analyze/request_outcomes.h"

#include <algorithm>

#include "analyze/log_pass.h"
#include "base/parallel.h"
#include "timeline/window_counter.h"

namespace inquest {

Result<RequestWindows> CountRequests(const RequestTable& table, int64_t width_ns, TimePoint from,
                                     TimePoint to, int threads) {
  RequestWindows out;
  out.series.group = "requests";
  out.series.width_ns = width_ns;
  struct Acc {
    uint64_t total = 0, errors = 0;
    std::map<uint32_t, uint64_t> files;
  };
  // Each shard counted on its own, then the counts added up.
  struct Part {
    std::map<int64_t, Acc> windows;
    bool any = false;
    Status status;
  };
  std::vector<Part> parts(kRequestShards);
  ParallelFor(parts.size(), std::max(1, threads), [&](size_t s) {
    Part& p = parts[s];
    p.status = table.ForEachInShard(s, [&](const RequestOutcome& r) {
      p.any = true;
      if (r.first == kNoTime) return;
      if ((from != kNoTime && r.first < from) || (to != kNoTime && r.first >= to)) return;
      Acc& w = p.windows[WindowIndex(r.first, width_ns)];
      w.total++;
      if (!r.failed()) return;
      w.errors++;
      for (uint8_t i = 0; i < r.error_file_count; ++i) w.files[r.error_files[i]]++;
    });
  });
  std::map<int64_t, Acc> windows;
  for (Part& p : parts) {
    INQ_RETURN_IF_ERROR(p.status);
    out.any |= p.any;
    for (auto& [index, a] : p.windows) {
      Acc& w = windows[index];
      w.total += a.total;
      w.errors += a.errors;
      for (const auto& [f, n] : a.files) w.files[f] += n;
    }
  }
  if (windows.empty()) return out;
  int64_t first = windows.begin()->first, last = windows.rbegin()->first;
  if (last - first + 1 > static_cast<int64_t>(kMaxSeriesWindows)) return out;
  size_t n = static_cast<size_t>(last - first + 1);
  out.series.windows.resize(n);
  out.failed_by_file.resize(n);
  for (size_t i = 0; i < n; ++i)
    out.series.windows[i].start = (first + static_cast<int64_t>(i)) * width_ns;
  for (auto& [index, w] : windows) {
    size_t i = static_cast<size_t>(index - first);
    out.series.windows[i].total = w.total;
    out.series.windows[i].errors = w.errors;
    out.failed_by_file[i] = std::move(w.files);
  }
  return out;
}

Impact ImpactOver(const RequestWindows& w, const std::vector<std::string>& file_names,
                  TimePoint from, TimePoint to) {
  Impact im;
  im.from = from;
  im.to = to;
  im.rule =
      "a request is a distinct request id, placed at its first event; it failed when its last "
      "event (ties: the worst) is at level error or above (an access log's 5xx is an error). "
      "Each request counts once however many services logged it.";
  im.known = w.any;
  std::map<std::string, uint64_t> per_service;
  for (size_t i = 0; i < w.series.windows.size(); ++i) {
    const Window& x = w.series.windows[i];
    if ((from != kNoTime && x.start < from) || (to != kNoTime && x.start >= to)) continue;
    im.total += x.total;
    im.failed += x.errors;
    for (const auto& [f, n] : w.failed_by_file[i])
      per_service[f < file_names.size() ? file_names[f] : std::to_string(f)] += n;
  }
  for (const auto& [name, n] : per_service) im.by_service.emplace_back(name, n);
  std::stable_sort(im.by_service.begin(), im.by_service.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return im;
}

std::unique_ptr<RequestTable> RequestTableOf(const std::vector<const Event*>& events) {
  auto t = std::make_unique<RequestTable>();
  for (const Event* e : events) {
    if (e->time == kNoTime) continue;
    std::string_view id = RequestIdOf(*e);
    if (!id.empty()) t->Add(HashRequestId(id), e->time, e->level, e->file);
  }
  return t;
}

}  // namespace inquest
