// Cause rules (trigger apart from contributing factors, more than one cause, a causal chain)
// and action-item rules (owner, due date, status, ticket, SMART wording, class and the mix).
#include <fmt/format.h>
#include <re2/re2.h>

#include <set>

#include "base/strings.h"
#include "postmortem/lint_rules.h"
#include "postmortem/pm_time.h"

namespace inquest {

void LintCauseRules(LintContext& ctx) {
  const PmDocument& doc = ctx.doc();
  int causes =
      ctx.Section({"root cause", "root causes", "contributing factors", "causes", "cause"});
  if (causes >= 0 && !ctx.IsPlaceholder(causes)) {
    const PmSection& s = doc.sections[causes];
    static const RE2 kTrigger(R"((?i)\btrigger(ed|s)?\b)");
    bool trigger =
        (doc.trigger.present() && doc.trigger.line > s.line && doc.trigger.line <= s.end_line) ||
        RE2::PartialMatch(s.text, kTrigger);
    // Contributing factors: the text blocks of the section, minus labels ("Contributing
    // factors:") and the trigger.
    int factors = 0;
    for (const PmTextBlock& b : doc.blocks) {
      if (b.line <= s.line || b.line > s.end_line) continue;
      std::string_view t = TrimSpace(b.text);
      if (t.empty() || t.back() == ':' || RE2::PartialMatch(t, kTrigger)) continue;
      ++factors;
    }
    if (!trigger) {
      ctx.Report("trigger-missing", s.line, 1,
                 "the trigger is not named apart from the contributing factors: \"the trigger is "
                 "the proximate event\" (the deploy at 14:02); the factors are the conditions "
                 "that made it lethal",
                 "write \"- Trigger: ...\" then \"- Contributing factors:\" as a numbered list");
    }
    if (factors <= 1) {
      ctx.Report("single-root-cause", s.line, 1,
                 "one cause and no contributing factors: \"if only that one thing had been "
                 "different, would there have been no incident?\" Usually the answer reveals "
                 "other necessary factors",
                 "list the latent bugs, process gaps and observability gaps that had to line up");
    }
  }
  if (ctx.Section({"causal analysis", "5 whys", "five whys", "whys", "why analysis"}) >= 0) return;
  static const RE2 kWhy(R"((?i)^\s*(\d+[.)]\s*)?why\b)");
  int whys = 0;
  for (const PmTextBlock& b : doc.blocks)
    for (std::string_view line : Split(b.text, '\n'))
      if (RE2::PartialMatch(line, kWhy)) ++whys;
  static const RE2 kFiveWhys(R"((?i)\b(5|five) whys\b)");
  bool five = false;
  for (const PmTextBlock& b : doc.blocks) five |= RE2::PartialMatch(b.text, kFiveWhys);
  if (whys >= 3 || five) return;
  ctx.Report("causal-chain-missing", causes >= 0 ? doc.sections[causes].line : 1, 1,
             "no causal chain: \"run the causal analysis (5 Whys, or a fuller method) on the "
             "system, never the person\" -- walk down from the trigger to the conditions that "
             "made it lethal",
             "add \"## Causal analysis (5 Whys)\" with \"1. Why ...? Because ...\"");
}

namespace {

// Owners that own nothing: "'The team' owns nothing."
bool CollectiveOwner(std::string_view owner) {
  static const RE2 kCollective(
      R"((?i)^\s*(the\s+)?(team|teams|everyone|everybody|all|we|us|nobody|anyone|someone|)"
      R"(engineering|tbd|todo|n/?a|none|unassigned|-|\?)\s*$)");
  return RE2::FullMatch(owner, kCollective);
}

bool IsDate(std::string_view due) {
  PmTimeText t = ReadPmTime(due);
  if (t.has_date) return true;
  static const RE2 kLoose(
      R"((?i)(\d{4}-\d{2}\b|\bq[1-4]\b|\bsprint\s*\d+|\bweek\s*\d+|)"
      R"(\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}))");
  return RE2::PartialMatch(due, kLoose);
}

bool KnownStatus(std::string_view status) {
  static const RE2 kStatus(
      R"((?i)^\s*(open|to ?do|new|not started|in progress|in-progress|doing|started|blocked|done|)"
      R"(closed|complete|completed|fixed|resolved|merged|won'?t do|wontfix|won't fix|cancell?ed|)"
      R"(dropped)\b.*)");
  return RE2::FullMatch(status, kStatus);
}

bool HasTicket(const ActionItem& a) {
  if (!TrimSpace(a.ticket).empty() && PlaceholderIn(a.ticket).empty()) return true;
  // A tracker key in the ID column (AI-1, OPS-42) is the ticket's key: the primer's template
  // puts the ticket id there.
  static const RE2 kKey(R"(^\s*[A-Z][A-Z0-9]+-\d+\s*$)");
  return RE2::FullMatch(a.id, kKey);
}

// The vague phrase of an action, or empty. The primer: "'Improve monitoring' -> 'Add an alert
// on pricing DB pool utilization > 80% for 5m'".
std::string VaguePhrase(std::string_view action) {
  static const RE2 kVague(
      R"((?i)(\b(improve|better|enhance)d?\s+(the\s+)?(monitoring|alerting|observability|testing|)"
      R"(process|processes|communication|documentation|governance|visibility)\b|)"
      R"(^\s*(improve|better|enhance)\b|be (more )?careful|\bmore careful\b|)"
      R"(pay (more )?attention|^\s*look into\b|^\s*think about\b|^\s*consider\b|)"
      R"(^\s*discuss\b|^\s*(investigate|explore|research)\b))");
  std::string m;
  if (!RE2::PartialMatch(action, kVague, &m)) return {};
  // "Enhance the pipeline run with a synthetic check" says how: specific enough.
  static const RE2 kHow(R"((?i)^\s*(improve|better|enhance)\w*\s+\S.*\b(with|by)\b)");
  if (RE2::PartialMatch(action, kHow)) return {};
  // "Investigate X and add Y" / "... to decide ..." has an outcome.
  static const RE2 kOutcome(R"((?i)(investigate|explore|research|look into)\b.*\b(and|then|)"
                            R"(so that|to decide|to determine|decision|outcome|by)\b)");
  if (RE2::PartialMatch(action, kOutcome)) return {};
  return std::string(TrimSpace(m));
}

// prevent / detect / mitigate from the wording, or empty.
std::string InferClass(std::string_view action) {
  static const RE2 kDetect(
      R"((?i)\b(alert\w*|alarm\w*|monitor\w*|page\b|paging|dashboard\w*|detect\w*|notif\w*|)"
      R"(observability|metric\w*|uptime|health ?check|probe|slo\b|log\w*))");
  static const RE2 kMitigate(
      R"((?i)\b(runbook|playbook|rollback|roll back|canary|staged|circuit breaker|rate limit\w*|)"
      R"(fallback|failover|fail over|restore|recover\w*|backup|documentation|document|wiki|drill|)"
      R"(incident response|escalat\w*|on-?call))");
  static const RE2 kPrevent(
      R"((?i)\b(fix\w*|add\w*|remov\w*|upgrad\w*|validat\w*|test\w*|automat\w*|exclud\w*|limit\w*|)"
      R"(coalesc\w*|singleflight|jitter|patch\w*|migrat\w*|replac\w*|enforc\w*|block\w*|lint\w*|)"
      R"(check\w*|update\w*|chang\w*|increas\w*|reduc\w*|pin\w*|configur\w*|implement\w*|)"
      R"(creat\w*|review\w*|harden\w*|prevent\w*|guard\w*|restrict\w*|disabl\w*|enabl\w*|)"
      R"(cap\b|capp\w*|revert\w*|lock\w*|modif\w*|adjust\w*|teach\w*|train\w*|refactor\w*|rewrit\w*|set\b|scale\w*|resiz\w*|require\w*|separat\w*|isolat\w*|move\w*))");
  if (RE2::PartialMatch(action, kDetect)) return "detect";
  if (RE2::PartialMatch(action, kMitigate)) return "mitigate";
  if (RE2::PartialMatch(action, kPrevent)) return "prevent";
  return {};
}

}  // namespace

void LintActionRules(LintContext& ctx) {
  const PmDocument& doc = ctx.doc();
  int index = doc.actions_section;
  // A section that is only a placeholder has no items to check; one TBD row among items does
  // not hold back the checks of the others (the row is reported on its own).
  if (index < 0 || (ctx.IsPlaceholder(index) && doc.actions.empty())) return;
  std::set<std::string> classes;
  bool unknown_class = false;
  size_t checked = 0;  // items that are not placeholders
  for (const ActionItem& a : doc.actions) {
    int col = a.from_table ? 1 : std::max(1, a.column);
    std::string label = a.id.empty() ? fmt::format("\"{}\"", a.action.substr(0, 60)) : a.id;
    // A cell still asking its question is reported as unanswered (lint_document.cc); the rule
    // on that cell waits for the answer.
    auto asked = [](const std::string& cell) {
      return cell.find(kFillInMarker) != std::string::npos;
    };
    if (asked(a.action)) continue;
    if (!PlaceholderIn(a.action).empty()) {
      ctx.Report("section-placeholder", a.line, col,
                 fmt::format("action item {} is a placeholder", label),
                 "write the action, or remove the row");
      continue;
    }
    ++checked;
    if (!asked(a.owner) && (TrimSpace(a.owner).empty() || CollectiveOwner(a.owner))) {
      ctx.Report(
          "action-owner", a.line, col,
          a.owner.empty()
              ? fmt::format("{} has no owner: \"an owner who is a person/role, not 'the "
                            "team'\"",
                            label)
              : fmt::format("{} is owned by \"{}\": \"'The team' owns nothing\"", label, a.owner),
          "name one role or person (\"SRE on-call\", \"pricing\")");
    }
    if (!asked(a.due) && (TrimSpace(a.due).empty() || !IsDate(a.due))) {
      ctx.Report("action-due", a.line, col,
                 a.due.empty() ? fmt::format("{} has no due date: \"a due date that's real, and "
                                             "a follow-up to check it\"",
                                             label)
                               : fmt::format("{}: \"{}\" is not a date", label, a.due),
                 "give a date (YYYY-MM-DD) the owner agreed to");
    }
    if (!asked(a.status) && (TrimSpace(a.status).empty() || !KnownStatus(a.status))) {
      ctx.Report("action-status", a.line, col,
                 a.status.empty()
                     ? fmt::format("{} has no status: the two-week review asks \"how many "
                                   "landed?\"",
                                   label)
                     : fmt::format("{}: status \"{}\" is not open / in progress / done / won't do",
                                   label, a.status),
                 "add a Status column (open, in progress, done, won't do) or a task box");
    }
    if (!asked(a.ticket) && !HasTicket(a)) {
      ctx.Report("action-ticket", a.line, col,
                 fmt::format("{} has no ticket: \"if it only lives in the post-mortem doc, it's "
                             "invisible to sprint planning and dies\"",
                             label),
                 "link the ticket in the team's tracker (a URL, #123 or KEY-123)");
    }
    if (std::string vague = VaguePhrase(a.action); !vague.empty()) {
      ctx.Report("action-vague", a.line, a.from_table ? col : ctx.ColumnOf(a.line, vague, col),
                 fmt::format("{} is not specific and measurable (\"{}\"): \"'Improve monitoring' "
                             "-> 'Add an alert on pricing DB pool utilization > 80% for 5m'\"",
                             label, vague),
                 "say what changes, by how much, and how anyone will know it is done");
    }
    std::string cls = asked(a.item_class) ? "" : ToLower(TrimSpace(a.item_class));
    if (!cls.empty() && cls != "prevent" && cls != "detect" && cls != "mitigate") {
      ctx.Report("action-class", a.line, col,
                 fmt::format("{}: class \"{}\" is not prevent, detect or mitigate", label, cls),
                 "prevent (stop the cause), detect (catch it sooner), mitigate (recover faster)");
      unknown_class = true;
      continue;
    }
    if (cls.empty()) cls = InferClass(a.action);
    if (cls.empty()) {
      unknown_class = true;
      ctx.Report("action-class", a.line, col,
                 fmt::format("{}: neither stated nor clear from the wording whether it prevents, "
                             "detects or mitigates",
                             label),
                 "add a Class column: prevent (stop the cause), detect (catch it sooner), "
                 "mitigate (recover faster)");
    } else {
      classes.insert(cls);
    }
  }
  if (checked >= 2 && classes.size() == 1 && !unknown_class) {
    const PmSection& s = doc.sections[index];
    ctx.Report("action-classes", s.line, 1,
               fmt::format("every action item is \"{}\": \"a healthy set has all three; a set "
                           "that's all 'prevent' usually has a detection gap nobody's filling\"",
                           *classes.begin()),
               "add the detect and mitigate items the incident calls for");
  }
}

std::vector<LintFinding> LintActionItem(const ActionItem& item, const LintConfig& config) {
  PmDocument doc;
  PmSection section;
  section.heading = "Action items";
  section.level = 2;
  section.line = section.end_line = 1;
  section.text = item.action;
  section.words = 1;
  doc.sections.push_back(std::move(section));
  doc.actions_section = 0;
  doc.actions.push_back(item);
  doc.actions.back().line = 1;
  std::vector<LintFinding> out;
  LintContext ctx(doc, config, &out);
  LintActionRules(ctx);
  return out;
}

}  // namespace inquest
