// The draft's timeline, causes, causal chain, resolution, actions and reflections.
#include <fmt/format.h>

#include <algorithm>

#include "analyze/draft.h"
#include "analyze/draft_knowledge.h"
#include "analyze/draft_parts.h"

namespace inquest {
namespace {

// Kinds whose finding is an absence or a process gap, not a moment on the timeline.
bool IsMoment(std::string_view kind) {
  return kind != "one-step-rollout" && kind != "missing-alert" && kind != "detection-gap";
}

std::string RefName(const Analysis& a, int i) {
  return fmt::format("{} ({})", FindingName(a.findings[i].kind), FindingId(size_t(i)));
}

}  // namespace

void DraftTimeline(const Analysis& a, DraftModel* m) {
  const bool onset = a.onset.found;
  auto& tl = m->timeline;
  size_t shown = 0, rank = 0;
  for (const RankedChange& r : a.ranked) {
    ++rank;
    if (shown >= kDraftTopChanges) break;
    if (!onset || r.change.time > a.onset.time + a.window_ns) continue;
    ++shown;
    tl.push_back(
        {r.change.time,
         fmt::format("{} ({} change{}, ranked #{})", r.change.what, ChangeKindName(r.change.kind),
                     r.change.rollout.empty() ? "" : ", rollout " + r.change.rollout, rank),
         r.change.source});
    for (const ShippedChange& s : r.shipped)
      tl.push_back({s.time, fmt::format("{} (shipped by #{})", s.what, rank), s.source});
  }
  if (onset) {
    tl.push_back({a.onset.time, fmt::format("Onset: the {} leaves its baseline", a.onset.signal),
                  "findings.json onset"});
    if (a.precise_onset != kNoTime)
      for (const Event* e : a.events)
        if (e->time == a.precise_onset && e->level >= Level::kError) {
          tl.push_back(
              {e->time, "First error: " + DescribeEvent(*e), SourceOf(a.detector_input, *e)});
          break;
        }
    for (const Change& c : a.changes)
      if (c.time > a.onset.time && LooksLikeMitigation(c) &&
          (a.onset.recovery == kNoTime || c.time <= a.onset.recovery + 10 * a.window_ns))
        tl.push_back({c.time, c.what, c.source});
    if (a.onset.recovery != kNoTime)
      tl.push_back({a.onset.recovery,
                    fmt::format("Recovery: the {} is back at its baseline", a.onset.signal),
                    "findings.json recovery"});
  }
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    if (!IsMoment(f.kind) || f.time == kNoTime) continue;
    tl.push_back(
        {f.time,
         fmt::format("{} begins: {}", RefName(a, int(i)), ServiceAndSubject(f.service, f.subject)),
         f.evidence.empty() ? "" : f.evidence.front().source});
  }
  for (const Signal& s : a.signals)
    if (onset && s.time >= a.onset.time - 2 * a.window_ns &&
        (a.onset.recovery == kNoTime || s.time <= a.onset.recovery + 15 * a.window_ns))
      tl.push_back({s.time,
                    fmt::format("{} {}: {}{}", SignalKindName(s.kind), s.name, s.summary,
                                s.status.empty() ? "" : " (" + s.status + ")"),
                    s.evidence.source});
  std::stable_sort(tl.begin(), tl.end(), [](const DraftTimelineRow& x, const DraftTimelineRow& y) {
    return x.time < y.time;
  });
}

