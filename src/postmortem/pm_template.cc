#include "postmortem/pm_template.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <vector>

#include "base/strings.h"
#include "base/time.h"
#include "postmortem/lint_rules.h"

namespace inquest {
namespace {

// Ranked changes offered as trigger candidates: the primer's decomposition names one trigger;
// three candidates leave room for the ranking to be wrong without flooding the section.
constexpr size_t kTriggerCandidates = 3;

std::string FillIn(std::string_view guidance) {
  return fmt::format("_{} {}_", kFillInMarker, guidance);
}

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

double Num(simdjson::dom::element e, const char* key, double fallback = -1) {
  double v;
  if (e[key].get_double().get(v) != simdjson::SUCCESS) {
    int64_t i;
    if (e[key].get_int64().get(i) != simdjson::SUCCESS) return fallback;
    return double(i);
  }
  return v;
}

TimePoint TimeOf(const std::string& text) {
  Result<TimePoint> t = ParseUserTime(text);
  return t.ok() ? *t : kNoTime;
}

// "14:11:07" from an RFC 3339 time.
std::string Clock(const std::string& text) {
  TimePoint t = TimeOf(text);
  return t == kNoTime ? text : FormatClock(t, 0);
}

struct Row {
  TimePoint time;
  std::string event, source;
};

struct Prefill {
  std::string impact, detection, causes, resolution, appendix;
  std::vector<Row> timeline;
  std::vector<std::string> factor_titles;
  std::string date;
};

Result<Prefill> ReadFindings(const PmTemplateInput& in) {
  Prefill p;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::padded_string json(in.findings_json);
  if (auto err = parser.parse(json).get(root); err || !root.is_object())
    return Status::BadInput(fmt::format("not the findings.json that `inquest analyze` writes: {}",
                                        err ? simdjson::error_message(err) : "not an object"),
                            SourceLocation{in.findings_path});
  simdjson::dom::element onset, recovery, detection, impact, changes, findings;
  bool has_onset = root["onset"].get(onset) == simdjson::SUCCESS;
  std::string onset_time = has_onset ? Str(onset, "time") : "";
  std::string recovery_time =
      root["recovery"].get(recovery) == simdjson::SUCCESS ? Str(recovery, "time") : "";
  if (!onset_time.empty()) p.date = onset_time.substr(0, 10);

  if (!onset_time.empty()) {
    p.timeline.push_back({TimeOf(onset_time),
                          fmt::format("Onset: {} left its baseline", Str(onset, "signal")),
                          in.findings_path + " (onset)"});
    std::string first = Str(onset, "first_error");
    if (!first.empty())
      p.timeline.push_back({TimeOf(first), "First failed request", in.findings_path + " (onset)"});
  }
  if (root["impact"].get(impact) == simdjson::SUCCESS && Num(impact, "total") > 0) {
    simdjson::dom::element window;
    std::string from, to;
    if (impact["window"].get(window) == simdjson::SUCCESS) {
      from = Str(window, "start");
      to = Str(window, "end");
    }
    TimePoint a = TimeOf(from), b = TimeOf(to);
    p.impact = fmt::format(
        "- {}–{} UTC ({}). {:.0f} of {:.0f} requests failed ({:.1f}%), each request counted once "
        "(from {}).\n- {}\n",
        Clock(from), Clock(to), a != kNoTime && b != kNoTime ? FormatDuration(b - a) : "?",
        Num(impact, "failed"), Num(impact, "total"), Num(impact, "ratio", 0) * 100,
        in.findings_path, FillIn("users affected, money, data integrity"));
  }
  if (root["detection"].get(detection) == simdjson::SUCCESS) {
    simdjson::dom::element sig;
    if (detection["first_signal"].get(sig) == simdjson::SUCCESS && sig.is_object()) {
      double ttd = Num(detection, "time_to_detect_s");
      p.detection = fmt::format(
          "{} \"{}\" ({}) fired at {} UTC, {} after the onset ({}).{}\n", Str(sig, "kind"),
          Str(sig, "name"), Str(sig, "summary"), Clock(Str(sig, "time")),
          ttd >= 0 ? FormatDuration(int64_t(ttd * kNanosPerSecond)) : "an unknown time",
          Str(sig, "source"),
          sig["from_customer"].get_bool().value_unsafe() ? " A customer found it first." : "");
      p.timeline.push_back({TimeOf(Str(sig, "time")),
                            fmt::format("{} {} fires", Str(sig, "kind"), Str(sig, "name")),
                            Str(sig, "source")});
    }
  }
  std::vector<std::string> triggers;
  if (root["changes"].get(changes) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (changes.get_array().get(arr) == simdjson::SUCCESS) {
      for (simdjson::dom::element c : arr) {
        if (triggers.size() >= kTriggerCandidates) break;
        triggers.push_back(fmt::format("{} at {} UTC (score {:.2f}: {}; {})", Str(c, "what"),
                                       Clock(Str(c, "time")), Num(c, "score", 0), Str(c, "reason"),
                                       Str(c, "source")));
        p.timeline.push_back({TimeOf(Str(c, "time")), Str(c, "what"), Str(c, "source")});
      }
    }
  }
  if (root["findings"].get(findings) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (findings.get_array().get(arr) == simdjson::SUCCESS)
      for (simdjson::dom::element f : arr) p.factor_titles.push_back(Str(f, "title"));
  }
  if (!recovery_time.empty()) {
    p.timeline.push_back(
        {TimeOf(recovery_time), "Error rate back at baseline", in.findings_path + " (recovery)"});
    p.resolution =
        fmt::format("Recovery: the error rate was back at its baseline at {} UTC ({}).\n",
                    Clock(recovery_time), in.findings_path);
  }
  std::stable_sort(p.timeline.begin(), p.timeline.end(),
                   [](const Row& a, const Row& b) { return a.time < b.time; });
  if (!triggers.empty()) {
    p.causes =
        "- Trigger (ranked candidates from the change records; keep the one the evidence "
        "confirms):\n";
    for (size_t i = 0; i < triggers.size(); ++i)
      p.causes += fmt::format("  {}. {}\n", i + 1, MarkdownCell(triggers[i]));
  }
  if (!p.factor_titles.empty()) {
    p.causes += "- Contributing factors (candidates from the evidence; confirm or strike):\n";
    for (size_t i = 0; i < p.factor_titles.size(); ++i)
      p.causes += fmt::format("  {}. {}\n", i + 1, MarkdownCell(p.factor_titles[i]));
  }
  p.appendix = fmt::format("- Findings: {}\n- Report: report.html beside it\n", in.findings_path);
  return p;
}

}  // namespace

Result<std::string> RenderPmTemplate(const PmTemplateInput& in) {
  if (!in.sev.empty() && FindSevLevel(in.scale, in.sev) < 0) {
    std::vector<std::string> names;
    for (const SevLevel& l : in.scale) names.push_back(l.name);
    return Status::InvalidArgument(
        fmt::format("{} is not on the SEV scale ({})", in.sev, fmt::join(names, ", ")));
  }
  Prefill p;
  if (!in.findings_json.empty()) {
    INQ_ASSIGN_OR_RETURN(p, ReadFindings(in));
  }
  std::string date = !in.date.empty() ? in.date : p.date;
  std::string out;
  out += fmt::format(
      "# Post-Mortem: {}        {}   {}\n", in.title.empty() ? FillIn("title") : in.title,
      in.sev.empty() ? "SEV-?" : in.scale[FindSevLevel(in.scale, in.sev)].name, date);
  out += fmt::format("Status: Draft    Author: {}    Reviewers: {}\n\n", FillIn("role"),
                     FillIn("roles"));
  out +=
      "<!-- SEV scale (the level drives who is paged and whether a post-mortem is "
      "mandatory):\n";
  for (const SevLevel& l : in.scale)
    out +=
        fmt::format("  {}  {}. e.g. {}. Response: {}.\n", l.name, l.meaning, l.example, l.response);
  out += "-->\n\n";

  out += "## Summary\n" +
         FillIn(
             "one paragraph. What broke, for how long, blast radius, "
             "resolution.") +
         "\n\n";
  out += "## Impact\n" +
         (p.impact.empty() ? FillIn("quantified: % of users / requests, duration, $ if known, "
                                    "data integrity.") +
                                 "\n"
                           : p.impact) +
         "\n";
  out += "## Detection\n" +
         (p.detection.empty()
              ? FillIn("how did we find out: alert / human / customer? Time to detect.") + "\n"
              : p.detection) +
         "\n";
  out += "## Timeline (UTC)\n| Time (UTC) | Event | Source |\n|---|---|---|\n";
  if (p.timeline.empty()) {
    out += fmt::format("| {} | {} | {} |\n", FillIn("HH:MM"), FillIn("event, from an artifact"),
                       FillIn("log line, trace, deploy record, chat"));
  }
  for (const Row& r : p.timeline)
    out += fmt::format("| {} | {} | {} |\n", r.time == kNoTime ? "?" : FormatClock(r.time, 0),
                       MarkdownCell(r.event), MarkdownCell(r.source));
  out +=
      "\n## Root cause & contributing factors\n" +
      (p.causes.empty() ? "- Trigger: " + FillIn("the proximate event (the deploy, the reboot).") +
                              "\n- Contributing factors:\n  1. " +
                              FillIn("latent bug, process gap, observability gap...") + "\n"
                        : p.causes) +
      "\n";
  out += "## Causal analysis (5 Whys)\n1. Why ...? " +
         FillIn("because ... -- on the system, never the person.") + "\n\n";
  out += "## Resolution & recovery\n" + p.resolution +
         FillIn("what stopped the bleeding (mitigation) and what restored normal (fix).") + "\n\n";
  out +=
      "## Action items\n| ID | Action | Owner | Due | Status | Class | Ticket |\n"
      "|----|--------|-------|-----|--------|-------|--------|\n";
  if (p.factor_titles.empty()) {
    out += fmt::format("| AI-1 | {} | {} | {} | open | {} | {} |\n",
                       FillIn("specific, measurable change"), FillIn("role or person"),
                       FillIn("YYYY-MM-DD"), FillIn("prevent / detect / mitigate"),
                       FillIn("tracker link"));
  }
  for (size_t i = 0; i < p.factor_titles.size(); ++i) {
    out += fmt::format(
        "| AI-{} | {} | {} | {} | open | {} | {} |\n", i + 1,
        MarkdownCell(FillIn("a specific, measurable change for: " + p.factor_titles[i])),
        FillIn("role"), FillIn("YYYY-MM-DD"), FillIn("prevent / detect / mitigate"),
        FillIn("link"));
  }
  out += "\n## What went well / what went poorly / where we got lucky\n- Well: " + FillIn("...") +
         "\n- Poorly: " + FillIn("...") + "\n- Lucky: " + FillIn("...") + "\n\n";
  out +=
      "## Appendix\n" +
      (p.appendix.empty() ? FillIn("links: dashboards, traces, the dump, the deploy diff.") + "\n"
                          : p.appendix);
  return out;
}

}  // namespace inquest
