#include "postmortem/draft_render.h"

#include <fmt/format.h>

#include <chrono>
#include <random>

#include "base/stable_hash.h"
#include "base/strings.h"
#include "postmortem/document.h"

namespace inquest {
namespace {

// Text safe in a list item or a table cell: a backquote would open code, a '|' end a cell.
std::string Md(std::string_view s) {
  std::string out = MarkdownCell(s);
  for (char& c : out)
    if (c == '`') c = '\'';
  return out;
}

std::string Ref(std::string_view source) {
  return source.empty() ? std::string() : fmt::format(" (`{}`)", source);
}

// A list item's text keeps its backquotes (a builder quotes sources in them); a table cell's
// does not (Md).
std::string Line(const DraftLine& l) { return MarkdownCell(l.text) + Ref(l.source); }

std::string Clock(TimePoint t) { return t == kNoTime ? "?" : FormatClock(t, 0); }

// "2026-05-29 14:11:00 UTC", or the placeholder.
std::string KeyTime(const DraftTime& t, std::string_view what) {
  if (t.time == kNoTime) return FillIn(fmt::format("{}, YYYY-MM-DD HH:MM UTC", what));
  std::string s = FormatTime(t.time, 0);  // 2026-05-29T14:11:00Z
  return s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
}

void Paragraph(std::string& md, std::string_view question) {
  md += FillIn(question);
  md += "\n\n";
}

void Lines(std::string& md, const std::vector<DraftLine>& lines) {
  for (const DraftLine& l : lines) md += "- " + Line(l) + "\n";
  if (!lines.empty()) md += "\n";
}

void Header(std::string& md, const DraftModel& m, const SevScale& scale) {
  std::string sev = "SEV-?";
  if (!m.sev.value.empty() && FindSevLevel(scale, m.sev.value) >= 0) sev = m.sev.value;
  std::string title =
      m.title.value.empty() ? FillIn("what failed, for whom, in users' words") : Md(m.title.value);
  std::string date = m.date.empty() ? FillIn("YYYY-MM-DD") : Md(m.date);
  md += fmt::format("# Post-Mortem: {}        {}   {}\n", title, sev, date);
  // The id is one token: what the store keys the incident on.
  std::string id;
  for (char c : m.incident_id)
    id += std::isspace(static_cast<unsigned char>(c)) || c == '|' || c == '`' ? '-' : c;
  if (id.find_first_not_of('-') == std::string::npos) id = MakeIncidentId(kNoTime, m.evidence_dir);
  md += fmt::format("Incident: {}    Status: Draft    Author: {}    Reviewers: {}\n", id,
                    FillIn("one author, a role or a person"), FillIn("roles or people"));
  md += fmt::format("Started: {}    Detected: {}    Acknowledged: {}\n",
                    KeyTime(m.started, "when users were first affected"),
                    KeyTime(m.detected, "when the first alert, page or report came"),
                    KeyTime(m.acknowledged, "when a person took the page"));
  md += fmt::format("Mitigated: {}    Resolved: {}\n\n",
                    KeyTime(m.mitigated, "when users stopped being affected"),
                    KeyTime(m.resolved, "when the incident was closed"));
  if (!m.drafted_by.empty()) {
    md += fmt::format("_Drafted by `{}`", m.drafted_by);
    if (!m.evidence_dir.empty())
      md += fmt::format(" from {} evidence files in `{}`", m.evidence_files, m.evidence_dir);
    md +=
        ". Each claim cites its evidence (`file:line`); each \"Fill in\" is a question the "
        "evidence cannot answer: answer it or delete it._\n\n";
  }
  // A suggestion carries its reason; a value the author stated carries none.
  std::vector<std::string> suggested;
  if (!m.title.value.empty() && !m.title.reason.empty())
    suggested.push_back(fmt::format("the title ({})", Md(m.title.reason)));
  if (sev != "SEV-?" && !m.sev.reason.empty())
    suggested.push_back(fmt::format("{} ({})", sev, Md(m.sev.reason)));
  if (!suggested.empty())
    Paragraph(md, fmt::format("confirm or change what inquest suggests: {}; then delete this line.",
                              fmt::join(suggested, "; ")));
  if (sev == "SEV-?")
    Paragraph(md, m.sev.reason.empty() ? "the SEV level, from the scale below."
                                       : fmt::format("the SEV level: {}.", Md(m.sev.reason)));
  md += "<!-- SEV scale (the level drives who is paged and whether a post-mortem is mandatory):\n";
  for (const SevLevel& l : scale)
    md +=
        fmt::format("  {}  {}. e.g. {}. Response: {}.\n", l.name, l.meaning, l.example, l.response);
  md += "-->\n\n";
}

void Causes(std::string& md, const DraftModel& m) {
  md += "## Root cause & contributing factors\n";
  if (!m.trigger.text.empty()) {
    md += "- Trigger (candidate): " + Line(m.trigger) + "\n";
    for (const DraftLine& s : m.trigger_refs) md += "  - shipped: " + Line(s) + "\n";
    for (const DraftLine& r : m.runners_up) md += "  - runner-up: " + Line(r) + "\n";
  } else {
    md += "- Trigger: " + FillIn("the proximate event (the deploy, the config push, the reboot)") +
          "\n";
  }
  md += "- Contributing factors (candidates from the evidence; confirm or strike each):\n";
  for (size_t i = 0; i < m.findings.size(); ++i) {
    const DraftFinding& f = m.findings[i];
    md +=
        fmt::format("  {}. **{} {}**: {}{}\n", i + 1, f.id, Md(f.name), Md(f.text), Ref(f.source));
  }
  if (m.findings.empty())
    md += "  1. " + FillIn("latent bug, process gap, observability gap") + "\n";
  md += "\n";
  Paragraph(md,
            "which candidates are real, and which latent conditions (missing coalescing, missing "
            "breaker, review gaps) the evidence cannot show?");
}

void Actions(std::string& md, const DraftModel& m) {
  md += "## Action items\n";
  if (!m.actions.empty())
    md +=
        "Proposed from the findings; whether each is worth doing, its owner, due date and "
        "ticket are the author's call.\n\n";
  md +=
      "| ID | Action | Owner | Due | Status | Class | Ticket |\n"
      "|----|--------|-------|-----|--------|-------|--------|\n";
  auto cell = [](const std::string& v, std::string_view question) {
    return v.empty() ? FillIn(question) : Md(v);
  };
  for (const DraftAction& a : m.actions) {
    std::string what = Md(a.action);
    if (!a.finding_id.empty()) what += fmt::format(" (for {})", a.finding_id);
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", a.id, what,
                      cell(a.owner, "role or person"), cell(a.due, "YYYY-MM-DD"),
                      cell(a.status, "open"), cell(a.item_class, "prevent / detect / mitigate"),
                      cell(a.ticket, "tracker link"));
  }
  // "A healthy set has all three": a class no proposed action covers gets a row asking for one.
  size_t next = m.actions.size();
  for (auto [cls, hint] :
       {std::pair{"prevent", "stop the cause from recurring"},
        std::pair{"detect", "catch it sooner"}, std::pair{"mitigate", "recover faster"}}) {
    bool covered = false;
    for (const DraftAction& a : m.actions) covered |= a.item_class == cls;
    if (covered) continue;
    md += fmt::format("| AI-{} | {} | {} | {} | open | {} | {} |\n", ++next,
                      FillIn(fmt::format("a specific, measurable change to {}", hint)),
                      FillIn("role or person"), FillIn("YYYY-MM-DD"), cls, FillIn("tracker link"));
  }
  md += "\n";
}

void Appendix(std::string& md, const DraftModel& m) {
  md += "## Appendix\n";
  for (const DraftAppendix& a : m.appendix) {
    md += fmt::format("### {}\n", Md(a.heading));
    if (!a.text.empty()) md += a.text + "\n";
    if (!a.columns.empty()) {
      if (!a.text.empty()) md += "\n";
      md += "| " + fmt::format("{}", fmt::join(a.columns, " | ")) + " |\n|";
      for (size_t i = 0; i < a.columns.size(); ++i) md += "---|";
      md += "\n";
      for (const auto& row : a.rows) {
        md += "|";
        for (size_t i = 0; i < a.columns.size(); ++i)
          md += " " + (i < row.size() ? MarkdownCell(row[i]) : std::string()) + " |";
        md += "\n";
      }
    }
    md += "\n";
  }
  Paragraph(md, "links to dashboards, traces, dumps and the deploy diff.");
}

}  // namespace

