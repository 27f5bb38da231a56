// Layout inference and the inferred reader: the input's first lines are the examples a layout
// is inferred from, then the whole input is read with it, as LogReader would.
#include "fuzz/fuzz_line.h"
#include "logs/layout.h"
#include "logs/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines = inquest::HeadLines(bytes, inquest::kProbeLines);
  inquest::TimeContext tc;
  tc.default_year = 2026;
  inquest::Result<inquest::InferredLayout> layout = inquest::InferLayout(lines, tc);
  if (!layout.ok()) return 0;
  (void)layout->Describe();
  (void)inquest::LayoutAsUserFormat(*layout, "fuzz");
  std::unique_ptr<inquest::LogFormat> format = inquest::NewInferredFormat(*std::move(layout));
  inquest::FuzzFormat(*format, data, size);
  return 0;
}