void DraftCauses(const Analysis& a, DraftModel* m) {
  if (!a.ranked.empty()) {
    const RankedChange& top = a.ranked.front();
    // What the deploy shipped is listed under it (the reason's own "ships ..." clause is
    // left out so it is said once).
    std::string reason = top.reason;
    if (!top.shipped.empty()) reason = reason.substr(0, reason.find("; ships "));
    m->trigger = {fmt::format("ranked first of {} changes: {} at {}, {}", a.ranked.size(),
                              top.change.what, FormatClock(top.change.time, 0), reason),
                  top.change.source};
    for (const ShippedChange& s : top.shipped)
      m->trigger_refs.push_back(
          {fmt::format("{} at {} ({})", s.what, FormatClock(s.time, 0), s.link), s.source});
    for (size_t i = 1; i < a.ranked.size() && i <= kDraftRunnersUp; ++i)
      m->runners_up.push_back(
          {fmt::format("#{} {} at {}, {}", i + 1, a.ranked[i].change.what,
                       FormatClock(a.ranked[i].change.time, 0), a.ranked[i].reason),
           a.ranked[i].change.source});
  }
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    m->findings.push_back({FindingId(i), f.kind, FindingName(f.kind), f.title,
                           f.evidence.empty() ? "" : f.evidence.front().source, f.time});
  }

  // The causal chain, as far as the evidence carries it.
  if (!a.example.steps.empty()) {
    // The longest wait inside one file (one service's own view: clock truncation in other
    // files, such as an access log's whole seconds, cannot fake it).
    const Event* from = nullptr;
    const Event* to = nullptr;
    const auto& steps = a.example.steps;
    for (size_t i = 0; i < steps.size(); ++i)
      for (size_t j = i; j-- > 0;)
        if (steps[j].event->file == steps[i].event->file) {
          if (!from || steps[i].event->time - steps[j].event->time > to->time - from->time) {
            from = steps[j].event;
            to = steps[i].event;
          }
          break;
        }
    if (from)
      m->whys.push_back(
          {fmt::format(
               "Why did requests fail? Request {} waited {}{} between \"{}\" (`{}`) "
               "and \"{}\", and ended with \"{}\" (`{}`).",
               a.example.id, FormatDuration(to->time - from->time),
               ServiceOf(a.detector_input, *to).empty() ? std::string()
                                                        : " in " + ServiceOf(a.detector_input, *to),
               DescribeEvent(*from), SourceOf(a.detector_input, *from), DescribeEvent(*to),
               DescribeEvent(*steps.back().event), SourceOf(a.detector_input, *steps.back().event)),
           SourceOf(a.detector_input, *to)});
  }
  struct Step {
    std::string_view kind, question;
  };
  for (Step s :
       {Step{"saturation", "Why the wait?"}, Step{"pool-exhausted", "Why the wait?"},
        Step{"retry-storm", "Why did it get worse?"}, Step{"cache-stampede", "Why the surge?"}}) {
    int i = FindingIndex(a, s.kind);
    if (i < 0) continue;
    const Finding& f = a.findings[i];
    m->whys.push_back({fmt::format("{} {} on {}, {}.", s.question, FindingName(f.kind),
                                   ServiceAndSubject(f.service, f.subject), FindingId(size_t(i))),
                       ""});
    if (s.kind == "cache-stampede" && f.evidence.size() > 1 &&
        f.explanation.find("began") != std::string::npos)
      m->whys.push_back({"Why then? The burst began right after a change-like event: " +
                             f.evidence.back().excerpt,
                         f.evidence.back().source});
  }
  m->whys_question =
      m->whys.empty()
          ? "the causal chain: why ...? because ... -- on the system, never the person."
          : "continue the chain where the evidence stops: why was this harmful now and not "
            "before (what did the top-ranked change alter)?";
}

void DraftResolutionActions(const Analysis& a, DraftModel* m) {
  const bool onset = a.onset.found;
  for (const Change& c : a.changes)
    if (onset && c.time > a.onset.time && LooksLikeMitigation(c))
      m->resolution.push_back(
          {fmt::format("{} at {} UTC.", c.what, FormatClock(c.time, 0)), c.source});
  if (onset && m->resolution.empty())
    m->resolution.push_back(
        {"No mitigation (rollback, revert, restart) is recorded after the onset.", ""});
  if (onset && a.onset.recovery != kNoTime)
    m->resolution.push_back({fmt::format("The {} was back at its baseline from {} UTC.",
                                         a.onset.signal, FormatClock(a.onset.recovery, 0)),
                             "findings.json recovery"});

  std::vector<std::string> seen;
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    std::string action = ProposedAction(f);
    if (std::find(seen.begin(), seen.end(), action) != seen.end()) continue;
    seen.push_back(action);
    DraftAction d;
    d.id = fmt::format("AI-{}", m->actions.size() + 1);
    d.action = action;
    d.finding_id = FindingId(i);
    d.item_class = std::string(ActionClass(f.kind));
    d.source = f.evidence.empty() ? "" : f.evidence.front().source;
    m->actions.push_back(std::move(d));
  }

  if (a.first_alert >= 0 && onset) {
    const Signal& al = a.signals[a.first_alert];
    if (al.time - a.onset.time <= 5 * 60 * kNanosPerSecond)
      m->went_well.push_back(
          {fmt::format("the alert {} fired {} after the onset.", al.name,
                       FormatDuration(std::max<int64_t>(0, al.time - a.onset.time))),
           al.evidence.source});
  }
  if (onset && a.onset.recovery != kNoTime)
    m->went_well.push_back({fmt::format("back to baseline {} after the onset.",
                                        FormatDuration(a.onset.recovery - a.onset.time)),
                            ""});
  if (!a.findings.empty())
    m->went_poorly.push_back(
        {fmt::format("{} contributing-factor candidates, F1 to {} (Root cause).", a.findings.size(),
                     FindingId(a.findings.size() - 1)),
         ""});
}

}  // namespace inquest
