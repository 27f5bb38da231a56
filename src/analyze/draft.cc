#include "analyze/draft.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"

namespace inquest {
namespace {

std::string Ref(std::string_view source) { return fmt::format("(`{}`)", source); }

std::string Clock(TimePoint t) { return t == kNoTime ? "?" : FormatClock(t, 0); }

std::string Question(std::string_view text) {
  return fmt::format("{} {}\n", kQuestionMarker, text);
}

// Text safe inside a Markdown table cell or list item.
std::string Md(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else if (c == '`')
      out += '\'';
    else
      out += c;
  }
  return out;
}

std::string Date(TimePoint t) { return t == kNoTime ? "?" : FormatTime(t, 0).substr(0, 10); }

bool LooksLikeMitigation(const Change& c) {
  std::string w = ToLower(c.what);
  for (std::string_view k : {"rollback", "roll back", "rolled back", "revert", "restart", "scale",
                             "failover", "disable", "mitigat"})
    if (w.find(k) != std::string::npos) return true;
  return false;
}

const Finding* FindKind(const Analysis& a, std::string_view kind) {
  for (const Finding& f : a.findings)
    if (f.kind == kind) return &f;
  return nullptr;
}

std::string FirstRef(const Finding& f) {
  return f.evidence.empty() ? "" : " " + Ref(f.evidence.front().source);
}

std::string FindingName(std::string_view kind) {
  if (kind == "cache-stampede") return "Cache stampede";
  if (kind == "retry-storm") return "Retry storm";
  if (kind == "saturation") return "Resource saturation";
  if (kind == "missing-alert") return "Missing alert";
  if (kind == "detection-gap") return "Detection gap";
  if (kind == "one-step-rollout") return "No staged rollout";
  if (kind == "exception") return "Exception";
  return std::string(kind);
}

// A proposed action for a finding's kind (the author decides; these are starting points).
std::string ProposedAction(const Finding& f) {
  if (f.kind == "cache-stampede")
    return fmt::format(
        "Coalesce concurrent misses for one key (singleflight / request "
        "collapsing) on the {} origin fetch of {}",
        f.service, f.subject);
  if (f.kind == "retry-storm")
    return fmt::format("Add jitter and a retry budget or circuit breaker to {}'s retries",
                       f.service);
  if (f.kind == "saturation")
    return fmt::format(
        "Bound and shed load on {} {} (queue limits, timeouts shorter than the "
        "caller's deadline)",
        f.service, f.subject);
  if (f.kind == "missing-alert")
    return fmt::format("Alert on {} {} saturation (e.g. in use > 80% for 5m)", f.service,
                       f.subject);
  if (f.kind == "detection-gap") return "Alert on the symptom users saw, before they report it";
  if (f.kind == "one-step-rollout")
    return fmt::format("Stage {} rollouts (canary, then 10/50/100%) with automatic checks",
                       f.service.empty() ? std::string("these") : f.service);
  if (f.kind == "exception")
    return fmt::format("Fix and test the failing path of {} (the first trace is the evidence)",
                       f.service.empty() ? std::string("the service") : f.service);
  return "Address: " + f.title;
}

// An event in a few words: its message, plus the status an access log line carries.
std::string Describe(const Event& e) {
  std::string d = Excerpt(e.message);
  std::string_view status = FieldValue(e, "status");
  if (!status.empty() && d.find(status) == std::string::npos) d += fmt::format(" ({})", status);
  return d;
}

}  // namespace