std::string FillIn(std::string_view question) {
  return fmt::format("_{} {}_", kFillInMarker, question);
}

std::string MakeIncidentId(TimePoint time, std::string_view seed) {
  std::string material(seed);
  if (time == kNoTime) {
    time = std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
    material += fmt::format("#{}", std::random_device{}());
  }
  material += fmt::format("@{}", time);
  std::string t = FormatTime(time, 0);  // 2026-05-29T14:11:00Z
  return fmt::format("inc-{}{}{}-{}{}-{:06x}", t.substr(0, 4), t.substr(5, 2), t.substr(8, 2),
                     t.substr(11, 2), t.substr(14, 2), StableHash64(material) & 0xffffff);
}

std::string RenderDraft(const DraftModel& m, const SevScale& scale) {
  std::string md;
  Header(md, m, scale);

  md += "## Summary\n";
  if (!m.summary.empty()) md += m.summary + "\n\n";
  Paragraph(md, m.summary.empty()
                    ? "one paragraph: what broke, for how long, the blast radius, the resolution."
                    : "what broke from the users' point of view, in one sentence to lead this "
                      "summary.");

  md += "## Impact\n";
  Lines(md, m.impact);
  for (const std::string& q : m.impact_questions) Paragraph(md, q);
  Paragraph(md,
            m.impact.empty()
                ? "quantified: % of users or requests, duration, money if known, data integrity."
                : "the impact in users, orders or money, and whether users could retry.");

  md += "## Detection\n";
  Lines(md, m.detection);
  Paragraph(md, m.detection.empty()
                    ? "how did we find out: alert, human or customer? The time to detect."
                    : "who noticed first, and how long from the page to a person working on it?");

  md += "## Timeline (UTC)\n";
  for (const DraftTimelineRow& r : m.timeline)
    md += fmt::format("- {} — {}{}\n", r.time == kNoTime ? "?" : FormatClock(r.time, 3), Md(r.text),
                      Ref(r.source));
  if (!m.timeline.empty()) md += "\n";
  Paragraph(md, m.timeline.empty()
                    ? "HH:MM — event (source), built from artifacts, not memory."
                    : "the human events the evidence cannot show: who was paged, the decisions "
                      "taken, when the mitigation was chosen and why.");

  Causes(md, m);

  md += "## Causal analysis (5 Whys)\n";
  for (size_t i = 0; i < m.whys.size(); ++i) md += fmt::format("{}. {}\n", i + 1, Line(m.whys[i]));
  if (!m.whys.empty()) md += "\n";
  Paragraph(md, !m.whys_question.empty() ? m.whys_question
                                         : "why ...? because ... -- on the system, never the "
                                           "person.");

  md += "## Resolution & recovery\n";
  Lines(md, m.resolution);
  Paragraph(md, "what stopped the bleeding (mitigation), and what restored normal (the fix)?");

  Actions(md, m);

  md += "## What went well / what went poorly / where we got lucky\n";
  for (const DraftLine& l : m.went_well) md += "- Well: " + Line(l) + "\n";
  for (const DraftLine& l : m.went_poorly) md += "- Poorly: " + Line(l) + "\n";
  if (m.went_well.empty()) md += "- Well: " + FillIn("what worked") + "\n";
  if (m.went_poorly.empty()) md += "- Poorly: " + FillIn("what did not") + "\n";
  md += "- Lucky: " + FillIn("time of day, traffic level, who was on call") + "\n\n";

  Appendix(md, m);
  return md;
}

}  // namespace inquest
