// The Markdown walk: cmark-gfm parses, this file turns the tree into sections and text blocks
// with their lines, then hands tables and lists to the timeline and action-item readers
// (document_parts.cc) and text to the header-field reader (document_fields.cc).
#include "postmortem/document.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "base/mapped_file.h"
#include "base/strings.h"
#include "postmortem/document_parts.h"

namespace inquest {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// Heading text with trailing '#'s and spaces gone.
std::string Trimmed(std::string s) { return std::string(TrimSpace(s)); }

class Walker {
 public:
  explicit Walker(PmDocument* doc) : doc_(doc) {}

  void WalkBlocks(cmark_node* parent, bool in_list) {
    for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) Block(n);
  }

 private:
  void AddBlock(cmark_node* n, bool in_table) {
    PmTextBlock b;
    PmAppendInlineText(n, &b.text);
    b.line = cmark_node_get_start_line(n);
    b.column = std::max(1, cmark_node_get_start_column(n));
    b.section = int(doc_->sections.size()) - 1;
    b.in_table = in_table;
    if (!TrimSpace(b.text).empty()) doc_->blocks.push_back(std::move(b));
  }

  void Block(cmark_node* n) {
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_HEADING: {
        PmSection s;
        PmAppendInlineText(n, &s.heading);
        s.heading = Trimmed(s.heading);
        std::replace(s.heading.begin(), s.heading.end(), '\n', ' ');
        s.level = cmark_node_get_heading_level(n);
        s.line = cmark_node_get_start_line(n);
        doc_->sections.push_back(std::move(s));
        AddBlock(n, false);
        if (!doc_->blocks.empty() && doc_->blocks.back().line == cmark_node_get_start_line(n))
          doc_->blocks.back().is_heading = true;
        return;
      }
      case CMARK_NODE_PARAGRAPH:
        AddBlock(n, false);
        return;
      case CMARK_NODE_CODE_BLOCK:
        code_lines_.push_back(cmark_node_get_start_line(n));
        return;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_THEMATIC_BREAK:
        return;
      default:
        break;
    }
    if (PmIsType(n, "table")) {
      for (cmark_node* row = cmark_node_first_child(n); row; row = cmark_node_next(row))
        for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell))
          AddBlock(cell, true);
      return;
    }
    // Lists, items, block quotes: their blocks are text too.
    for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) Block(c);
  }

  PmDocument* doc_;
  std::vector<int> code_lines_;

 public:
  const std::vector<int>& code_lines() const { return code_lines_; }
};

void FinishSections(PmDocument* doc, int last_line, const std::vector<int>& code_lines) {
  auto& secs = doc->sections;
  for (size_t i = 0; i < secs.size(); ++i) {
    int end = last_line;
    for (size_t j = i + 1; j < secs.size(); ++j) {
      if (secs[j].level <= secs[i].level) {
        end = secs[j].line - 1;
        break;
      }
    }
    secs[i].end_line = std::max(secs[i].line, end);
  }
  // Each section's enclosing section, so a line's sections are found in (depth) steps.
  std::vector<int> parent(secs.size(), -1);
  std::vector<int> open;
  for (size_t i = 0; i < secs.size(); ++i) {
    while (!open.empty() && secs[open.back()].level >= secs[i].level) open.pop_back();
    parent[i] = open.empty() ? -1 : open.back();
    open.push_back(int(i));
  }
  // Calls fn(section) for every section whose content holds `line`, innermost first.
  auto for_sections_of = [&](int line, auto&& fn) {
    auto after = std::upper_bound(secs.begin(), secs.end(), line - 1,
                                  [](int l, const PmSection& s) { return l < s.line; });
    int i = int(after - secs.begin()) - 1;  // the last section starting before `line`
    while (i >= 0 && line > secs[i].end_line) i = parent[i];
    for (; i >= 0; i = parent[i]) fn(secs[i]);
  };
  for (const PmTextBlock& b : doc->blocks) {
    for_sections_of(b.line, [&](PmSection& s) {
      if (!s.text.empty()) s.text += '\n';
      s.text += b.text;
    });
  }
  for (int line : code_lines) for_sections_of(line, [](PmSection& s) { s.has_code = true; });
  for (PmSection& s : secs) s.words = CountWords(s.text);
  for (const PmTextBlock& b : doc->blocks) doc->words += CountWords(b.text);
}

// CommonMark ends a line at \n, \r\n or a lone \r; with every ending written \n, cmark's line
// numbers and the lines of `source` are the same lines.
std::string NormalizeLineEndings(std::string s) {
  if (s.find('\r') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') {
      out += s[i];
    } else {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  return out;
}

std::string Normalized(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += char(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

int CountWords(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool word_char = std::isalnum(c) || c >= 0x80;
    bool joiner = in_word && (c == '\'' || c == '-' || c == '.' || c == ',' || c == '_');
    if (word_char && !in_word) ++words;
    in_word = word_char || joiner;
  }
  return words;
}

int PmDocument::FindSection(std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    std::string n = Normalized(name);
    for (size_t i = 0; i < sections.size(); ++i) {
      std::string h = Normalized(sections[i].heading);
      if (h.compare(0, n.size(), n) == 0 && (h.size() == n.size() || h[n.size()] == ' '))
        return int(i);
    }
  }
  return -1;
}

std::string_view PmDocument::Line(int line) const {
  if (line < 1 || size_t(line) > line_starts.size()) return {};
  size_t start = line_starts[line - 1];
  size_t end = source.find('\n', start);
  std::string_view v(source);
  v = v.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return v;
}

Result<PmDocument> ParsePmDocument(std::string_view markdown, std::string path) {
  if (markdown.size() > kMaxPmDocumentBytes)
    return Status::BadInput(fmt::format("{} bytes is not a post-mortem document (the limit is {} "
                                        "MiB; the primer's upper bound is four pages)",
                                        markdown.size(), kMaxPmDocumentBytes >> 20),
                            SourceLocation{path});
  if (size_t nul = markdown.find('\0'); nul != std::string_view::npos)
    return Status::BadInput("a NUL byte: this is a binary file, not a Markdown document",
                            SourceLocation{path, 0, nul, true});
  PmDocument doc;
  doc.path = std::move(path);
  doc.source = NormalizeLineEndings(SanitizeUtf8(markdown));
  doc.line_starts.push_back(0);
  for (size_t i = 0; i < doc.source.size(); ++i)
    if (doc.source[i] == '\n') doc.line_starts.push_back(i + 1);

  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  if (!parser) return Status::Internal("cmark-gfm could not create a parser");
  for (const char* ext : {"table", "tasklist", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* e = cmark_find_syntax_extension(ext))
      cmark_parser_attach_syntax_extension(parser.get(), e);
  }
  cmark_parser_feed(parser.get(), doc.source.data(), doc.source.size());
  std::unique_ptr<cmark_node, NodeDeleter> root(cmark_parser_finish(parser.get()));
  if (!root) return Status::Internal("cmark-gfm returned no document");

  Walker walker(&doc);
  walker.WalkBlocks(root.get(), false);
  int last_line = int(std::count(doc.source.begin(), doc.source.end(), '\n')) + 1;
  FinishSections(&doc, last_line, walker.code_lines());

  ReadHeaderFields(&doc);
  ReadTimeline(root.get(), &doc);
  ReadActionItems(root.get(), &doc);
  return doc;
}

Result<PmDocument> ReadPmDocument(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return ParsePmDocument(file.data(), path);
}

}  // namespace inquest
