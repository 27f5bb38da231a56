// gdb transcripts: threads, frames, locals and the null-origin walk on any bytes.
#include <string_view>

#include "dumps/gdb/gdb_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)inquest::ProbeGdbTranscript(bytes);
  inquest::Result<inquest::DumpAnalysis> a =
      inquest::GdbTranscriptReader().analyze("fuzz.txt", bytes, inquest::DumpOptions());
  if (a.ok() && a->json.empty()) __builtin_trap();
  return 0;
}
