// report.html: one self-contained page (inline CSS and SVG; no scripts, no network, and a
// Content-Security-Policy that allows neither) with the error rate, the changes and the alerts
// on one time axis, the ranked changes, the findings with their evidence, the proposed action
// items, the merged timeline (filterable by service and kind), one failed request rebuilt, what
// each input file was taken for, and an excerpt of every cited "file:line", each citation a
// link to it (html_citations.h).
#ifndef INQUEST_REPORT_HTML_REPORT_H_
#define INQUEST_REPORT_HTML_REPORT_H_

#include "analyze/analysis.h"
#include "base/output.h"
#include "postmortem/draft_model.h"

namespace inquest {

// How much time around the incident the chart shows, before the onset and after recovery:
// enough to see the baseline and the changes that preceded it (the primer's trigger came
// 9 minutes before).
inline constexpr int64_t kChartPaddingNs = 20 * 60 * kNanosPerSecond;
// Ranked changes listed in the report.
inline constexpr size_t kHtmlTopChanges = 15;

// `draft` is the post-mortem draft whose proposed action items the page lists; null when no
// draft was made (the section says so). The excerpts are read from the bundle's files
// (a.inputs) while the page is written. The page passes the output boundary as a whole
// (RedactHtml): every text and attribute value in it is redacted.
Redacted HtmlReport(const Analysis& a, const DraftModel* draft = nullptr);

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_REPORT_H_
