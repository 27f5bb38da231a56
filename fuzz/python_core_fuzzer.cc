// CPython's structures in a core (native/python_core.h), corrupted: a valid process image of
// one layout (the first byte picks a version, 3.8 to 3.13) with threads, frames, code objects,
// strings and line tables, then the rest of the input as patches over it (two bytes of offset,
// one of length, that many bytes). Whatever the patches do (lists that loop, pointers
// anywhere, lengths of any size), the walk must end, within its bounds. The input is also read
// as a line table of each format on its own. For 3.13 the image carries its _Py_DebugOffsets block,
// which the patches damage too.
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_patch.h"
#include "native/python_core.h"
#include "native/python_debug_offsets.h"
#include "tests/support/python_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (int64_t addr : {-1, 0, 2, 8, 64, 1000}) {
    PythonLineOf(in, 1, addr);
    PythonLineOfLnotab(in, 1, addr);
    PythonLineOfLinetable310(in, 1, addr);
  }
  if (size == 0) return 0;
  const PythonLayout& layout = PythonLayouts()[data[0] % PythonLayouts().size()];
  PythonImage img(layout);
  uint64_t a = img.Code(u"handle", "Server.handle", "/srv/app.py", 10, {{3, 0}, {2, 2}, {4, -1}});
  uint64_t b = img.Code(u"r\u00e9sum\u00e9", "main", "/srv/main.py", 1, {{8, 5}}, 1);
  uint64_t t1 = img.Thread(0x7f01, 101, {img.Frame(a, 4), img.Frame(b, 2), img.Frame(a, 0)});
  img.Thread(0x7f02, 102, {img.Frame(b, 3)});
  img.HoldGil(t1);
  if (layout.minor >= 13) img.DebugBlock(layout);
  std::string& mem = img.bytes();
  ApplyFuzzPatches(data, size, 1, &mem);
  // 3.13: the process's own block, patched like the rest, read into a layout and used.
  std::string why;
  std::optional<PythonLayout> own;
  if (layout.minor >= 13) own = LayoutFromDebugOffsets(layout, img.runtime(), img.Reader(), &why);
  RuntimeView v = ReadPythonThreads(own ? *own : layout, img.runtime(), img.Reader());
  if (v.threads.size() > kMaxPythonThreads) __builtin_trap();
  for (const RuntimeThread& t : v.threads)
    if (t.frames.size() > kMaxPythonFrames) __builtin_trap();
  return 0;
}
