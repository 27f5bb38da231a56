// Python dumps (faulthandler, py-spy text and --json): the reader and its rendering on any bytes.
#include <string_view>

#include "dumps/python/python_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)inquest::ProbePythonDump(bytes);
  inquest::Result<inquest::DumpAnalysis> a =
      inquest::PythonDumpReader().analyze("fuzz.txt", bytes, inquest::DumpOptions());
  if (a.ok() && a->json.empty()) __builtin_trap();
  return 0;
}
