#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "report/html_actions.h"
#include "report/html_citations.h"
#include "report/html_request.h"
#include "report/html_timeline.h"
#include "report/report_timeline.h"
#include "report/svg_timeline.h"
#include "report/svg_waterfall.h"

namespace inquest {
namespace {

constexpr std::string_view kCss = R"(
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.sub{color:#666;margin-top:0}.kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:9rem}.kpi b{display:block;font-size:1.2rem}
nav.toc{font-size:.9rem;margin:.5rem 0}nav.toc a{margin-right:1rem}
a{color:#1f5f99}a.cite{text-decoration:none}a.cite code{background:#e8f0f8;color:#1f5f99;white-space:nowrap;overflow-wrap:normal}a.cite:hover code{text-decoration:underline}
code.cite-none{color:#777;border-bottom:1px dotted #999;cursor:help}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border-bottom:1px solid #eee;padding:.3rem .4rem;vertical-align:top}
th{background:#f5f5f5}code{font-size:.85em;background:#f3f3f3;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
.sev-error,.sev-critical{color:#b52b27;font-weight:600}.sev-warning{color:#a66b00;font-weight:600}.sev-info{color:#31708f}
.finding{border:1px solid #e3e3e3;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}.finding:target{border-color:#f0ad4e;box-shadow:0 0 0 2px #fbe3bd}
.finding p{margin:.3rem 0}.ev{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere;color:#333}
.legend span{margin-right:1rem}.q{color:#666;font-style:italic}.tbd{color:#8a6d3b;font-style:italic}
.tf{position:absolute;opacity:0;pointer-events:none}
.chips{margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}.chl{color:#666;font-size:.85rem;min-width:4rem}
.chip{border:1px solid #ccc;border-radius:1rem;padding:.05rem .6rem;font-size:.85rem;cursor:pointer;user-select:none;background:#fff}
.chip small{color:#888}.chips input[type=reset]{font-size:.8rem;margin-left:.5rem;cursor:pointer}
form.tl{counter-reset:tlrows}tr.r{counter-increment:tlrows}.tln::before{content:counter(tlrows)}.tlc{color:#666;font-size:.85rem}
.tlt td:nth-child(4){overflow-wrap:anywhere}.tlt tr.k6 td,.tlt tr.k7 td{font-weight:600;background:#fafafa}
.kd{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.8rem;white-space:nowrap;background:#eee}
.kd0{background:#dbe8f5}.kd1{background:#eaf1f8}.kd2{background:#fde7c8}.kd3{background:#f9d3c0}.kd4{background:#e6dcf3}.kd5{background:#efe8f7}
.kd6{background:#ddd}.kd7{background:#d7efd7}.kd8{background:#f6d5d4}.kd9{background:#f0f0f0}.kd10{background:#eadccb}.kd11{background:#d5eeee}
a.more{font-size:.8rem;white-space:nowrap}
tr.slow td{background:#fdf1e4}tr.slow td.gap{color:#b52b27}
.excerpt{border:1px solid #e3e3e3;border-radius:6px;margin:.6rem 0;overflow:hidden}.excerpt:target{border-color:#f0ad4e;box-shadow:0 0 0 2px #fbe3bd}
.exh{background:#f7f7f7;padding:.2rem .6rem;font-size:.85rem}
.exl{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.78rem;padding:.2rem 0}
.l{display:flex;min-height:1.2em}.l .ln{flex:0 0 4.5rem;text-align:right;padding-right:.8rem;color:#999;user-select:none}
.l .lt{white-space:pre-wrap;overflow-wrap:anywhere;padding-right:.6rem}.l.hl{background:#fff3c4}.l.hl .ln{color:#8a6d3b;font-weight:600}
.flame{overflow-x:auto;border:1px solid #e3e3e3;border-radius:6px}.flame svg{display:block;max-width:100%;height:auto}
)";

// No network and no script: the page loads nothing and runs nothing; its styles are inline.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

std::string Esc(std::string_view s) { return HtmlEscape(s); }
std::string ClockOrDash(TimePoint t) { return t == kNoTime ? "—" : FormatClock(t, 0); }

std::string KeyFigures(const Analysis& a) {
  const bool onset = a.onset.found;
  std::string h = "<div class=\"kpis\">";
  h += fmt::format(
      "<div class=\"kpi\">Onset<b>{}</b>{}</div>", ClockOrDash(onset ? a.onset.time : kNoTime),
      onset ? fmt::format("confidence {:.0f}%", a.onset.confidence * 100) : "not found");
  h += fmt::format("<div class=\"kpi\">Recovery<b>{}</b>{}</div>",
                   ClockOrDash(onset ? a.onset.recovery : kNoTime),
                   onset && a.onset.recovery != kNoTime
                       ? FormatDuration(a.onset.recovery - a.onset.time) + " after onset"
                       : "");
  if (a.impact.known)
    h += fmt::format("<div class=\"kpi\">Failed requests<b>{} / {}</b>{:.1f}%</div>",
                     a.impact.failed, a.impact.total, a.impact.ratio() * 100);
  h += fmt::format("<div class=\"kpi\">Time to detect<b>{}</b>{}</div>",
                   a.first_signal >= 0 ? FormatDuration(a.time_to_detect_ns) : "—",
                   a.first_signal >= 0 ? Esc(a.signals[a.first_signal].name) : "no signal");
  h += fmt::format("<div class=\"kpi\">Findings<b>{}</b>contributing-factor candidates</div>",
                   a.findings.size());
  return h + "</div>\n";
}

std::string Chart(const Analysis& a) {
  const bool onset = a.onset.found;
  const Series* chart = !a.requests.windows.empty() && a.onset_on_requests
                            ? &a.requests
                            : (a.series.empty() ? nullptr : &a.series[0]);
  if (!chart) return "";
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
    marks.push_back({TimelineMark::Kind::kAlert, s.time,
                     fmt::format("{} {}", SignalKindName(s.kind), s.name),
                     fmt::format("{} {} {}: {} ({})", FormatClock(s.time, 0),
                                 SignalKindName(s.kind), s.status, s.summary, s.evidence.source)});
  if (onset) {
    marks.push_back({TimelineMark::Kind::kOnset, a.onset.time, "onset", a.onset.explanation});
    if (a.onset.recovery != kNoTime)
      marks.push_back(
          {TimelineMark::Kind::kRecovery, a.onset.recovery, "recovery", "back at baseline"});
  }
  SvgChartOptions o;
  o.y_label = a.onset_on_requests ? "failed requests, % per minute" : "error events, % per minute";
  std::string h = "<h2>Error rate, changes and alerts</h2>\n";
  h += SvgTimeline(*chart, marks, from, to, o);
  h += "<p class=\"legend\"><span style=\"color:#d9534f\">■ error ratio per minute</span>"
       "<span style=\"color:#337ab7\">┆ change</span><span style=\"color:#f0ad4e\">┆ alert, "
       "page or ticket</span><span>│ onset</span><span style=\"color:#5cb85c\">│ recovery"
       "</span></p>\n";
  if (onset) h += fmt::format("<p class=\"q\">{}</p>\n", Esc(a.onset.explanation));
  return h;
}

std::string RankedChanges(const Analysis& a, HtmlCitations* cites) {
  std::string h = "<h2 id=\"changes\">What changed, ranked against the onset</h2>\n";
  if (a.ranked.empty())
    return h + "<p>No change records or change-like log events were found.</p>\n";
  h += "<table><tr><th>#</th><th>Time (UTC)</th><th>Service</th><th>Change</th><th>Score</th>"
       "<th>Why</th><th>Source</th></tr>\n";
  size_t n = 0;
  for (const RankedChange& r : a.ranked) {
    if (n++ >= kHtmlTopChanges) break;
    h += fmt::format(
        "<tr><td>{}</td><td class=\"t\">{}</td><td>{}</td><td>{}{}</td><td>{:.2f}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        n, FormatClock(r.change.time, 3), Esc(r.change.service), Esc(r.change.what),
        r.change.ref.empty() ? "" : " <code>" + Esc(r.change.ref) + "</code>", r.score,
        Esc(r.reason), cites->Link(r.change.source));
  }
  return h + "</table>\n";
}

std::string Findings(const Analysis& a, HtmlCitations* cites) {
  std::string h = "<h2 id=\"findings\">Contributing-factor candidates</h2>\n";
  if (a.findings.empty()) h += "<p>No detector found a candidate.</p>\n";
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    std::string sev(SeverityName(f.severity));
    h += fmt::format(
        "<div class=\"finding\" id=\"finding-{0}\"><p><span class=\"sev-{1}\">{1}</span> · "
        "<code>{2}</code> · {3} UTC · confidence {4:.0f}%</p><p><b>{5}</b></p>"
        "<p>{6}</p><table><tr><th>Evidence</th><th>Excerpt</th></tr>\n",
        i, sev, Esc(f.kind), ClockOrDash(f.time), f.confidence * 100, Esc(f.title),
        Esc(f.explanation));
    for (const EvidenceRef& r : f.evidence)
      h += fmt::format("<tr><td>{}</td><td class=\"ev\">{}</td></tr>\n", cites->Link(r.source),
                       Esc(r.excerpt));
    h += "</table></div>\n";
  }
  return h;
}

std::string Detection(const Analysis& a, HtmlCitations* cites) {
  std::string h = "<h2 id=\"detection\">Detection</h2>\n<ul>\n";
  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    h +=
        fmt::format("<li>First signal: {} <b>{}</b> “{}” at {} UTC, {} after the onset ({})</li>\n",
                    SignalKindName(s.kind), Esc(s.name), Esc(s.summary), ClockOrDash(s.time),
                    FormatDuration(a.time_to_detect_ns), cites->Link(s.evidence.source));
  } else {
    h += "<li>No alert, page or ticket after the onset.</li>\n";
  }
  if (a.first_alert >= 0 && a.first_alert != a.first_signal) {
    const Signal& s = a.signals[a.first_alert];
    h += fmt::format("<li>First alert: <b>{}</b> at {} UTC ({})</li>\n", Esc(s.name),
                     ClockOrDash(s.time), cites->Link(s.evidence.source));
  }
  return h + "</ul>\n";
}

std::string Waterfall(const Analysis& a) {
  if (!a.state.traces || a.state.worst_trace < 0) return "";
  const TraceSet& ts = *a.state.traces;
  Trace t = ts.traces[a.state.worst_trace];
  TraceAnalysis ta = AnalyzeTrace(ts.spans, &t, /*adjust_skew=*/false);
  return fmt::format("<h2>Slowest trace{}: <code>{}</code>, {}</h2>\n",
                     a.onset.found ? " in the incident window" : "", Esc(FormatTraceId(t.id)),
                     FormatDuration(t.duration())) +
         "<div class=\"waterfall\">" + SvgWaterfall(ts.spans, t, ta) + "</div>\n";
}

// The flame graphs of the bundle's profiles and snapshots, each an inline SVG whose rectangles
// carry their tooltips (no script).
std::string FlameGraphs(const Analysis& a) {
  if (a.state.flame_graphs.empty()) return "";
  std::string h = "<h2 id=\"profiles\">Profiles</h2>\n";
  for (const FlameSvg& f : a.state.flame_graphs)
    h += fmt::format("<h3>Flame graph: {}</h3>\n<div class=\"flame\">{}</div>\n", Esc(f.title),
                     f.svg);
  return h;
}

std::string Inputs(const Analysis& a) {
  std::string h =
      "<h2 id=\"inputs\">Evidence read</h2>\n<table><tr><th>File</th><th>Taken for</th>"
      "<th>Format</th><th>Records</th><th>Skipped</th><th>Why</th></tr>\n";
  for (const InputReport& r : a.inputs) {
    std::string taken(EvidenceKindName(r.kind));
    if (r.kind == EvidenceKind::kDetection)
      taken = std::string(DetectionSourceName(r.detection)) + " records";
    std::string why = r.error.ok() ? r.reason : r.error.ToString();
    for (const std::string& n : r.notes) why += "; " + n;
    h += fmt::format(
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        Esc(r.relative), Esc(taken), Esc(r.format.empty() ? "-" : r.format), r.records, r.skipped,
        Esc(why));
  }
  return h + "</table>\n";
}

// `inquest timeline` over the incident window at warn and above: what the timeline table
// leaves out.
std::string TimelineCommand(const Analysis& a, const ReportTimeline& tl) {
  std::string cmd = "inquest timeline " + a.dir;
  if (tl.logs_from != kNoTime) cmd += " --since " + FormatTime(tl.logs_from, 0);
  if (tl.logs_to != kNoTime) cmd += " --until " + FormatTime(tl.logs_to, 0);
  return cmd + " --level warn";
}

// The sections that cite evidence, in page order.
struct CitingSections {
  std::string changes, findings, actions, request, detection;
  HtmlSection timeline;
};

CitingSections RenderCitingSections(const Analysis& a, const DraftModel* draft,
                                    const ReportTimeline& tl, HtmlCitations* cites) {
  CitingSections s;
  s.changes = RankedChanges(a, cites);
  s.findings = Findings(a, cites);
  s.actions = HtmlActionItems(draft, cites);
  s.timeline = HtmlTimeline(tl, TimelineCommand(a, tl), cites);
  s.request = HtmlExampleRequest(a, cites);
  s.detection = Detection(a, cites);
  return s;
}

}  // namespace

Redacted HtmlReport(const Analysis& a, const DraftModel* draft) {
  ReportTimeline tl = BuildReportTimeline(a);
  // Twice: the first rendering records every citation in page order (the excerpt cap keeps
  // the first ones), the second links them to the excerpts read in between.
  HtmlCitations cites(OpenBundleFile(a.inputs));
  cites.SetLineStarts([&a](const std::string& relative, uint64_t line) {
    LineStart start;
    auto it = a.line_starts.find(relative);
    if (it == a.line_starts.end()) return start;
    // The latest known start at or before `line`.
    auto after = std::upper_bound(it->second.begin(), it->second.end(),
                                  std::pair<uint64_t, uint64_t>{line, UINT64_MAX});
    if (after != it->second.begin()) start = {std::prev(after)->second, std::prev(after)->first};
    return start;
  });
  cites.SetHeldLines([&a](const std::string& relative) -> const std::vector<HeldLines>* {
    auto it = a.held_lines.find(relative);
    return it == a.held_lines.end() ? nullptr : &it->second;
  });
  (void)RenderCitingSections(a, draft, tl, &cites);
  cites.Read();
  CitingSections s = RenderCitingSections(a, draft, tl, &cites);

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                   kContentSecurityPolicy);
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<title>inquest report: {}</title>\n<style>{}{}</style></head><body>\n",
                   Esc(a.dir), kCss, s.timeline.css);
  h += fmt::format(
      "<h1>Incident report</h1><p class=\"sub\">{} evidence files in <code>{}</code>{}</p>\n",
      a.inputs.size(), Esc(a.dir),
      a.onset.found ? fmt::format(" · {} UTC", FormatTime(a.onset.time, 0).substr(0, 10)) : "");
  h += "<nav class=\"toc\"><a href=\"#changes\">Changes</a><a href=\"#findings\">Findings</a>"
       "<a href=\"#actions\">Action items</a><a href=\"#timeline\">Timeline</a>"
       "<a href=\"#request\">A failed request</a><a href=\"#detection\">Detection</a>"
       "<a href=\"#inputs\">Evidence read</a><a href=\"#excerpts\">Cited lines</a></nav>\n";
  h += KeyFigures(a);
  h += Chart(a);
  h += s.changes;
  h += s.findings;
  h += s.actions;
  h += s.timeline.html;
  h += s.request;
  h += Waterfall(a);
  h += FlameGraphs(a);
  h += s.detection;
  h += Inputs(a);
  h += cites.ExcerptsSection();
  h += RedactionEnabled()
           ? "<p class=\"q\">Generated by inquest analyze. Text from the evidence is redacted "
             "(tokens, passwords, keys, cookies, e-mails, card numbers; docs/SECURITY.md).</p>\n"
           : "<p class=\"q\">Generated by inquest analyze with --no-redact: secrets in the "
             "evidence are shown as they are.</p>\n";
  h += "</body></html>\n";
  return RedactHtml(h);
}

}  // namespace inquest
