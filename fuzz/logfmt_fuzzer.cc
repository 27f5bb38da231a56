// logfmt through LogReader.
#include "fuzz/fuzz_line.h"
#include "logs/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto format = inquest::NewLogfmtFormat();
  inquest::FuzzFormat(*format, data, size);
  return 0;
}
