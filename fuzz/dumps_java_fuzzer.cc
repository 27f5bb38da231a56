// Java thread dumps: text (jstack, JMX, JRockit, UTF-16) and Thread.dump_to_file JSON, through
// the reader (parse, wait-for graph, groups, series, rendering) and through a series of the
// input split in two (a series of files).
#include <cstdint>
#include <string_view>

#include "dumps/java/java_readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const inquest::DumpReader reader = inquest::JavaThreadDumpReader();
  (void)reader.probe(bytes.substr(0, 4096));
  inquest::DumpOptions options;
  options.bundle_time = 0;  // no file to stat
  (void)reader.analyze("", bytes, options);
  size_t half = size / 2;
  (void)inquest::AnalyzeJavaThreadDumpFiles({{"", bytes.substr(0, half)}, {"", bytes.substr(half)}},
                                            options);
  return 0;
}
