// JSON lines through LogReader (in-place padded parses and copies near the end of the input).
#include "fuzz/fuzz_line.h"
#include "logs/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto format = inquest::NewJsonLinesFormat();
  inquest::FuzzFormat(*format, data, size);
  return 0;
}
