// Citations in report.html: every "file:line" the page shows is a link to an anchored excerpt
// of that line (source_excerpts.h) in the page's last section, or, when it has none, plain
// text whose title says why. The page is rendered twice: the first time Link() only records
// the citations in page order; after Read(), Link() writes the links.
//
//   HtmlCitations cites(OpenBundleFile(a.inputs));
//   Body(a, &cites);                 // records
//   cites.Read();
//   std::string html = Body(a, &cites) + cites.ExcerptsSection();
#ifndef INQUEST_REPORT_HTML_CITATIONS_H_
#define INQUEST_REPORT_HTML_CITATIONS_H_

#include <string>
#include <string_view>

#include "report/source_excerpts.h"

namespace inquest {

class HtmlCitations {
 public:
  explicit HtmlCitations(ExcerptOpener open, size_t max_excerpts = kMaxExcerpts,
                         int context = kExcerptContextLines);

  // HTML for `source`: before Read(), records it and returns its text; after, a link
  // <a class="cite" href="#ex-N"><code>source</code></a> to its excerpt, or
  // <code class="cite-none" title="why">source</code>. Empty sources give "".
  std::string Link(std::string_view source);
  // Reads the excerpts of every recorded citation (ExcerptSet::Read).
  void Read();
  // Known line starts to begin each file's pass at (ExcerptSet::SetLineStarts).
  void SetLineStarts(LineStartFinder find) { set_.SetLineStarts(std::move(find)); }
  // Bytes held in memory to read excerpts from (ExcerptSet::SetHeldLines).
  void SetHeldLines(HeldLinesFinder find) { set_.SetHeldLines(std::move(find)); }

  // The section holding the excerpts, each <div class="excerpt" id="ex-N"> with its lines,
  // the cited one marked class "hl"; says how many citations were left out and why.
  std::string ExcerptsSection() const;

  const ExcerptSet& excerpts() const { return set_; }

 private:
  ExcerptSet set_;
  bool read_ = false;
};

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_CITATIONS_H_
