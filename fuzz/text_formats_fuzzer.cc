// Every line-based text format of the registry (syslog, access, log4j, Loghub families, the
// timestamp fallback); the first byte picks the format so one corpus covers them all.
#include "fuzz/fuzz_line.h"
#include "logs/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const inquest::FormatRegistry registry;
  static const std::vector<const inquest::LogFormat*> formats = registry.formats();
  if (size == 0) return 0;
  const inquest::LogFormat* f = formats[data[0] % formats.size()];
  if (f->whole_document()) return 0;
  inquest::FuzzFormat(*f, data + 1, size - 1);
  return 0;
}
