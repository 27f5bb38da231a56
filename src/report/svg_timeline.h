// An SVG chart of a windowed error rate with changes and alerts marked on the same time axis.
// Self-contained (no scripts, no fonts fetched); titles on marks give details on hover.
#ifndef INQUEST_REPORT_SVG_TIMELINE_H_
#define INQUEST_REPORT_SVG_TIMELINE_H_

#include <string>
#include <vector>

#include "base/time.h"
#include "timeline/rate.h"

namespace inquest {

struct TimelineMark {
  enum class Kind : uint8_t { kChange, kAlert, kOnset, kRecovery };
  Kind kind = Kind::kChange;
  TimePoint time = kNoTime;
  std::string label;   // short, drawn next to the mark
  std::string detail;  // the hover title
};

struct SvgChartOptions {
  int width = 960;
  int height = 320;
  std::string y_label = "error ratio";
};

// Draws series.windows' error ratio as bars from `from` to `to` (kNoTime: the series' span)
// and the marks within that span as vertical lines (changes below, alerts above).
std::string SvgTimeline(const Series& series, const std::vector<TimelineMark>& marks,
                        TimePoint from, TimePoint to, const SvgChartOptions& opts = {});

}  // namespace inquest

#endif  // INQUEST_REPORT_SVG_TIMELINE_H_
