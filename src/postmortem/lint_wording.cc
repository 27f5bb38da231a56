// Blameless wording: every sentence, every section ("keep it blameless in every sentence").
#include <fmt/format.h>
#include <re2/re2.h>

#include <memory>

#include "base/strings.h"
#include "postmortem/lint_rules.h"

namespace inquest {
namespace {

struct BlamePattern {
  const char* regex;
  const char* why;
};

// Each pattern and what it does to a review. "Failed to" and "forgot" count only with a
// person as the subject: "the pod failed to start" is the system's behaviour, not blame.
const BlamePattern kPatterns[] = {
    {R"((?i)\b(human errors?)\b)",
     "\"human error\" ends the inquiry where it should begin: ask why the system allowed it"},
    {R"((?i)\b(should(?:n't| not)? have (?:been|[a-z]+(?:ed|en|wn)|done|caught|seen|made|run|)"
     R"(told|thought|found|got|had|kept|left|put|set|taken|spotted|noticed|checked|tested))\b)",
     "\"should have\" is hindsight: it judges people by what only the outcome revealed"},
    {R"((?i)\b(careless(?:ly|ness)?|negligen(?:t|ce)|sloppy|incompeten(?:t|ce))\b)",
     "judging a person's care is blame, not analysis"},
    {R"(\b((?:[Ww]e|I|[Hh]e|[Ss]he|[Tt]hey|[Ss]omeone|[Ss]omebody|[Tt]he (?:engineer|operator|)"
     R"(developer|on-?call|reviewer|admin|author|deployer)) (?:failed to|forgot(?: to)?|)"
     R"(neglected to|messed up|screwed up))\b)",
     "\"failed to\" with a person as subject blames the person; describe what the system "
     "made easy or hard"},
    {R"(\b([A-Z][a-z]+'s (?:fault|mistake|error)|[A-Z][a-z]+ (?:forgot|neglected|messed up|)"
     R"(screwed up))\b)",
     "a person named with a fault: \"redirect to 'why did the system allow X?'\""},
    {R"((?i)\b((?:to )?blame[sd]?|at fault|(?:his|her|their) fault)\b)",
     "assigning fault makes the next incident's facts harder to get"},
    {R"((?i)\b(if (?:only )?[^.;:!?\n]{1,80}?\bhad(?:n't| not)?\b[^.;:!?\n]{0,80}?\bwould)\b)",
     "\"if X had ...\" describes an alternate reality; describe what did happen and why it made "
     "sense at the time"},
};

}  // namespace

void LintWordingRules(LintContext& ctx) {
  if (!ctx.Enabled("blame-wording")) return;
  static const std::vector<std::unique_ptr<RE2>>* compiled = [] {
    auto* v = new std::vector<std::unique_ptr<RE2>>;
    for (const BlamePattern& p : kPatterns) v->push_back(std::make_unique<RE2>(p.regex));
    return v;
  }();
  const PmDocument& doc = ctx.doc();
  for (const PmTextBlock& b : doc.blocks) {
    int line = b.line;
    for (std::string_view text : Split(b.text, '\n')) {
      std::string source_line = ToLower(doc.Line(line));
      for (size_t i = 0; i < compiled->size(); ++i) {
        re2::StringPiece in(text.data(), text.size());
        std::string match;
        size_t search_from = 0;
        while (RE2::FindAndConsume(&in, *(*compiled)[i], &match)) {
          // The column in the source line; repeated phrases are found left to right.
          size_t at = source_line.find(ToLower(match.substr(0, 40)), search_from);
          int column = at == std::string::npos ? b.column : int(at) + 1;
          if (at != std::string::npos) search_from = at + 1;
          ctx.Report("blame-wording", line, column,
                     fmt::format("\"{}\": {}. \"Keep it blameless in every sentence\"",
                                 match.size() > 80 ? match.substr(0, 77) + "..." : match,
                                 kPatterns[i].why),
                     "rewrite on the system: what made this easy to do, hard to see, or "
                     "possible at all?");
          if (in.empty()) break;
        }
      }
      ++line;
    }
  }
}

}  // namespace inquest
