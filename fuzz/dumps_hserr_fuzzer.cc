// JVM fatal error logs (hs_err_pid): parse, verdict and rendering.
#include <cstdint>
#include <string_view>

#include "dumps/java/java_readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const inquest::DumpReader reader = inquest::HsErrReader();
  (void)reader.probe(bytes.substr(0, 4096));
  inquest::DumpOptions options;
  options.bundle_time = 0;
  (void)reader.analyze("", bytes, options);
  return 0;
}
