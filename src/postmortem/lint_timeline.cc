// Impact, detection and timeline rules: numbers with units, how and how fast the incident was
// found, and a UTC timeline in order with its sources.
#include <fmt/format.h>
#include <re2/re2.h>

#include "base/strings.h"
#include "postmortem/lint_rules.h"

namespace inquest {

void LintImpactDetection(LintContext& ctx) {
  const PmDocument& doc = ctx.doc();
  int impact = ctx.Section({"impact", "customer impact", "user impact", "business impact"});
  if (impact >= 0 && !ctx.IsPlaceholder(impact)) {
    const PmSection& s = doc.sections[impact];
    static const RE2 kQuantity(
        R"((?i)(\d[\d,.]*\s*(%|percent|per ?cent)|\d[\d,.]*\s*[km]?\s*(requests?|reqs?|users?|)"
        R"(customers?|accounts?|orders?|checkouts?|transactions?|sessions?|calls?|errors?|jobs?|)"
        R"(messages?|events?|pods?|nodes?|hubs?|services?|sites?|tenants?|teams?|clusters?|)"
        R"(minutes?|mins?|hours?|hrs?|h|m|s|seconds?|secs?|days?|ms|people|students|)"
        R"(applications?|apps?)\b|[$€£]\s?\d|\d\s?(usd|eur|gbp|dollars|euros?)\b|)"
        R"(\d{1,2}:\d{2}\s*[–—-]\s*\d{1,2}:\d{2}))");
    static const RE2 kVague(
        R"((?i)\b(some|a few|several|many|a number of|certain|most) (users|customers|requests))");
    if (!RE2::PartialMatch(s.text, kQuantity)) {
      std::string vague;
      RE2::PartialMatch(s.text, kVague, &vague);
      ctx.Report("impact-not-quantified", s.line, 1,
                 fmt::format("the impact has no numbers{}: \"'Some users were affected' is "
                             "useless. '12% of EU checkout requests failed for 6 minutes' is "
                             "actionable\"",
                             vague.empty() ? "" : fmt::format(" (\"{}\")", vague)),
                 "state the share of users or requests, the duration, money and data integrity");
    }
  }
  int detection = ctx.Section({"detection", "how we found out", "how it was detected"});
  if (detection >= 0 && !ctx.IsPlaceholder(detection)) {
    const PmSection& s = doc.sections[detection];
    static const RE2 kHow(
        R"((?i)(alert|alarm|\bpage[ds]?\b|pager|monitor|uptime|health ?check|customer|user|)"
        R"(report|noticed|dashboard|ticket|support|human|automat|synthetic|on-?call|canary|)"
        R"(observ|discover|probe))");
    static const RE2 kWhen(
        R"((?i)(\d+(\.\d+)?\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|days?)\s+)"
        R"((after|later|from|since|into|past)\b|after (the )?(onset|start)|time to detect|mttd|)"
        R"(immediately|within \d|\b\d{1,2}:\d{2}\b))");
    bool how = RE2::PartialMatch(s.text, kHow), when = RE2::PartialMatch(s.text, kWhen);
    if (!how || !when) {
      ctx.Report("detection-incomplete", s.line, 1,
                 fmt::format("detection does not say {}: \"how did we find out -- alert / human / "
                             "customer? Time to detect.\" Detection time is its own finding: "
                             "\"we recovered in 6 minutes\" hides \"but a customer told us "
                             "first\"",
                             !how && !when ? "how the incident was found, nor how long after "
                                             "onset"
                             : !how        ? "how the incident was found"
                                           : "how long after onset it was found"),
                 "e.g. \"Alert 'checkout error rate > 5%' fired at 14:12 (1 min after onset)\"");
    }
  }
}

void LintTimelineRules(LintContext& ctx) {
  const PmDocument& doc = ctx.doc();
  int index = doc.timeline_section;
  if (index < 0 || ctx.IsPlaceholder(index) || doc.timeline.empty()) return;
  const PmSection& sec = doc.sections[index];
  const auto& rows = doc.timeline;

  // UTC: one finding for the timeline, at the first entry that is not UTC.
  int not_utc = 0, assumed = 0, first_not_utc = 0;
  for (const TimelineRow& r : rows) {
    if (r.zone_not_utc && r.has_clock) {
      if (not_utc++ == 0) first_not_utc = r.line;
    }
    if (r.zone_assumed && r.has_clock) ++assumed;
  }
  if (not_utc > 0) {
    ctx.Report("timeline-not-utc", first_not_utc, 1,
               fmt::format("{} of {} timeline entries are not in UTC (zone {}): \"clock skew "
                           "corrupts a multi-service timeline\", and mixed zones do it by hand",
                           not_utc, rows.size(),
                           doc.timeline_zone.present() ? doc.timeline_zone.text : "as written"),
               "convert the entries to UTC and title the section \"Timeline (UTC)\"");
  } else if (assumed > 0) {
    ctx.Report("timeline-not-utc", sec.line, 1,
               fmt::format("the timeline does not say its zone ({} entries with a clock time and "
                           "no zone)",
                           assumed),
               "title the section \"Timeline (UTC)\" or write \"UTC\" after each time");
  }

  int no_clock = 0, first_no_clock = 0;
  for (const TimelineRow& r : rows) {
    if (!r.has_clock && no_clock++ == 0) first_no_clock = r.line;
  }
  if (no_clock > 0) {
    ctx.Report("timeline-no-time", first_no_clock, 1,
               fmt::format("{} of {} timeline entries have no clock time: a timeline without "
                           "times cannot show time to detect or to recover",
                           no_clock, rows.size()),
               "write HH:MM (UTC) from the log, alert or chat record of each event");
  }

  // Order: the date when both rows have one, else the clock on the same day.
  const TimelineRow* prev = nullptr;
  for (const TimelineRow& r : rows) {
    if (r.day < 0 && r.clock_seconds < 0) continue;
    if (prev) {
      bool earlier = false;
      if (r.day >= 0 && prev->day >= 0 && r.day != prev->day)
        earlier = r.day < prev->day;
      else if (r.clock_seconds >= 0 && prev->clock_seconds >= 0)
        earlier = r.clock_seconds < prev->clock_seconds;
      if (earlier) {
        ctx.Report("timeline-order", r.line, ctx.ColumnOf(r.line, r.time_text),
                   fmt::format("\"{}\" comes after \"{}\" (line {}) but is earlier: a timeline "
                               "out of order hides what caused what",
                               r.time_text, prev->time_text, prev->line),
                   "sort the timeline by time; if the order is right, the time is wrong");
      }
    }
    prev = &r;
  }

  if (doc.timeline_has_source_column) {
    for (const TimelineRow& r : rows) {
      if (!TrimSpace(r.source).empty()) continue;
      ctx.Report("timeline-source", r.line, 1,
                 "this entry leaves its Source empty: \"when a claim in the doc isn't backed by "
                 "an artifact, flag it as a guess\"",
                 "name the log, trace, deploy record or chat message (file:line or a link), or "
                 "write \"guess\"");
    }
  }
}

}  // namespace inquest
