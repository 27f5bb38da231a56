#include "report/html_citations.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {

HtmlCitations::HtmlCitations(ExcerptOpener open, size_t max_excerpts, int context)
    : set_(std::move(open), max_excerpts, context) {}

std::string HtmlCitations::Link(std::string_view source) {
  if (source.empty()) return "";
  if (!read_) {
    set_.Cite(source);
    return HtmlEscape(source);
  }
  const SourceExcerpt* e = set_.Find(source);
  if (e == nullptr)
    return fmt::format(
        "<code class=\"cite-none\" title=\"not excerpted: cited after the excerpts "
        "were read\">{}</code>",
        HtmlEscape(source));
  if (!e->ok())
    return fmt::format("<code class=\"cite-none\" title=\"{}\">{}</code>",
                       HtmlEscape(e->unresolved), HtmlEscape(source));
  return fmt::format("<a class=\"cite\" href=\"#ex-{}\"><code>{}</code></a>",
                     e - set_.excerpts().data(), HtmlEscape(source));
}

void HtmlCitations::Read() {
  if (read_) return;
  set_.Read();
  read_ = true;
}

std::string HtmlCitations::ExcerptsSection() const {
  std::string h = "<h2 id=\"excerpts\">Cited lines</h2>\n";
  const std::vector<SourceExcerpt>& all = set_.excerpts();
  size_t shown = set_.resolved();
  h += fmt::format(
      "<p class=\"q\">Every citation in this report links here: the cited line (highlighted) "
      "with up to {} lines before and after it, read from the bundle's files when the report was "
      "written, redacted. {} cited lines.</p>\n",
      kExcerptContextLines, shown);
  for (size_t i = 0; i < all.size(); ++i) {
    const SourceExcerpt& e = all[i];
    if (!e.ok()) continue;
    h += fmt::format(
        "<div class=\"excerpt\" id=\"ex-{}\"><div class=\"exh\"><code>{}</code></div>"
        "<div class=\"exl\">",
        i, HtmlEscape(e.source));
    for (const ExcerptLine& l : e.lines)
      h += fmt::format(
          "<div class=\"l{}\"><span class=\"ln\">{}</span><span class=\"lt\">{}"
          "</span></div>",
          l.number == e.at.line ? " hl" : "", l.number, HtmlEscape(l.text));
    h += "</div></div>\n";
  }
  // What has no excerpt, and why (the cap is said once, not per citation).
  std::string missing;
  for (const SourceExcerpt& e : all)
    if (!e.ok() && e.at.line != 0 && !e.over_cap)
      missing += fmt::format("<li><code>{}</code>: {}</li>\n", HtmlEscape(e.source),
                             HtmlEscape(e.unresolved));
  if (!missing.empty())
    h += "<p>These citations could not be excerpted:</p>\n<ul class=\"exmiss\">\n" + missing +
         "</ul>\n";
  if (set_.over_cap() > 0)
    h += fmt::format(
        "<p class=\"q\">{} further cited lines are not excerpted: the report holds at most {} "
        "excerpts. Their citations are shown as plain text.</p>\n",
        set_.over_cap(), set_.max_excerpts());
  return h;
}

}  // namespace inquest
