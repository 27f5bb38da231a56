// The post-mortem document reader (postmortem/document.h): any bytes either parse or give a
// BadInput status; every element it returns carries a line inside the document.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "postmortem/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::PmDocument> doc = inquest::ParsePmDocument(bytes, "fuzz.md");
  if (!doc.ok()) return 0;
  int lines = 1;
  for (char c : doc->source) lines += c == '\n';
  for (const inquest::PmSection& s : doc->sections)
    if (s.line < 1 || s.line > lines || s.end_line < s.line) abort();
  for (const inquest::TimelineRow& r : doc->timeline)
    if (r.line < 1 || r.line > lines) abort();
  for (const inquest::ActionItem& a : doc->actions)
    if (a.line < 1 || a.line > lines) abort();
  return 0;
}
