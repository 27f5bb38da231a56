#include "analyze/incident_window.h"

#include <fmt/format.h>

#include "analyze/window_pass.h"

namespace inquest {
namespace {

uint64_t BytesOf(const std::vector<const std::map<int64_t, WindowSpan>*>& indexes, int64_t width_ns,
                 TimePoint from, TimePoint to) {
  uint64_t total = 0;
  for (const auto* index : indexes) total += WindowBytes(*index, width_ns, from, to);
  return total;
}

}  // namespace

IncidentWindow ChooseIncidentWindow(
    const Onset& onset, const Series* errors, TimePoint bulk_from, TimePoint bulk_to,
    int64_t width_ns, const std::vector<const std::map<int64_t, WindowSpan>*>& indexes,
    uint64_t max_bytes) {
  IncidentWindow w;
  w.from = bulk_from;
  w.to = bulk_to;
  w.bytes = BytesOf(indexes, width_ns, w.from, w.to);
  w.whole = true;
  w.spans = {{w.from, w.to, 1}};
  if (w.bytes <= max_bytes) return w;
  w.whole = false;

  TimePoint center = kNoTime, end = kNoTime;
  if (onset.found) {
    center = onset.time;
    end = onset.recovery != kNoTime ? onset.recovery + kWindowTailNs : onset.time + kOpenIncidentNs;
  } else if (errors && !errors->windows.empty()) {
    // No onset: the window with the most errors stands for the incident.
    const Window* worst = &errors->windows[0];
    for (const Window& x : errors->windows)
      if (x.errors > worst->errors) worst = &x;
    center = worst->start;
    end = center + kOpenIncidentNs;
  } else {
    center = bulk_to - kOpenIncidentNs;
    end = bulk_to;
  }
  int64_t lead = kWindowLeadNs;
  w.from = center - lead;
  w.to = end;
  w.bytes = BytesOf(indexes, width_ns, w.from, w.to);
  bool split = false;
  while (w.bytes > max_bytes) {
    if (lead > kMinWindowLeadNs) {
      lead = std::max(kMinWindowLeadNs, lead / 2);
      w.from = center - lead;
    } else if (w.to - center > 2 * width_ns) {
      w.to = center + std::max<int64_t>(2 * width_ns, (w.to - center) / 2);
    } else {
      split = true;
      break;
    }
    w.bytes = BytesOf(indexes, width_ns, w.from, w.to);
  }
  std::string what;
  if (!split) {
    w.spans = {{w.from, w.to, 1}};
    what = fmt::format("{} to {}", FormatTime(w.from, 0), FormatTime(w.to, 0));
  } else {
    // The least window is still over: the lead and the incident each read the same share of
    // their bytes, from their starts (what led in, and the incident's first records).
    uint64_t lead_bytes = BytesOf(indexes, width_ns, w.from, center);
    uint64_t inc_bytes = BytesOf(indexes, width_ns, center, w.to);
    double share =
        std::min(1.0, static_cast<double>(max_bytes) /
                          static_cast<double>(std::max<uint64_t>(1, lead_bytes + inc_bytes)));
    w.spans = {{w.from, center, share}, {center, w.to, share}};
    w.bytes = static_cast<uint64_t>(share * static_cast<double>(lead_bytes + inc_bytes));
    what = fmt::format(
        "the first {:.0f}% of each file's records from {} and from the onset at {}, to {}",
        share * 100, FormatTime(w.from, 0), FormatTime(center, 0), FormatTime(w.to, 0));
  }
  w.note = fmt::format(
      "the log records are more than the {} MiB the second pass reads back: it read {} ({:.0f} "
      "MiB{}), and the detectors and the example request saw those; counts, rates, the onset "
      "and the impact cover every record",
      max_bytes >> 20, what, static_cast<double>(w.bytes) / (1 << 20),
      onset.found ? "" : "; no onset was found, so around the minute with the most errors");
  return w;
}

}  // namespace inquest
