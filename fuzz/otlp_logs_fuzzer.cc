// The OTLP/JSON logs document parser on arbitrary bytes.
#include <string>

#include "logs/formats.h"
#include "logs/log_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto format = inquest::NewOtlpLogsFormat();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Arena arena;
  inquest::ParseContext ctx;
  ctx.arena = &arena;
  inquest::IssueLog issues("fuzz.json");
  std::vector<inquest::Event> events;
  format->ParseDocument(bytes, ctx, 0, &events, &issues);
  return 0;
}
