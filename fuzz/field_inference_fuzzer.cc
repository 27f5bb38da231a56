// Field inference over arbitrary heads, read as JSON lines and as logfmt: whatever the bytes,
// it returns (no crash, hang or unbounded growth), and any table it builds parses them again.
#include "base/arena.h"
#include "logs/field_inference.h"
#include "logs/formats.h"
#include "logs/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto json = inquest::NewJsonLinesFormat();
  static const auto logfmt = inquest::NewLogfmtFormat();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const inquest::LogFormat* format : {json.get(), logfmt.get()}) {
    inquest::Arena arena;
    inquest::ParseContext ctx;
    ctx.arena = &arena;
    inquest::FieldInference fi = inquest::InferFields(*format, text, ctx);
    if (!fi.names) continue;
    ctx.fields = fi.names.get();
    inquest::Event ev;
    std::string why;
    for (std::string_view line : inquest::HeadLines(text, 16)) {
      ev.Clear();
      (void)format->ParseLine(line, ctx, &ev, &why);
    }
  }
  return 0;
}
