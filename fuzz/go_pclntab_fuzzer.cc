// Go's function table (native/go_pclntab.h) from any bytes: a damaged .gopclntab must give an
// error or a table whose every lookup stays inside it, never a crash or an endless loop.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "native/go_pclntab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::GoPclntab> t = inquest::GoPclntab::Parse(in, 0);
  if (!t.ok()) return 0;
  uint64_t text = 0;
  if (size >= 32) std::memcpy(&text, data + 24, 8);
  for (uint64_t d : {0, 1, 7, 64, 4096, 65536}) {
    const inquest::GoFunc* f = t->Find(text + d);
    if (f == nullptr) continue;
    t->FrameSize(*f, text + d);
    t->File(*f, text + d);
    t->Line(*f, text + d);
    t->PcData(*f, 2, text + d);
    t->FuncData(*f, 3);
  }
  return 0;
}
