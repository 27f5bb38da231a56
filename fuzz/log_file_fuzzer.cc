// Detection plus a whole-file load (OTLP documents included), with time placement and year
// inference, on arbitrary bytes.
#include <string>

#include "logs/log_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const inquest::FormatRegistry registry;
  inquest::InputFile in = inquest::InputFile::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.log");
  auto f = inquest::LoadLogFile(std::move(in), 0, registry, {});
  if (f.ok()) (*f)->SortByTime();
  return 0;
}
