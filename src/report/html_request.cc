#include "report/html_request.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {

std::string HtmlExampleRequest(const Analysis& a, HtmlCitations* cites) {
  const RequestTimeline& rq = a.example;
  std::string h = "<h2 id=\"request\">One failed request, rebuilt</h2>\n";
  if (rq.steps.empty()) {
    h += "<p>No failed request could be followed across the logs (no request ids, or no "
         "failed request in the incident window).</p>\n";
    return h;
  }
  std::string services;
  for (const std::string& s : rq.services)
    services += (services.empty() ? "" : " → ") + HtmlEscape(s);
  h += fmt::format(
      "<p class=\"sub\">Request <code>{}</code>: {} events across {} in {}; {} wait{} of {} or "
      "more (marked). Times in UTC.</p>\n",
      HtmlEscape(rq.id), rq.steps.size(), services, FormatDuration(rq.duration_ns()),
      rq.slow_gaps(), rq.slow_gaps() == 1 ? "" : "s", FormatDuration(kSlowGapNs));
  h += "<table class=\"req\"><thead><tr><th>#</th><th>Time</th><th>Wait</th><th>Service</th>"
       "<th>Level</th><th>Event</th><th>Source</th></tr></thead><tbody>\n";
  size_t n = 0;
  for (const RequestStep& s : rq.steps) {
    const Event& e = *s.event;
    ++n;
    h += fmt::format(
        "<tr{}><td>{}</td><td class=\"t\">{}</td><td class=\"gap\">{}{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        s.slow ? " class=\"slow\"" : "", n, e.time == kNoTime ? "—" : FormatClock(e.time, 3),
        n == 1 ? "" : "+" + FormatDuration(s.gap_ns), s.slow ? " <b>slow</b>" : "",
        HtmlEscape(ServiceOf(a.detector_input, e)), LevelName(e.level),
        HtmlEscape(Excerpt(e.message.empty() ? e.raw : e.message)),
        cites->Link(SourceOf(a.detector_input, e)));
  }
  h += "</tbody></table>\n";
  return h;
}

}  // namespace inquest
