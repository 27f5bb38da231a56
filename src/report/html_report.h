// report.html: one self-contained page (inline CSS and SVG; no scripts, no network) with the
// error rate, the changes and the alerts on one time axis, the ranked changes, the findings
// with their evidence, and what each input file was taken for.
#ifndef INQUEST_REPORT_HTML_REPORT_H_
#define INQUEST_REPORT_HTML_REPORT_H_

#include <string>

#include "analyze/analysis.h"

namespace inquest {

// How much time around the incident the chart shows, before the onset and after recovery:
// enough to see the baseline and the changes that preceded it (the primer's trigger came
// 9 minutes before).
inline constexpr int64_t kChartPaddingNs = 20 * 60 * kNanosPerSecond;
// Ranked changes listed in the report.
inline constexpr size_t kHtmlTopChanges = 15;

std::string HtmlReport(const Analysis& a);

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_REPORT_H_