std::string PostmortemMarkdown(const Analysis& a) {
  std::string md;
  auto out = [&](std::string_view s) { md.append(s); };
  const bool onset = a.onset.found;
  const Impact& im = a.impact;
  const RankedChange* top = a.ranked.empty() ? nullptr : &a.ranked.front();
  std::string main_service;
  if (!im.by_service.empty()) main_service = im.by_service.front().first;
  // The service most findings or errors name, for the title.
  std::map<std::string, int> votes;
  for (const Finding& f : a.findings)
    if (!f.service.empty()) votes[f.service]++;

  // ---- header ----
  std::string title =
      onset ? fmt::format("errors from {} to {} UTC", Clock(a.onset.time), Clock(a.onset.recovery))
            : std::string("incident");
  if (const Finding* st = FindKind(a, "cache-stampede"))
    title = fmt::format("cache stampede on {}, {}", st->subject, title);
  out(fmt::format("# Post-Mortem: {}        SEV-?   {}\n", Md(title),
                  Date(onset ? a.onset.time : kNoTime)));
  out("Status: Draft    Author: ?    Reviewers: ?\n\n");
  out(
      fmt::format("_Drafted by `inquest analyze` from {} evidence files in `{}`. Every statement "
                  "cites its evidence as `file:line`; what the evidence cannot show is marked as "
                  "a question for the author. Machine-readable: `findings.json`; charts: "
                  "`report.html`._\n\n",
                  a.inputs.size(), a.dir));
  out(Question("the severity (SEV level) and the title in users' words."));
  out("\n");

  // ---- summary ----
  out("## Summary\n");
  if (onset) {
    out(fmt::format("The {} left its baseline of {:.1f}% at {} UTC", a.onset.signal,
                    a.onset.baseline * 100, Clock(a.onset.time)));
    if (a.onset.recovery != kNoTime)
      out(fmt::format(" and returned to it at {} ({})", Clock(a.onset.recovery),
                      FormatDuration(a.onset.recovery - a.onset.time)));
    out(fmt::format(", peaking at {:.1f}% (findings.json `onset`).", a.onset.peak * 100));
    if (im.known && im.total)
      out(fmt::format(" {} of {} requests ({:.1f}%) in that window failed.", im.failed, im.total,
                      im.ratio() * 100));
    if (top)
      out(fmt::format(" The change ranked most likely to be the trigger: {} at {} {}.",
                      Md(top->change.what), Clock(top->change.time), Ref(top->change.source)));
    std::vector<std::string> kinds;
    for (const Finding& f : a.findings) kinds.push_back(ToLower(FindingName(f.kind)));
    if (!kinds.empty()) {
      out(" Contributing-factor candidates: ");
      for (size_t i = 0; i < kinds.size(); ++i)
        out(fmt::format("{}{}", i ? (i + 1 == kinds.size() ? " and " : ", ") : "", kinds[i]));
      out(" (see below).");
    }
    out("\n\n");
  } else {
    out(fmt::format("No onset was found: {}.\n\n", a.onset.explanation));
  }
  out(
      Question("what broke from the users' point of view, the blast radius, and whether any "
               "data was lost."));
  out("\n");

  // ---- impact ----
  out("## Impact\n");
  if (onset && im.known) {
    out(fmt::format(
        "- {} to {} UTC ({}): {} of {} requests failed ({:.1f}%). {}\n", Clock(im.from),
        Clock(im.to),
        im.to == kNoTime ? "ongoing at the end of the data" : FormatDuration(im.to - im.from),
        im.failed, im.total, im.ratio() * 100, Md(im.rule)));
    for (const auto& [file, n] : im.by_service)
      out(fmt::format("- `{}` logged errors for {} of the failed requests.\n", file, n));
    if (!a.example.steps.empty())
      out(fmt::format("- One failed request, `{}`, is rebuilt end to end in the appendix.\n",
                      a.example.id));
  } else if (onset) {
    out("- The logs carry no request ids, so failed requests could not be counted.\n");
  }
  out("\n");
  out(
      Question("the impact in users, orders or money, and whether users could retry "
               "successfully."));
  out("\n");

  // ---- detection ----
  out("## Detection\n");
  if (a.first_signal >= 0) {
    const Signal& s = a.signals[a.first_signal];
    out(fmt::format("- First signal: {} {} \"{}\" at {} UTC, {} after the onset {}.\n",
                    SignalKindName(s.kind), Md(s.name), Md(s.summary), Clock(s.time),
                    FormatDuration(a.time_to_detect_ns), Ref(s.evidence.source)));
    if (a.first_alert >= 0 && a.first_alert != a.first_signal) {
      const Signal& al = a.signals[a.first_alert];
      out(fmt::format("- First alert: {} at {} UTC {}.\n", Md(al.name), Clock(al.time),
                      Ref(al.evidence.source)));
    }
    for (const Signal& p : a.signals)
      if (p.kind == Signal::Kind::kPage && p.time >= s.time &&
          (p.status == "acknowledged" || p.status == "ack")) {
        out(fmt::format("- Page acknowledged at {} UTC ({} after the first signal) {}.\n",
                        Clock(p.time), FormatDuration(p.time - s.time), Ref(p.evidence.source)));
        break;
      }
    for (const Signal& t : a.signals)
      if (t.kind == Signal::Kind::kTicket && t.time >= a.onset.time)
        out(fmt::format("- Customer report: {} \"{}\" at {} UTC {}.\n", Md(t.name), Md(t.summary),
                        Clock(t.time), Ref(t.evidence.source)));
  } else {
    out("- No alert, page or ticket record after the onset was found.\n");
  }
  for (const Finding& f : a.findings)
    if (f.kind == "detection-gap" || f.kind == "missing-alert")
      out(fmt::format("- {}{}\n", Md(f.title), FirstRef(f)));
  out("\n");
  out(Question("who noticed first, and how long from the page to a person working on it?"));
  out("\n");

  // ---- timeline ----
  out("## Timeline (UTC)\n");
  struct Entry {
    TimePoint t;
    std::string text;
  };
  std::vector<Entry> tl;
  size_t shown = 0, rank = 0;
  for (const RankedChange& r : a.ranked) {
    ++rank;
    if (shown >= kDraftTopChanges) break;
    if (!onset || r.change.time > a.onset.time + kAnalysisWindowNs) continue;
    ++shown;
    tl.push_back(
        {r.change.time, fmt::format("{} ({} change{}, ranked #{}) {}", Md(r.change.what),
                                    ChangeKindName(r.change.kind),
                                    r.change.rollout.empty() ? "" : ", rollout " + r.change.rollout,
                                    rank, Ref(r.change.source))});
  }
  if (onset) {
    tl.push_back({a.onset.time, fmt::format("Onset: the {} leaves its baseline (findings.json "
                                            "`onset`)",
                                            a.onset.signal)});
    if (a.precise_onset != kNoTime) {
      for (const Event* e : a.events)
        if (e->time == a.precise_onset && e->level >= Level::kError) {
          tl.push_back({e->time, fmt::format("First error: {} {}", Md(Describe(*e)),
                                             Ref(SourceOf(a.detector_input, *e)))});
          break;
        }
    }
    for (const Change& c : a.changes)
      if (c.time > a.onset.time && LooksLikeMitigation(c) &&
          (a.onset.recovery == kNoTime || c.time <= a.onset.recovery + 10 * kAnalysisWindowNs))
        tl.push_back({c.time, fmt::format("{} {}", Md(c.what), Ref(c.source))});
    if (a.onset.recovery != kNoTime)
      tl.push_back({a.onset.recovery, fmt::format("Recovery: the {} is back at its baseline "
                                                  "(findings.json `recovery`)",
                                                  a.onset.signal)});
  }
  for (const Finding& f : a.findings)
    if (f.kind != "one-step-rollout" && f.kind != "missing-alert" && f.kind != "detection-gap")
      tl.push_back({f.time, fmt::format("{}{}", Md(f.title), FirstRef(f))});
  for (const Signal& s : a.signals)
    if (onset && s.time >= a.onset.time - 2 * kAnalysisWindowNs &&
        (a.onset.recovery == kNoTime || s.time <= a.onset.recovery + 15 * kAnalysisWindowNs))
      tl.push_back(
          {s.time,
           fmt::format("{} {}: {}{} {}", SignalKindName(s.kind), Md(s.name), Md(s.summary),
                       s.status.empty() ? "" : " (" + s.status + ")", Ref(s.evidence.source))});
  std::stable_sort(tl.begin(), tl.end(), [](const Entry& x, const Entry& y) { return x.t < y.t; });
  for (const Entry& e : tl) out(fmt::format("- {} — {}\n", FormatClock(e.t, 3), e.text));
  out("\n");
  out(
      Question("add the human events the logs cannot show: who was paged, decisions taken, "
               "when mitigation was chosen and why."));
  out("\n");

  // ---- causes ----
  out("## Root cause & contributing factors\n");
  if (top) {
    out(fmt::format("- Trigger (candidate, ranked first of {} changes): {} at {} — {} {}\n",
                    a.ranked.size(), Md(top->change.what), Clock(top->change.time), Md(top->reason),
                    Ref(top->change.source)));
    for (size_t i = 1; i < a.ranked.size() && i < 3; ++i)
      out(fmt::format("  - runner-up #{}: {} at {} — {} {}\n", i + 1, Md(a.ranked[i].change.what),
                      Clock(a.ranked[i].change.time), Md(a.ranked[i].reason),
                      Ref(a.ranked[i].change.source)));
  } else {
    out("- Trigger: no change records or change-like log events were found.\n");
  }
  out("- Contributing factors (candidates from the detectors):\n");
  int k = 0;
  for (const Finding& f : a.findings)
    out(fmt::format("  {}. **{}** — {}{}\n", ++k, FindingName(f.kind), Md(f.title), FirstRef(f)));
  if (k == 0) out("  (none detected)\n");
  out("\n");
  out(
      Question("which of these candidates are real contributing factors, and which latent "
               "conditions (missing coalescing, missing breaker, review gaps) the logs cannot "
               "show?"));
  out("\n");

  // ---- causal analysis ----
  out("## Causal analysis (5 Whys or equivalent)\n");
  int why = 0;
  if (!a.example.steps.empty()) {
    // The longest wait inside one file (one service's own view: clock truncation in other
    // files, such as an access log's whole seconds, cannot fake it).
    const Event* wait_from = nullptr;
    const Event* wait_to = nullptr;
    for (size_t i = 0; i < a.example.steps.size(); ++i)
      for (size_t j = i; j-- > 0;)
        if (a.example.steps[j].event->file == a.example.steps[i].event->file) {
          const Event* x = a.example.steps[j].event;
          const Event* y = a.example.steps[i].event;
          if (!wait_from || y->time - x->time > wait_to->time - wait_from->time) {
            wait_from = x;
            wait_to = y;
          }
          break;
        }
    const RequestStep& last = a.example.steps.back();
    if (wait_from)
      out(
          fmt::format("{}. Why did requests fail? Request `{}` waited {} in {} between \"{}\" "
                      "{} and \"{}\" {}, and ended with \"{}\" {}.\n",
                      ++why, a.example.id, FormatDuration(wait_to->time - wait_from->time),
                      Md(ServiceOf(a.detector_input, *wait_to)), Md(Describe(*wait_from)),
                      Ref(SourceOf(a.detector_input, *wait_from)), Md(Describe(*wait_to)),
                      Ref(SourceOf(a.detector_input, *wait_to)), Md(Describe(*last.event)),
                      Ref(SourceOf(a.detector_input, *last.event))));
  }
  if (const Finding* f = FindKind(a, "saturation"))
    out(fmt::format("{}. Why the wait? {}{}\n", ++why, Md(f->title), FirstRef(*f)));
  if (const Finding* f = FindKind(a, "retry-storm"))
    out(fmt::format("{}. Why did it get worse? {}{}\n", ++why, Md(f->title), FirstRef(*f)));
  if (const Finding* f = FindKind(a, "cache-stampede")) {
    out(fmt::format("{}. Why the surge? {}{}\n", ++why, Md(f->title), FirstRef(*f)));
    if (f->evidence.size() > 1 && f->explanation.find("began") != std::string::npos)
      out(
          fmt::format("{}. Why then? The burst began right after a change-like event: {} "
                      "{}\n",
                      ++why, Md(f->evidence.back().excerpt), Ref(f->evidence.back().source)));
  }
  if (why == 0) out("The evidence does not show a causal chain by itself.\n");
  out(
      Question("continue the chain where the evidence stops: why was this event harmful now "
               "and not before (what did the top-ranked change alter)?"));
  out("\n");

  // ---- resolution ----
  out("## Resolution & recovery\n");
  bool any = false;
  for (const Change& c : a.changes)
    if (onset && c.time > a.onset.time && LooksLikeMitigation(c)) {
      out(fmt::format("- {} at {} UTC {}\n", Md(c.what), Clock(c.time), Ref(c.source)));
      any = true;
    }
  if (onset && a.onset.recovery != kNoTime)
    out(fmt::format("- The {} was back at its baseline from {} UTC (findings.json `recovery`).\n",
                    a.onset.signal, Clock(a.onset.recovery)));
  if (!any) out("- No mitigation (rollback, revert, restart) is recorded after the onset.\n");
  out("\n");
  out(Question("what stopped the bleeding, and what is the lasting fix?"));
  out("\n");

  // ---- action items ----
  out("## Action items\n");
  out("Proposed from the findings; the owner, due date and whether each is worth doing are the "
      "author's call.\n\n");
  out("| ID | Action | Owner | Due | Status |\n|----|--------|-------|-----|--------|\n");
  int ai = 0;
  std::vector<std::string> seen;
  for (const Finding& f : a.findings) {
    std::string action = ProposedAction(f);
    if (std::find(seen.begin(), seen.end(), action) != seen.end()) continue;
    seen.push_back(action);
    out(fmt::format("| AI-{} | {} (from {}{}) | ? | ? | proposed |\n", ++ai, Md(action),
                    FindingName(f.kind),
                    f.evidence.empty() ? "" : ", `" + f.evidence.front().source + "`"));
  }
  if (ai == 0) out("| AI-1 | ? | ? | ? | open |\n");
  out("\n");

  // ---- well / poorly / lucky ----
  out("## What went well / what went poorly / where we got lucky\n");
  if (a.first_alert >= 0 && a.time_to_detect_ns >= 0 && onset) {
    const Signal& al = a.signals[a.first_alert];
    if (al.time - a.onset.time <= 5 * 60 * kNanosPerSecond)
      out(fmt::format("- Well: the alert {} fired {} after the onset {}.\n", Md(al.name),
                      FormatDuration(std::max<int64_t>(0, al.time - a.onset.time)),
                      Ref(al.evidence.source)));
  }
  if (onset && a.onset.recovery != kNoTime)
    out(fmt::format("- Well: back to baseline {} after the onset.\n",
                    FormatDuration(a.onset.recovery - a.onset.time)));
  for (const Finding& f : a.findings)
    out(fmt::format("- Poorly: {}{}\n", Md(f.title), FirstRef(f)));
  out(Question("where did we get lucky (time of day, traffic level, who was on call)?"));
  out("\n");

  // ---- appendix ----
  out("## Appendix\n");
  out("### Evidence read\n");
  out("| File | Taken for | Format | Records | Skipped | Why |\n|---|---|---|---|---|---|\n");
  for (const InputReport& r : a.inputs) {
    std::string taken(EvidenceKindName(r.kind));
    if (r.kind == EvidenceKind::kDetection)
      taken = std::string(DetectionSourceName(r.detection)) + " records";
    out(fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", r.relative, taken,
                    r.format.empty() ? "-" : r.format, r.records, r.skipped,
                    Md(r.error.ok() ? r.reason : r.error.ToString())));
  }
  out("\n");
  if (!a.example.steps.empty()) {
    out(fmt::format("### Request `{}` end to end\n", a.example.id));
    out("| Time | Gap | Service | Event | Source |\n|---|---|---|---|---|\n");
    for (const RequestStep& s : a.example.steps)
      out(fmt::format("| {} | {}{} | {} | {} | `{}` |\n", FormatClock(s.event->time, 3),
                      s.gap_ns ? "+" + FormatDuration(s.gap_ns) : "", s.slow ? " **slow**" : "",
                      Md(ServiceOf(a.detector_input, *s.event)), Md(Describe(*s.event)),
                      SourceOf(a.detector_input, *s.event)));
    out("\n");
  }
  if (onset) out(fmt::format("### How the onset was found\n{}\n\n", Md(a.onset.explanation)));
  out("### Links\n- `findings.json`: every conclusion with its evidence.\n"
      "- `report.html`: the error rate, changes and alerts on one time axis.\n");
  out(Question("add links to dashboards, traces, dumps and the deploy diff."));
  return md;
}

}  // namespace inquest
