// Go's runtime structures in a core (native/go_core.h), corrupted: a valid process image (a
// two-function .gopclntab, runtime.allgs with goroutines parked, runnable, running on a thread
// and dead, their stacks and wait reasons) then the rest of the input as patches over the
// memory (two bytes of offset, one of length, that many bytes) and, when the first byte's low
// bit is set, over the table too. Whatever the patches do (allgs of any length, statuses and
// reasons out of range, pointers anywhere, return addresses that lead nowhere), the walk must
// end within its bounds.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_patch.h"
#include "native/go_core.h"
#include "tests/support/go_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest;
  if (size == 0) return 0;
  GoImage img;
  img.Goroutine(1, GoImage::kWaiting, 1, {kGoText + 0x05, kGoText + 0x25});
  img.Goroutine(7, GoImage::kWaiting, 2, {kGoText + 0x25, kGoText + 0x05}, kGoText + 0x26);
  img.Goroutine(8, GoImage::kRunnable, 0, {kGoText + 0x05}, 0, 4242);
  img.Goroutine(9, GoImage::kRunning, 0, {kGoText + 0x25}, 0, 4243);
  img.Goroutine(10, GoImage::kDead, 0, {});
  std::string table = GoTwoFunctionTable(data[0] & 2 ? 0xfffffff1 : 0xfffffff0);
  std::string& mem = img.bytes();
  ApplyFuzzPatches(data, size, 1, &mem, data[0] & 1 ? &table : nullptr);
  Result<GoPclntab> tab = GoPclntab::Parse(table);
  if (!tab.ok()) return 0;
  CoreThreadState ts;
  ts.tid = 4243;
  ts.regs[kRegRip] = kGoText + 0x05;
  ts.regs[kRegRsp] = GoImage::kBase + 0x100;
  RuntimeView v = ReadGoroutines(*tab, img.offsets(), img.symbols(), {ts}, img.Reader());
  if (v.threads.size() > kMaxGoroutines) __builtin_trap();
  for (const RuntimeThread& t : v.threads)
    if (t.frames.size() > kMaxGoFrames * 65) __builtin_trap();  // 64 inlined calls per frame
  return 0;
}
