#include "report/html_timeline.h"

#include <fmt/format.h>

#include <map>

#include "base/strings.h"

namespace inquest {
namespace {

// How a service with no name is listed among the filters.
constexpr std::string_view kNoService = "(no service)";

std::string RowTime(TimePoint t, bool one_day) {
  if (t == kNoTime) return "—";
  return one_day ? FormatClock(t, 3) : FormatTime(t, 3);
}

// A filter checkbox: hidden, toggled through its chip, checked (row shown) by default.
std::string FilterBox(std::string_view id) {
  return fmt::format("<input type=\"checkbox\" class=\"tf\" id=\"{}\" checked>", id);
}

std::string Chip(std::string_view id, std::string_view label, size_t count,
                 std::string_view extra_class) {
  return fmt::format("<label for=\"{}\" class=\"chip{}\">{} <small>{}</small></label>", id,
                     extra_class, HtmlEscape(label), count);
}

}  // namespace

HtmlSection HtmlTimeline(const ReportTimeline& tl, const std::string& command,
                         HtmlCitations* cites) {
  HtmlSection s;
  // Services (by name) and kinds present, with their row counts.
  std::map<std::string, size_t> services;
  size_t kinds[kReportRowKinds] = {};
  bool one_day = true;
  std::string day;
  for (const ReportTimelineRow& r : tl.rows) {
    ++services[r.service];
    ++kinds[static_cast<size_t>(r.kind)];
    if (r.time == kNoTime) continue;
    std::string d = FormatTime(r.time, 0).substr(0, 10);
    if (day.empty()) day = d;
    one_day = one_day && d == day;
  }
  std::map<std::string, size_t> service_index;
  for (const auto& [name, n] : services) service_index.emplace(name, service_index.size());

  std::string& h = s.html;
  h += "<h2 id=\"timeline\">Timeline</h2>\n";
  h += fmt::format(
      "<p class=\"sub\">Times in UTC{}. Change, alert, page and ticket records, the onset and "
      "recovery, the findings{} and the error and warning log records of the incident window, "
      "merged. Click a service or a kind to hide or show its rows.</p>\n",
      one_day && !day.empty() ? " on " + day : "",
      kinds[static_cast<size_t>(ReportRowKind::kDump)] +
                  kinds[static_cast<size_t>(ReportRowKind::kTrace)] >
              0
          ? ", the dumps and the slowest trace"
          : "");
  if (tl.rows.empty()) {
    h += "<p>Nothing to show: no records with a time were read.</p>\n";
    return s;
  }

  h += "<form class=\"tl\" autocomplete=\"off\">\n";
  for (const auto& [name, i] : service_index) h += FilterBox(fmt::format("tl-s{}", i));
  for (size_t k = 0; k < kReportRowKinds; ++k)
    if (kinds[k] > 0) h += FilterBox(fmt::format("tl-k{}", k));
  h += "\n<div class=\"chips\"><span class=\"chl\">Service</span>";
  for (const auto& [name, i] : service_index)
    h += Chip(fmt::format("tl-s{}", i), name.empty() ? kNoService : name, services[name], "");
  h += "</div>\n<div class=\"chips\"><span class=\"chl\">Kind</span>";
  for (size_t k = 0; k < kReportRowKinds; ++k)
    if (kinds[k] > 0)
      h += Chip(fmt::format("tl-k{}", k), ReportRowKindName(static_cast<ReportRowKind>(k)),
                kinds[k], fmt::format(" kd kd{}", k));
  h += "<input type=\"reset\" value=\"Show all\"></div>\n";

  h += "<table class=\"tlt\"><thead><tr><th>Time</th><th>Service</th><th>Kind</th><th>What</th>"
       "<th>Source</th></tr></thead><tbody>\n";
  for (const ReportTimelineRow& r : tl.rows) {
    const size_t k = static_cast<size_t>(r.kind);
    std::string_view kind = ReportRowKindName(r.kind);
    std::string source = cites->Link(r.source);
    if (r.finding >= 0)
      source += fmt::format(" <a class=\"more\" href=\"#finding-{}\">{}</a>", r.finding,
                            r.more_sources > 0 ? fmt::format("+{} more", r.more_sources)
                                               : std::string("the finding"));
    h += fmt::format(
        "<tr class=\"r s{} k{}\" data-service=\"{}\" data-kind=\"{}\"><td class=\"t\">{}</td>"
        "<td>{}</td><td><span class=\"kd kd{}\">{}</span></td><td>{}</td><td>{}</td></tr>\n",
        service_index[r.service], k, HtmlEscape(r.service), kind, RowTime(r.time, one_day),
        r.service.empty() ? "—" : HtmlEscape(r.service), k, kind, HtmlEscape(r.summary), source);
  }
  h += "</tbody></table>\n";
  h += fmt::format("<p class=\"tlc\"><span class=\"tln\"></span> of {} rows shown</p>\n</form>\n",
                   tl.rows.size());
  if (tl.logs_not_shown() > 0)
    h += fmt::format(
        "<p class=\"q\">The incident window holds {} error and warning log records; the table "
        "shows the first of each message per service ({}). {} more are not shown; "
        "<code>{}</code> lists them.</p>\n",
        tl.logs_in_window, tl.logs_shown, tl.logs_not_shown(), HtmlEscape(command));

  // The filter rules: an unchecked box hides its rows and dims its chip.
  for (const auto& [name, i] : service_index)
    s.css += fmt::format(
        "#tl-s{0}:not(:checked)~table tr.s{0}{{display:none}}"
        "#tl-s{0}:not(:checked)~.chips label[for=tl-s{0}]{{opacity:.45;"
        "text-decoration:line-through}}\n",
        i);
  for (size_t k = 0; k < kReportRowKinds; ++k)
    if (kinds[k] > 0)
      s.css += fmt::format(
          "#tl-k{0}:not(:checked)~table tr.k{0}{{display:none}}"
          "#tl-k{0}:not(:checked)~.chips label[for=tl-k{0}]{{opacity:.45;"
          "text-decoration:line-through}}\n",
          k);
  return s;
}

}  // namespace inquest
