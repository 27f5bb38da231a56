// The draft's round trip: a findings.json "draft" object read back (postmortem/draft_json.h),
// rendered by the one renderer and read as a post-mortem again. Never crashes; a model that
// reads renders a document whose header names an incident and that lints without a finding
// outside it.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "postmortem/draft_json.h"
#include "postmortem/draft_render.h"
#include "postmortem/lint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::DraftModel> model =
      inquest::DraftFromFindingsJson(bytes, "findings.json");
  if (!model.ok()) return 0;
  static const inquest::SevScale scale = inquest::DefaultSevScale();
  std::string md = inquest::RenderDraft(*model, scale);
  inquest::Result<inquest::PmDocument> doc = inquest::ParsePmDocument(md, "postmortem.md");
  if (!doc.ok() || doc->incident_id.text.empty()) abort();
  static const inquest::LintConfig config;
  int lines = 1;
  for (char c : doc->source) lines += c == '\n';
  for (const inquest::LintFinding& f : inquest::LintPmDocument(*doc, config))
    if (f.line < 1 || f.line > lines) abort();
  return 0;
}
