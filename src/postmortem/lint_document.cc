// Document-level rules: required sections and placeholders, the header (SEV, status, author),
// the three reflections, length, and the SEV against the stated impact.
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "base/strings.h"
#include "postmortem/lint_rules.h"

namespace inquest {
namespace {

struct Required {
  std::initializer_list<std::string_view> names;
  std::string_view display;
  std::string_view why;  // the primer's reason, quoted in the message
};

const Required kRequired[] = {
    {{"summary", "executive summary", "tl dr", "tldr"},
     "Summary",
     "one paragraph: what broke, for how long, blast radius, resolution"},
    {{"impact", "customer impact", "user impact", "business impact"},
     "Impact",
     "quantified: % of users / requests, duration, $ if known, data integrity"},
    {{"detection", "how we found out", "how it was detected"},
     "Detection",
     "how did we find out -- alert / human / customer? Time to detect"},
    {{"timeline", "detailed timeline", "incident timeline"},
     "Timeline (UTC)",
     "built from artifacts, not memory: \"HH:MM -- event (source)\""},
    {{"root cause", "root causes", "contributing factors", "causes", "cause"},
     "Root cause & contributing factors",
     "the trigger and the contributing factors, listed apart"},
    {{"resolution", "recovery", "mitigation"},
     "Resolution & recovery",
     "what stopped the bleeding (mitigation) and what restored normal (fix)"},
    {{"action items", "action item", "actions", "follow up", "follow ups", "corrective actions",
      "remediation", "next steps"},
     "Action items",
     "\"everything else in the post-mortem exists to justify the action items\""},
};

}  // namespace

void LintDocumentRules(LintContext& ctx) {
  const PmDocument& doc = ctx.doc();
  int top = doc.title.present() ? doc.title.line : 1;
  for (const Required& r : kRequired) {
    if (ctx.Section(r.names) >= 0) continue;
    ctx.Report(
        "section-missing", top, 1,
        fmt::format("no \"{}\" section; the primer's template asks for it: {}", r.display, r.why),
        fmt::format("add \"## {}\" (inquest pm new writes the full template)", r.display));
  }
  // Template lines left in sections that otherwise have content.
  for (const PmTextBlock& b : doc.blocks) {
    if (b.is_heading || ctx.IsPlaceholder(b.section)) continue;
    std::string left = TemplateTextIn(b.text);
    if (left.empty()) continue;
    ctx.Report("section-placeholder", b.line, ctx.ColumnOf(b.line, left, b.column),
               fmt::format("template text left in: \"{}\"", left),
               "replace it with what happened, or delete it");
  }
  // Every question still to answer, where it is (a section of questions only is reported by
  // its questions, not once more as a placeholder).
  int last_line = 0;
  size_t line_from = 0;  // where on last_line the next question is searched for
  for (const PmTextBlock& b : doc.blocks) {
    for (size_t at = b.text.find(kFillInMarker); at != std::string::npos;
         at = b.text.find(kFillInMarker, at + 1)) {
      int line = b.line + int(std::count(b.text.begin(), b.text.begin() + at, '\n'));
      if (line != last_line) last_line = line, line_from = 0;
      std::string_view src = doc.Line(line);
      size_t in_src = src.find(kFillInMarker, line_from);
      int column = in_src == std::string_view::npos ? b.column : int(in_src) + 1;
      if (in_src != std::string_view::npos) line_from = in_src + 1;
      // The question as written: up to the emphasis that closes it in the source ("_Fill in:
      // ..._" then a space or the line's end), else to the end of the text's line.
      std::string_view rest = in_src != std::string_view::npos
                                  ? src.substr(in_src + kFillInMarker.size())
                                  : std::string_view(b.text).substr(at + kFillInMarker.size());
      size_t close = std::string_view::npos;
      for (size_t i = 0; i < rest.size() && rest[i] != '\n'; ++i)
        if ((rest[i] == '_' || rest[i] == '*') &&
            (i + 1 == rest.size() || !std::isalnum(static_cast<unsigned char>(rest[i + 1])))) {
          close = i;
          break;
        }
      if (close == std::string_view::npos) close = rest.find('\n');
      std::string question(TrimSpace(rest.substr(0, close)));
      if (question.size() > 100) {
        size_t cut = 97;  // on a UTF-8 boundary
        while (cut > 0 && (static_cast<unsigned char>(question[cut]) & 0xC0) == 0x80) --cut;
        question = question.substr(0, cut) + "...";
      }
      ctx.Report("unanswered", line, column, fmt::format("unanswered: \"{}\"", question),
                 "answer it in place of the \"Fill in\", or delete it if it does not apply");
    }
  }
  for (size_t i = 0; i < doc.sections.size(); ++i) {
    const PmSection& s = doc.sections[i];
    if (s.level == 1 || !ctx.IsPlaceholder(int(i))) continue;
    std::string what = PlaceholderIn(s.text);
    if (what == kFillInMarker) continue;
    ctx.Report("section-placeholder", s.line, 1,
               what == "nothing"
                   ? fmt::format("section \"{}\" is empty", s.heading)
                   : fmt::format("section \"{}\" still holds a placeholder ({})", s.heading, what),
               "fill this in, or delete the section if it does not apply");
  }

  if (!doc.sev.present()) {
    ctx.Report("sev-missing", top, 1,
               "no SEV level: \"a SEV is a response trigger\" -- it sets who was paged, whether a "
               "post-mortem is mandatory, and lets time to recover be tracked per SEV",
               fmt::format("put the level in the title line or a \"Severity:\" line ({})",
                           fmt::join(
                               [&] {
                                 std::vector<std::string> names;
                                 for (const SevLevel& l : ctx.config().sev_scale)
                                   names.push_back(l.name);
                                 return names;
                               }(),
                               ", ")));
  } else if (FindSevLevel(ctx.config().sev_scale, doc.sev.text) < 0) {
    ctx.Report("sev-missing", doc.sev.line, doc.sev.column,
               fmt::format("{} is not on the configured SEV scale", doc.sev.text),
               "use a level of the scale ([[sev]] in inquest.toml, default SEV-1..SEV-4)");
  }

  static const RE2 kStatus(R"((?i)^\s*(draft|in review|review|final|published)\b[^|]*$)");
  if (!doc.status.present()) {
    ctx.Report("status-missing", top, 1,
               "no document status: readers cannot tell a draft from "
               "the reviewed record",
               "add \"Status: Draft | In Review | Final\" under the title");
  } else if (!RE2::FullMatch(doc.status.text, kStatus)) {
    ctx.Report("status-missing", doc.status.line, doc.status.column,
               fmt::format("status \"{}\" is not one of Draft, In Review, Final", doc.status.text),
               "write one of Draft, In Review, Final");
  }
  bool author = doc.author.present() && PlaceholderIn(doc.author.text).empty();
  bool reviewers = doc.reviewers.present() && PlaceholderIn(doc.reviewers.text).empty();
  bool asked = doc.author.text.find(kFillInMarker) != std::string::npos ||
               doc.reviewers.text.find(kFillInMarker) != std::string::npos;
  if ((!author || !reviewers) && !asked) {
    ctx.Report("author-missing", doc.author.present() ? doc.author.line : top,
               doc.author.present() ? doc.author.column : 1,
               !author ? "no author: the primer asks for \"a single author to draft the timeline "
                         "and the first causal story\""
                       : "no reviewers: a post-mortem is reviewed before it is final",
               "add \"Author: <role>    Reviewers: <roles>\" under the title");
  }

  // What went well / poorly / where we got lucky: said in the text ("Lucky: ..."), or a
  // heading on one of them with content under it. A heading naming several ("What went well /
  // poorly / lucky") needs each said under it.
  static const RE2 kWell(R"((?i)(went well|went right|\bwell:|worked well|went smoothly))");
  static const RE2 kPoorly(
      R"((?i)(went (poorly|wrong|badly|less well)|\bpoorly\b|did ?n[o']t go (so |very )?well|)"
      R"(could (have gone|be) better|went not so well|\bbad:|lessons learn))");
  static const RE2 kLucky(R"((?i)\b(lucky|luck|luckily|fortunate(ly)?)\b)");
  int reflections = doc.FindSection({"what went well", "lessons learned", "lessons", "reflection",
                                     "retrospective", "what went wrong"});
  int at = reflections >= 0 ? doc.sections[reflections].line : top;
  const RE2* kinds[3] = {&kWell, &kPoorly, &kLucky};
  bool said[3] = {false, false, false};
  for (const PmTextBlock& b : doc.blocks) {
    if (!b.is_heading) {
      for (int k = 0; k < 3; ++k) said[k] |= RE2::PartialMatch(b.text, *kinds[k]);
      continue;
    }
    int matches = 0, which = -1;
    for (int k = 0; k < 3; ++k)
      if (RE2::PartialMatch(b.text, *kinds[k])) ++matches, which = k;
    if (matches == 1 && b.section >= 0 && doc.sections[b.section].words > 0) said[which] = true;
  }
  std::vector<std::string_view> missing;
  if (!said[0]) missing.push_back("what went well");
  if (!said[1]) missing.push_back("what went poorly");
  if (!said[2]) missing.push_back("where we got lucky");
  if (!missing.empty() && !ctx.IsPlaceholder(reflections)) {
    ctx.Report("reflection-missing", at, 1,
               fmt::format("the document does not say {}; the primer: capture \"what went well\" "
                           "and \"where we got lucky\" -- honestly. The luck is often the "
                           "scariest finding",
                           fmt::join(missing, ", ")),
               "add \"## What went well / what went poorly / where we got lucky\"");
  }

  // A document with sections still to fill in is not measured: its length says nothing yet.
  bool unfinished = false;
  for (size_t i = 0; i < doc.sections.size(); ++i) unfinished |= ctx.IsPlaceholder(int(i));
  if (doc.words < ctx.config().min_words && !unfinished) {
    ctx.Report("length", top, 1,
               fmt::format("{} words: too short to be investigated (\"two to four pages. Longer "
                           "means unread; shorter means under-investigated\")",
                           doc.words),
               fmt::format("at least {} words ([lint] min_words)", ctx.config().min_words));
  } else if (doc.words > ctx.config().max_words) {
    ctx.Report("length", top, 1,
               fmt::format("{} words: over four pages (\"longer means unread\")", doc.words),
               "link, don't paste: move logs and detail to the appendix as links");
  }

  // The SEV against the words of the impact.
  int impact = ctx.Section({"impact", "customer impact", "user impact", "business impact"});
  int level = doc.sev.present() ? FindSevLevel(ctx.config().sev_scale, doc.sev.text) : -1;
  if (impact >= 0 && level >= 0 && !ctx.IsPlaceholder(impact)) {
    const PmSection& s = doc.sections[impact];
    static const RE2 kSevere(
        R"((?i)(data loss|lost data|security breach|data (was )?exposed|all (users|customers|)"
        R"(requests)|100 ?%|complete outage|full outage|total outage|down globally))");
    static const RE2 kBenign(
        R"((?i)(no (user|customer)[- ](facing )?impact|no impact|cosmetic|internal only|)"
        R"(no (perceivable|visible) (outage|impact)))");
    std::string match;
    size_t levels = ctx.config().sev_scale.size();
    if (levels >= 3 && level >= 2 && RE2::PartialMatch(s.text, kSevere, &match)) {
      ctx.Report(
          "sev-impact-mismatch", doc.sev.line, doc.sev.column,
          fmt::format("{} but the impact says \"{}\": beware SEV deflation (\"downgrading to "
                      "avoid the post-mortem paperwork -- a culture smell\")",
                      doc.sev.text, match),
          "raise the SEV or correct the impact");
    } else if (levels >= 3 && level <= 1 && RE2::PartialMatch(s.text, kBenign, &match)) {
      ctx.Report("sev-impact-mismatch", doc.sev.line, doc.sev.column,
                 fmt::format("{} but the impact says \"{}\": beware SEV inflation (\"everything "
                             "becomes a SEV-1, so SEV-1 stops meaning anything\")",
                             doc.sev.text, match),
                 "lower the SEV or state the impact");
    }
  }
}

}  // namespace inquest
