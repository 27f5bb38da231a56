// The rebuilt example request in report.html: one failed request's events across services, in
// time order, with the wait before each and the slow waits marked (timeline/correlate.h).
#ifndef INQUEST_REPORT_HTML_REQUEST_H_
#define INQUEST_REPORT_HTML_REQUEST_H_

#include <string>

#include "analyze/analysis.h"
#include "report/html_citations.h"

namespace inquest {

// The section, <h2 id="request"> on: a table of Analysis::example's steps (time, wait since
// the previous step, service, level, the event's words, source), slow waits class "slow"; or a
// line saying no failed request could be rebuilt.
std::string HtmlExampleRequest(const Analysis& a, HtmlCitations* cites);

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_REQUEST_H_
