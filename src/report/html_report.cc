#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "report/svg_timeline.h"
#include "report/svg_waterfall.h"

namespace inquest {
namespace {

constexpr std::string_view kCss = R"(
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1000px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.sub{color:#666;margin-top:0}.kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:9rem}.kpi b{display:block;font-size:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border-bottom:1px solid #eee;padding:.3rem .4rem;vertical-align:top}
th{background:#f5f5f5}code{font-size:.85em;background:#f3f3f3;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
.sev-error,.sev-critical{color:#b52b27;font-weight:600}.sev-warning{color:#a66b00;font-weight:600}.sev-info{color:#31708f}
.finding{border:1px solid #e3e3e3;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.finding p{margin:.3rem 0}.ev{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere;color:#333}
.legend span{margin-right:1rem}.q{color:#666;font-style:italic}
)";

std::string E(std::string_view s) { return HtmlEscape(s); }
std::string Clock(TimePoint t) { return t == kNoTime ? "—" : FormatClock(t, 0); }

}  // namespace

std::string HtmlReport(const Analysis& a) {
  std::string h;
  auto out = [&](std::string_view s) { h.append(s); };
  const bool onset = a.onset.found;
  out("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  out(fmt::format("<title>inquest report: {}</title>\n<style>{}</style></head><body>\n", E(a.dir),
                  kCss));
  out(fmt::format(
      "<h1>Incident report</h1><p class=\"sub\">{} evidence files in <code>{}</code>"
      "{}</p>\n",
      a.inputs.size(), E(a.dir),
      onset ? fmt::format(" · {} UTC", FormatTime(a.onset.time, 0).substr(0, 10)) : ""));

  // Key figures.
  out("<div class=\"kpis\">");
  out(fmt::format(
      "<div class=\"kpi\">Onset<b>{}</b>{}</div>", Clock(onset ? a.onset.time : kNoTime),
      onset ? fmt::format("confidence {:.0f}%", a.onset.confidence * 100) : "not found"));
  out(fmt::format("<div class=\"kpi\">Recovery<b>{}</b>{}</div>",
                  Clock(onset ? a.onset.recovery : kNoTime),
                  onset && a.onset.recovery != kNoTime
                      ? FormatDuration(a.onset.recovery - a.onset.time) + " after onset"
                      : ""));
  if (a.impact.known)
    out(fmt::format("<div class=\"kpi\">Failed requests<b>{} / {}</b>{:.1f}%</div>",
                    a.impact.failed, a.impact.total, a.impact.ratio() * 100));
  out(fmt::format("<div class=\"kpi\">Time to detect<b>{}</b>{}</div>",
                  a.first_signal >= 0 ? FormatDuration(a.time_to_detect_ns) : "—",
                  a.first_signal >= 0 ? E(a.signals[a.first_signal].name) : "no signal"));
  out(fmt::format("<div class=\"kpi\">Findings<b>{}</b>contributing-factor candidates</div>",
                  a.findings.size()));
  out("</div>\n");

  // The chart.
  const Series* chart = !a.requests.windows.empty() && a.onset_on_requests
                            ? &a.requests
                            : (a.series.empty() ? nullptr : &a.series[0]);
  if (chart) {
    TimePoint from = kNoTime, to = kNoTime;
    if (onset) {
      from = a.onset.time - kChartPaddingNs;
      to = (a.onset.recovery != kNoTime ? a.onset.recovery : a.onset.time) + kChartPaddingNs;
      for (size_t i = 0; i < a.ranked.size() && i < 3; ++i)
        if (a.ranked[i].change.time != kNoTime && a.ranked[i].change.time < from &&
            a.onset.time - a.ranked[i].change.time < 6 * kChartPaddingNs)
          from = a.ranked[i].change.time - 5 * 60 * kNanosPerSecond;
    }
    std::vector<TimelineMark> marks;
    for (const Change& c : a.changes)
      marks.push_back(
          {TimelineMark::Kind::kChange, c.time, c.ref.empty() ? c.what : c.ref,
           fmt::format("{} {} — {} ({})", FormatClock(c.time, 3), c.service, c.what, c.source)});
    for (const Signal& s : a.signals)
      marks.push_back(
          {TimelineMark::Kind::kAlert, s.time, fmt::format("{} {}", SignalKindName(s.kind), s.name),
           fmt::format("{} {} {}: {} ({})", FormatClock(s.time, 0), SignalKindName(s.kind),
                       s.status, s.summary, s.evidence.source)});
    if (onset) {
      marks.push_back({TimelineMark::Kind::kOnset, a.onset.time, "onset", a.onset.explanation});
      if (a.onset.recovery != kNoTime)
        marks.push_back(
            {TimelineMark::Kind::kRecovery, a.onset.recovery, "recovery", "back at baseline"});
    }
    SvgChartOptions o;
    o.y_label =
        a.onset_on_requests ? "failed requests, % per minute" : "error events, % per minute";
    out("<h2>Error rate, changes and alerts</h2>\n");
    out(SvgTimeline(*chart, marks, from, to, o));
    out("<p class=\"legend\"><span style=\"color:#d9534f\">■ error ratio per minute</span>"
        "<span style=\"color:#337ab7\">┆ change</span><span style=\"color:#f0ad4e\">┆ alert, "
        "page or ticket</span><span>│ onset</span><span style=\"color:#5cb85c\">│ recovery"
        "</span></p>\n");
    if (onset) out(fmt::format("<p class=\"q\">{}</p>\n", E(a.onset.explanation)));
  }

  // Ranked changes.
  out("<h2>What changed, ranked against the onset</h2>\n");
  if (a.ranked.empty()) {
    out("<p>No change records or change-like log events were found.</p>\n");
  } else {
    out("<table><tr><th>#</th><th>Time (UTC)</th><th>Service</th><th>Change</th><th>Score</th>"
        "<th>Why</th><th>Source</th></tr>\n");
    size_t n = 0;
    for (const RankedChange& r : a.ranked) {
      if (n++ >= kHtmlTopChanges) break;
      out(
          fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{:.2f}</td>"
                      "<td>{}</td><td><code>{}</code></td></tr>\n",
                      n, FormatClock(r.change.time, 3), E(r.change.service), E(r.change.what),
                      r.change.ref.empty() ? "" : " <code>" + E(r.change.ref) + "</code>", r.score,
                      E(r.reason), E(r.change.source)));
    }
    out("</table>\n");
  }

  // Findings.
  out("<h2>Contributing-factor candidates</h2>\n");
  if (a.findings.empty()) out("<p>No detector found a candidate.</p>\n");
  for (const Finding& f : a.findings) {
    std::string sev(SeverityName(f.severity));
    out(fmt::format(
        "<div class=\"finding\"><p><span class=\"sev-{0}\">{0}</span> · "
        "<code>{1}</code> · {2} UTC · confidence {3:.0f}%</p><p><b>{4}</b></p>"
        "<p>{5}</p><table><tr><th>Evidence</th><th>Excerpt</th></tr>\n",
        sev, E(f.kind), Clock(f.time), f.confidence * 100, E(f.title), E(f.explanation)));
    for (const EvidenceRef& r : f.evidence)
      out(fmt::format("<tr><td><code>{}</code></td><td class=\"ev\">{}</td></tr>\n", E(r.source),
                      E(r.excerpt)));
    out("</table></div>\n");
  }

  // The worst trace of the window, as a waterfall.
  if (a.state.traces && a.state.worst_trace >= 0) {
    const TraceSet& ts = *a.state.traces;
    Trace t = ts.traces[a.state.worst_trace];
    TraceAnalysis ta = AnalyzeTrace(ts.spans, &t, /*adjust_skew=*/false);
    out(fmt::format("<h2>Slowest trace{}: <code>{}</code>, {}</h2>\n",
                    a.onset.found ? " in the incident window" : "", E(FormatTraceId(t.id)),
                    FormatDuration(t.duration())));
    out("<div class=\"waterfall\">" + SvgWaterfall(ts.spans, t, ta) + "</div>\n");
  }

  // Detection.
  out("<h2>Detection</h2>\n<ul>\n");
  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    out(
        fmt::format("<li>First signal: {} <b>{}</b> “{}” at {} UTC, {} after the onset "
                    "(<code>{}</code>)</li>\n",
                    SignalKindName(s.kind), E(s.name), E(s.summary), Clock(s.time),
                    FormatDuration(a.time_to_detect_ns), E(s.evidence.source)));
  } else {
    out("<li>No alert, page or ticket after the onset.</li>\n");
  }
  if (a.first_alert >= 0 && a.first_alert != a.first_signal) {
    const Signal& s = a.signals[a.first_alert];
    out(fmt::format("<li>First alert: <b>{}</b> at {} UTC (<code>{}</code>)</li>\n", E(s.name),
                    Clock(s.time), E(s.evidence.source)));
  }
  out("</ul>\n");

  // Inputs.
  out("<h2>Evidence read</h2>\n<table><tr><th>File</th><th>Taken for</th><th>Format</th>"
      "<th>Records</th><th>Skipped</th><th>Why</th></tr>\n");
  for (const InputReport& r : a.inputs) {
    std::string taken(EvidenceKindName(r.kind));
    if (r.kind == EvidenceKind::kDetection)
      taken = std::string(DetectionSourceName(r.detection)) + " records";
    std::string why = r.error.ok() ? r.reason : r.error.ToString();
    for (const std::string& n : r.notes) why += "; " + n;
    out(
        fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                    "<td>{}</td></tr>\n",
                    E(r.relative), E(taken), E(r.format.empty() ? "-" : r.format), r.records,
                    r.skipped, E(why)));
  }
  out("</table>\n<p class=\"q\">Generated by inquest analyze. Excerpts are redacted (tokens, "
      "passwords, keys, cookies, e-mails, card numbers).</p>\n</body></html>\n");
  return h;
}

}  // namespace inquest
