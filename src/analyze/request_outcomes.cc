#include "analyze/request_outcomes.h"

#include <algorithm>
#include <map>

#include "analyze/log_pass.h"
#include "timeline/window_counter.h"

namespace inquest {

Result<Series> RequestSeries(const RequestTable& table, int64_t width_ns, TimePoint from,
                             TimePoint to) {
  Series s;
  s.group = "requests";
  s.width_ns = width_ns;
  std::map<int64_t, Window> windows;
  INQ_RETURN_IF_ERROR(table.ForEach([&](const RequestOutcome& r) {
    if (r.first == kNoTime) return;
    if ((from != kNoTime && r.first < from) || (to != kNoTime && r.first >= to)) return;
    Window& w = windows[WindowIndex(r.first, width_ns)];
    w.total++;
    w.errors += r.failed();
  }));
  if (windows.empty()) return s;
  int64_t first = windows.begin()->first, last = windows.rbegin()->first;
  if (last - first + 1 > static_cast<int64_t>(kMaxSeriesWindows)) return s;
  s.windows.resize(static_cast<size_t>(last - first + 1));
  for (size_t i = 0; i < s.windows.size(); ++i)
    s.windows[i].start = (first + static_cast<int64_t>(i)) * width_ns;
  for (auto& [index, w] : windows) {
    Window& into = s.windows[static_cast<size_t>(index - first)];
    into.total = w.total;
    into.errors = w.errors;
  }
  return s;
}

Result<Impact> MeasureImpact(const RequestTable& table, const std::vector<std::string>& file_names,
                             TimePoint from, TimePoint to) {
  Impact im;
  im.from = from;
  im.to = to;
  im.rule =
      "a request is a distinct request id, placed at its first event; it failed when its last "
      "event (ties: the worst) is at level error or above (an access log's 5xx is an error). "
      "Each request counts once however many services logged it.";
  bool any = false;
  std::map<std::string, uint64_t> per_service;
  INQ_RETURN_IF_ERROR(table.ForEach([&](const RequestOutcome& r) {
    any = true;
    if (from != kNoTime && r.first < from) return;
    if (to != kNoTime && r.first >= to) return;
    im.total++;
    if (!r.failed()) return;
    im.failed++;
    for (uint8_t i = 0; i < r.error_file_count; ++i) {
      uint16_t f = r.error_files[i];
      per_service[f < file_names.size() ? file_names[f] : std::to_string(f)]++;
    }
  }));
  im.known = any;
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
