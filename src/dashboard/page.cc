#include "dashboard/page.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "base/time.h"
#include "dashboard/svg_bars.h"

namespace inquest::dashboard {
namespace {

using store::ActionStatus;

constexpr ActionStatus kStatuses[] = {ActionStatus::kOpen, ActionStatus::kInProgress,
                                      ActionStatus::kDone, ActionStatus::kWontDo};

constexpr std::string_view kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6475;margin:0 0 16px}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.figure{border:1px solid #d5dae3;border-radius:6px;padding:8px 14px;min-width:120px}
.figure b{display:block;font-size:22px}.figure.bad{border-color:#c62828;background:#fdecea}
.figure.warn{border-color:#ef6c00;background:#fff4e5}
table{border-collapse:collapse;margin:6px 0}th,td{border-bottom:1px solid #e3e7ee;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f5f9;font-weight:600}
td.num{text-align:right;white-space:nowrap}td.date{white-space:nowrap}
tr.overdue td{background:#fdecea}tr.decaying td{background:#fff4e5}
.flag{display:inline-block;white-space:nowrap;border-radius:3px;padding:0 5px;margin:1px 2px 1px 0;font-size:12px;
background:#e8ebf2}.flag.bad{background:#c62828;color:#fff}.flag.warn{background:#ef6c00;color:#fff}
.notice{padding:6px 10px;border-radius:4px;background:#e8f5e9}.notice.error{background:#fdecea}
.charts{display:flex;flex-wrap:wrap;gap:28px}.chart h3{font-size:14px;margin:6px 0}
svg.bars text{font:12px system-ui,sans-serif;fill:#1d2330}svg.bars rect.bar{fill:#3f6fb5}
svg.bars rect.bar.warn{fill:#ef6c00}svg.bars rect.bar.bad{fill:#c62828}
.note{color:#5b6475;font-size:12px;max-width:60em}
)";

std::string E(std::string_view s) { return HtmlEscape(SanitizeUtf8(s)); }

std::string Date(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0).substr(0, 10); }

// Only web links become links; anything else is shown as text.
std::string TicketCell(const std::string& url) {
  if (url.empty()) return R"(<span class="flag warn">no ticket</span>)";
  if (StartsWithIgnoreCase(url, "https://") || StartsWithIgnoreCase(url, "http://"))
    return fmt::format(R"(<a href="{0}" rel="noreferrer noopener">{0}</a>)", E(url));
  return E(url);
}

std::string StatusCell(const ItemView& v, bool allow_writes) {
  std::string_view current = store::ActionStatusName(v.item.status);
  if (!allow_writes) return E(current);
  std::string out = fmt::format(
      R"(<input type="hidden" name="was-{0}" value="{1}" form="status-form">)"
      R"(<select name="status-{0}" form="status-form" aria-label="status of item {0}">)",
      v.item.id, E(current));
  for (ActionStatus s : kStatuses) {
    std::string_view name = store::ActionStatusName(s);
    out += fmt::format(R"(<option value="{0}"{1}>{0}</option>)", E(name),
                       s == v.item.status ? " selected" : "");
  }
  return out + "</select>";
}

std::string Figure(std::string_view label, std::string value, std::string_view cls) {
  return fmt::format(R"(<div class="figure{}"><b>{}</b>{}</div>)",
                     cls.empty() ? "" : fmt::format(" {}", cls), value, label);
}

void OpenItems(const Summary& s, const PageOptions& o, std::string* out) {
  *out += fmt::format(R"(<h2 id="open-items">Open action items ({})</h2>)", s.open_items.size());
  if (s.open_items.empty()) {
    *out += "<p>No open action items.</p>";
    return;
  }
  if (o.allow_writes)
    *out +=
        fmt::format(R"(<form id="status-form" method="post" action="{}"></form>)", kStatusFormPath);
  *out +=
      "<table id=\"items\"><thead><tr><th>ID</th><th>Incident</th><th>Action</th><th>Owner</th>"
      "<th>Class</th><th>Due</th><th>Status</th><th>Age</th><th>Idle</th><th>Flags</th>"
      "<th>Ticket</th></tr></thead><tbody>";
  for (const ItemView& v : s.open_items) {
    const store::ActionItem& it = v.item;
    std::string flags;
    if (v.overdue)
      flags += fmt::format(R"(<span class="flag bad">overdue {} d</span>)", v.days_overdue);
    if (v.decaying) flags += fmt::format(R"(<span class="flag warn">silent decay</span>)");
    if (it.owner.empty()) flags += R"(<span class="flag warn">no owner</span>)";
    if (it.due == kNoTime) flags += R"(<span class="flag warn">no due date</span>)";
    std::string incident = v.incident_title.empty()
                               ? std::string()
                               : E(v.incident_title) + (v.sev.empty() ? "" : " (" + E(v.sev) + ")");
    *out += fmt::format(
        R"(<tr id="item-{0}" class="{1}" data-status="{2}"><td class="num">{0}</td><td>{3}</td>)"
        R"(<td class="action">{4}</td><td>{5}</td><td>{6}</td><td class="date">{7}</td><td>{8}</td>)"
        R"(<td class="num">{9} d</td><td class="num">{10} d</td><td>{11}</td><td>{12}</td></tr>)",
        it.id, v.overdue ? "overdue" : (v.decaying ? "decaying" : ""),
        E(store::ActionStatusName(it.status)), incident, E(it.action), E(it.owner),
        E(store::ActionClassName(it.action_class)), Date(it.due), StatusCell(v, o.allow_writes),
        v.age_days, v.idle_days, flags, TicketCell(it.ticket_url));
  }
  *out += "</tbody></table>";
  if (o.allow_writes)
    *out += R"(<p><label>Token <input type="password" name="token" form="status-form" )"
            R"(autocomplete="current-password" required></label> )"
            R"(<button type="submit" form="status-form">Save status changes</button></p>)";
  *out += fmt::format(
      R"(<p class="note">Silent decay: no status change for {} days or more (the primer's )"
      R"(two-week review). Age and idle time are whole days.</p>)",
      s.options.decay_days);
}

std::string SevName(const std::string& sev) { return sev.empty() ? "unknown" : sev; }

std::string Stat(const store::DurationStats& d, int64_t store::DurationStats::*field) {
  return d.n == 0 ? "\u2013" : HumanDuration(d.*field);
}

void Incidents(const Summary& s, std::string* out) {
  const store::Metrics& m = s.metrics;
  *out += R"(<h2 id="incidents">Incidents by SEV</h2><div class="charts">)";
  std::vector<Bar> count, ttd, ttr;
  for (const store::SevMetrics& r : m.per_sev) {
    count.push_back({SevName(r.sev), static_cast<double>(r.incidents),
                     fmt::format("{} incident{}", r.incidents, r.incidents == 1 ? "" : "s"), ""});
    if (r.ttd.n > 0)
      ttd.push_back(
          {SevName(r.sev), static_cast<double>(r.ttd.median), HumanDuration(r.ttd.median), ""});
    if (r.ttr.n > 0)
      ttr.push_back(
          {SevName(r.sev), static_cast<double>(r.ttr.median), HumanDuration(r.ttr.median), ""});
  }
  *out += R"(<div class="chart"><h3>Incidents per SEV</h3>)" +
          SvgBars(count, {.title = "Incidents per SEV", .width = 420}) + "</div>";
  *out += R"(<div class="chart"><h3>Median time to detect</h3>)" +
          SvgBars(ttd, {.title = "Median time to detect per SEV", .width = 420}) + "</div>";
  *out += R"(<div class="chart"><h3>Median time to recover</h3>)" +
          SvgBars(ttr, {.title = "Median time to recover per SEV", .width = 420}) + "</div>";
  *out += "</div>";
  *out +=
      "<table id=\"sev\"><thead><tr><th>SEV</th><th>Incidents</th><th>Detect median</th>"
      "<th>Detect p90</th><th>Detect mean</th><th>Recover median</th><th>Recover p90</th>"
      "<th>Recover mean</th></tr></thead><tbody>";
  using D = store::DurationStats;
  for (const store::SevMetrics& r : m.per_sev)
    *out += fmt::format(
        R"(<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td></tr>)",
        E(SevName(r.sev)), r.incidents, Stat(r.ttd, &D::median), Stat(r.ttd, &D::p90),
        Stat(r.ttd, &D::mean), Stat(r.ttr, &D::median), Stat(r.ttr, &D::p90),
        Stat(r.ttr, &D::mean));
  *out += fmt::format(R"(</tbody></table><p class="note">{}</p>)", E(store::kMeanNote));
  *out +=
      "<table id=\"incident-list\"><thead><tr><th>Started</th><th>SEV</th><th>Incident</th>"
      "<th>Trigger</th><th>Open items</th></tr></thead><tbody>";
  for (const IncidentView& v : s.incidents)
    *out += fmt::format(
        R"(<tr><td class="date">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{} of {}</td></tr>)",
        Date(v.incident.started), E(v.incident.sev), E(v.incident.title),
        E(v.incident.trigger_category), v.items.open, v.items.total);
  *out += "</tbody></table>";
}

void Metrics(const Summary& s, std::string* out) {
  const store::Metrics& m = s.metrics;
  *out += R"(<h2 id="metrics">Action-item metrics</h2><div class="charts">)";
  std::vector<Bar> status;
  for (ActionStatus st : kStatuses) {
    auto it = s.by_status.find(st);
    int n = it == s.by_status.end() ? 0 : it->second;
    status.push_back(
        {std::string(store::ActionStatusName(st)), static_cast<double>(n), std::to_string(n), ""});
  }
  *out += R"(<div class="chart"><h3>Items by status</h3>)" +
          SvgBars(status, {.title = "Action items by status", .width = 420}) + "</div>";
  std::vector<Bar> classes;
  for (store::ActionClass c : {store::ActionClass::kPrevent, store::ActionClass::kDetect,
                               store::ActionClass::kMitigate, store::ActionClass::kUnknown}) {
    auto it = m.balance.find(c);
    int n = it == m.balance.end() ? 0 : it->second;
    bool missing = c != store::ActionClass::kUnknown && n == 0;
    std::string_view name = store::ActionClassName(c);
    classes.push_back({name.empty() ? "unclassified" : std::string(name), static_cast<double>(n),
                       missing ? "0 (missing)" : std::to_string(n), missing ? "bad" : ""});
  }
  *out += R"(<div class="chart"><h3>Prevent / detect / mitigate (items of incidents)</h3>)" +
          SvgBars(classes, {.title = "Action items by class", .width = 420}) + "</div>";
  std::vector<Bar> triggers;
  for (const auto& [t, n] : m.triggers)
    triggers.push_back({t.empty() ? "unknown" : t, static_cast<double>(n), std::to_string(n), ""});
  *out += R"(<div class="chart"><h3>Trigger categories</h3>)" +
          SvgBars(triggers, {.title = "Incidents by trigger category", .width = 420}) + "</div>";
  *out += "</div>";
}

}  // namespace

std::string HumanDuration(int64_t nanos) {
  int64_t s = nanos / kNanosPerSecond;
  if (s < 60) return fmt::format("{} s", s);
  int64_t m = s / 60;
  if (m < 60) return fmt::format("{} min", m);
  int64_t h = m / 60;
  if (h < 24) return m % 60 ? fmt::format("{} h {} min", h, m % 60) : fmt::format("{} h", h);
  int64_t d = h / 24;
  return h % 24 ? fmt::format("{} d {} h", d, h % 24) : fmt::format("{} d", d);
}

std::string RenderPage(const Summary& s, const PageOptions& o) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<title>inquest: action items</title><style>";
  out += kStyle;
  out += "</style></head><body><h1>Action items</h1>";
  out += fmt::format(R"(<p class="meta">Store {} &middot; {} UTC &middot; {}</p>)",
                     E(o.store_location), FormatTime(s.now, 0).substr(0, 19),
                     o.allow_writes ? "status changes allowed (token required)" : "read-only");
  if (!o.notice.empty())
    out += fmt::format(R"(<p class="notice{}" role="status">{}</p>)",
                       o.notice_is_error ? " error" : "", E(o.notice));
  const store::Completion& c = s.metrics.completion;
  std::string completion =
      c.rate < 0 ? std::string("\u2013") : fmt::format("{} of {}", c.done, c.items - c.wont_do);
  out += R"(<div class="figures">)";
  out += Figure("open items", std::to_string(s.open_items.size()), "");
  out += Figure("overdue", std::to_string(s.overdue), s.overdue ? "bad" : "");
  out += Figure(fmt::format("silent decay ({}+ days idle)", s.options.decay_days),
                std::to_string(s.decaying), s.decaying ? "warn" : "");
  out += Figure(fmt::format("done, last {} post-mortems", c.last_n), completion,
                c.theater ? "bad" : "");
  out += "</div>";
  if (c.theater)
    out += fmt::format(
        R"(<p class="notice error" id="theater">Theater: {} of {} action items from the last )"
        R"({} post-mortems are done. "If it's near zero, your post-mortem process is theater, )"
        R"(no matter how good the writing is."</p>)",
        c.done, c.items - c.wont_do, c.last_n);
  OpenItems(s, o, &out);
  Incidents(s, &out);
  Metrics(s, &out);
  out += "</body></html>\n";
  return out;
}

}  // namespace inquest::dashboard
