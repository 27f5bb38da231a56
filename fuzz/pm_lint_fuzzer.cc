// The post-mortem linter (postmortem/lint.h) over the document reader: never crashes, and
// every finding names a known rule and a line inside the document.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "postmortem/lint.h"
#include "postmortem/lint_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::PmDocument> doc = inquest::ParsePmDocument(bytes, "fuzz.md");
  if (!doc.ok()) return 0;
  static const inquest::LintConfig config;
  std::vector<inquest::LintFinding> found = inquest::LintPmDocument(*doc, config);
  int lines = 1;
  for (char c : doc->source) lines += c == '\n';
  for (const inquest::LintFinding& f : found) {
    if (!inquest::FindLintRule(f.rule) || f.line < 1 || f.line > lines || f.column < 1) abort();
  }
  std::vector<inquest::LintedFile> files{{"fuzz.md", std::move(found)}};
  (void)inquest::FormatLintSarif(files, "fuzz");
  return 0;
}
