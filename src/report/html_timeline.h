// The merged timeline section of report.html: a table of ReportTimeline rows that can be
// filtered by service and by kind without a script. Each service and kind is a checkbox (hidden,
// toggled through its label, a "chip"); CSS rules generated for the page hide the rows of an
// unchecked one (`#tl-s3:not(:checked) ~ table tr.s3 {display:none}`), and a reset button
// shows everything again. A CSS counter says how many rows are shown.
#ifndef INQUEST_REPORT_HTML_TIMELINE_H_
#define INQUEST_REPORT_HTML_TIMELINE_H_

#include <string>

#include "report/html_citations.h"
#include "report/report_timeline.h"

namespace inquest {

struct HtmlSection {
  std::string html;
  std::string css;  // rules this section needs in the page's <style>
};

// The section, <h2 id="timeline"> on. `command` is the `inquest timeline` command line that
// lists the records the table leaves out (shown when tl.logs_not_shown() > 0). Rows carry
// classes "s<i>" (service i) and "k<j>" (ReportRowKind j), and data-service / data-kind.
HtmlSection HtmlTimeline(const ReportTimeline& tl, const std::string& command,
                         HtmlCitations* cites);

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_TIMELINE_H_
