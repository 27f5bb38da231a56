// Excerpts of the lines a report cites ("pods/pricing.log:2375"): the cited line with a few
// lines of context, redacted, read from the bundle's files in one bounded streaming pass per
// file, so that report.html can link every citation to the text it points at.
//
//   ExcerptSet ex(OpenBundleFile(a.inputs));
//   ex.Cite("pods/pricing.log:2375");       // every citation, in the order the page shows them
//   ex.Read();                               // one pass per file, only the lines needed
//   const SourceExcerpt* e = ex.Find("pods/pricing.log:2375");
//   if (e->ok()) ... e->lines ...  else ... e->unresolved ...
#ifndef INQUEST_REPORT_SOURCE_EXCERPTS_H_
#define INQUEST_REPORT_SOURCE_EXCERPTS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/bundle_inputs.h"
#include "analyze/window_pass.h"
#include "base/decompress.h"
#include "base/status.h"

namespace inquest {

// Lines shown before and after a cited line: enough to see the records around it (the request
// before a timeout, the retry after it) without turning the report into a log viewer.
inline constexpr int kExcerptContextLines = 2;
// Excerpts one report holds. The example cites about 130 distinct lines; a bundle with many
// findings and a busy incident window may cite more, and each excerpt adds about 1 KB to the
// page. Citations past the cap are shown as plain text, and the report says how many.
inline constexpr size_t kMaxExcerpts = 300;
// Bytes of one excerpt line shown (cut on a UTF-8 boundary, with "…"): a few rows of the page's
// width. A log line can be megabytes long; the excerpt is there to recognise the line.
inline constexpr size_t kMaxExcerptLineBytes = 500;
// Bytes of one line kept for redaction before the cut: a secret that starts inside the shown
// part is recognised whole, so the cut never leaves half a token readable.
inline constexpr size_t kRedactWindowBytes = 4 * kMaxExcerptLineBytes;

// A "file:line" reference as analyze writes them (SourceOf, Change::source, EvidenceRef).
struct Citation {
  std::string file;   // bundle-relative
  uint64_t line = 0;  // 1-based
};
// "pods/x.log:2375" -> {"pods/x.log", 2375}; nullopt for anything else ("core: byte 4096",
// "x.log", "x.log:0", ":12").
std::optional<Citation> ParseCitation(std::string_view source);

// One line of an excerpt: its text redacted (Redact), made printable (control bytes and
// invalid UTF-8 replaced) and cut to kMaxExcerptLineBytes. Not HTML-escaped.
struct ExcerptLine {
  uint64_t number = 0;
  std::string text;
};

// What one pass over a file gave: the lines asked for, in order, and how far the pass got.
struct LineRanges {
  std::vector<ExcerptLine> lines;
  uint64_t lines_read = 0;  // lines seen before the pass stopped
  bool at_end = false;      // the pass reached the end of the file: lines_read is its length
  Status error;             // a read failed after lines_read lines
};

// Reads the lines within `context` of each of `wanted` (1-based, any order, duplicates allowed)
// from `in`, whose first byte starts line `first_line` (a stream moved ahead to a known line
// start), in one pass that stops after the last line needed. Memory: one read buffer plus
// kRedactWindowBytes per line kept. Lines inside a PEM private-key block are replaced by the
// redaction marker whole (Redact alone sees one line at a time).
LineRanges ReadLineRanges(ByteStream* in, std::vector<uint64_t> wanted, int context,
                          uint64_t first_line = 1);

// Where a line of a file starts, as far as known: the byte offset and number of the latest
// known line start at or before `line` ({0, 1}, the file's start, when nothing is known).
struct LineStart {
  uint64_t offset = 0;
  uint64_t line = 1;
};
using LineStartFinder = std::function<LineStart(const std::string& relative, uint64_t line)>;
// The bytes of a file the analysis holds in memory, each run from a line start (null or empty:
// none).
using HeldLinesFinder = std::function<const std::vector<HeldLines>*(const std::string& relative)>;

// A citation and its excerpt, or why it has none.
struct SourceExcerpt {
  std::string source;  // the citation as cited
  Citation at;
  std::vector<ExcerptLine> lines;  // context before, the cited line, context after
  std::string unresolved;          // why there is no excerpt; empty when there is one
  bool over_cap = false;           // left out by the cap (not read)
  bool ok() const { return unresolved.empty(); }
  const ExcerptLine* cited() const;  // the cited line among `lines` (null when !ok())
};

// Opens a bundle-relative file for reading; an error when it is not one of the bundle's.
using ExcerptOpener =
    std::function<Result<std::unique_ptr<ByteStream>>(const std::string& relative)>;
// The opener over the files analyze read: a name is opened at the path it was read from, and
// only names among `inputs` are opened (a citation never reaches outside the bundle).
ExcerptOpener OpenBundleFile(const std::vector<InputReport>& inputs);

// The citations of one report and their excerpts.
class ExcerptSet {
 public:
  explicit ExcerptSet(ExcerptOpener open, size_t max_excerpts = kMaxExcerpts,
                      int context = kExcerptContextLines);

  // Records a citation (before Read). Repeats are kept once; citations that are not
  // "file:line", and those past the cap, are kept unresolved with the reason.
  void Cite(std::string_view source);
  // Line starts known from the analysis (a file's window index): each file's pass then starts
  // at the latest one before the first line it needs instead of at the file's start.
  void SetLineStarts(LineStartFinder find) { line_starts_ = std::move(find); }
  // Bytes of the files held in memory: an excerpt whose lines, context included, lie inside
  // one run is read from it; the file is read only for the others.
  void SetHeldLines(HeldLinesFinder find) { held_ = std::move(find); }
  // Reads every cited file once, in one pass each (none for a file whose excerpts are all
  // held). Call once.
  void Read();
  // The excerpt of `source`, or null when it was never cited. Valid until the next Cite.
  const SourceExcerpt* Find(std::string_view source) const;

  // In the order cited.
  const std::vector<SourceExcerpt>& excerpts() const { return excerpts_; }
  size_t resolved() const;
  size_t over_cap() const { return over_cap_; }  // citations left out by the cap
  size_t max_excerpts() const { return max_excerpts_; }

 private:
  ExcerptOpener open_;
  LineStartFinder line_starts_;
  HeldLinesFinder held_;
  void Fill(const std::vector<size_t>& which, const LineRanges& got);
  // Reads from the held runs the excerpts of `which` they hold, and returns the others.
  std::vector<size_t> ReadHeld(const std::string& file, const std::vector<size_t>& which);
  size_t max_excerpts_;
  int context_;
  size_t readable_ = 0;  // cited "file:line" references within the cap
  size_t over_cap_ = 0;
  std::vector<SourceExcerpt> excerpts_;
  std::map<std::string, size_t, std::less<>> index_;  // source -> excerpts_
};

}  // namespace inquest

#endif  // INQUEST_REPORT_SOURCE_EXCERPTS_H_
