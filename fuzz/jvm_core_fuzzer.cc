// HotSpot's structures in a core (native/hotspot_vmstructs.h, native/jvm_core.h), corrupted: a
// valid JVM image (the first byte picks the release's shape: JDK 8's linked list, 17's
// OopHandle, 19+'s Thread.holder, 25's inherited fields; and whether references are compressed)
// with its self-describing tables, a thread list, JavaThreads and Thread and String objects,
// then the rest of the input as patches over it (two bytes of offset, one of length, that many
// bytes). Whatever the patches do (tables without an end, lists that loop, lengths of any size,
// names pointing anywhere), reading must end within its bounds.
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_patch.h"
#include "native/hotspot_vmstructs.h"
#include "native/jvm_core.h"
#include "tests/support/jvm_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest;
  if (size == 0) return 0;
  JvmImage::Options o;
  o.smr = (data[0] & 1) == 0;
  o.handle = o.smr;
  o.holder = (data[0] & 2) != 0;
  o.inherited = (data[0] & 4) != 0;
  o.named = (data[0] & 8) == 0;
  o.old_strings = (data[0] & 32) != 0;
  JvmImage img(o);
  img.Thread(101, u"main", 1, 0x191, false, JvmImage::kBlocked, 0x7f0000001000);
  img.Thread(102, u"w\u00f6rker-1", 21, 0x401, true);
  img.Thread(103, u"\u4efb\u52a1", 22, 0x2a1, true, JvmImage::kInNative);
  img.Finish();
  std::string& mem = img.bytes();
  ApplyFuzzPatches(data, size, 1, &mem);
  Result<HotSpotTables> t = HotSpotTables::Read(img.Symbols(), img.Reader());
  if (!t.ok()) return 0;
  JavaHeapShape shape = img.shape();
  shape.compressed_oops = (data[0] & 16) == 0;
  RuntimeView v = ReadJvmThreads(*t, img.objects(), shape, img.Reader());
  if (v.threads.size() > kMaxJvmThreads) __builtin_trap();
  for (const RuntimeThread& th : v.threads)
    if (th.name.size() > 4 * kMaxJvmNameChars) __builtin_trap();
  return 0;
}
