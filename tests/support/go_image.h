// A small Go process image built in memory: a .gopclntab in the Go 1.18 layout with two
// functions (main.a at [0, 0x20) and main.b at [0x20, 0x40) of the text at kGoText, both with
// a frame of 16 bytes past their fifth byte, lines 10 and 12 in /src/a.go), and goroutines in
// runtime.allgs whose saved contexts and stacks point into them. The walker's tests read it
// through ReadMemoryFn; the fuzz target corrupts it.
//
//   GoImage img;
//   img.Goroutine(7, GoImage::kWaiting, 1, {kGoText + 0x05, kGoText + 0x25});
//   RuntimeView v = ReadGoroutines(*GoPclntab::Parse(GoTwoFunctionTable()), img.offsets(),
//                                  img.symbols(), {}, img.Reader());
#ifndef INQUEST_TESTS_SUPPORT_GO_IMAGE_H_
#define INQUEST_TESTS_SUPPORT_GO_IMAGE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "native/go_core.h"

namespace inquest {

inline constexpr uint64_t kGoText = 0x400000;

template <typename T>
void PutBytes(std::string* s, size_t at, T v) {
  if (s->size() < at + sizeof v) s->resize(at + sizeof v, '\0');
  std::memcpy(s->data() + at, &v, sizeof v);
}

// The two-function table; `magic` picks the format (0xfffffff0: Go 1.18-1.19).
inline std::string GoTwoFunctionTable(uint32_t magic = 0xfffffff0) {
  std::string t(72, '\0');
  const size_t names = 72, cu = 88, files = 96, pctab = 112, functab = 160;
  PutBytes<uint32_t>(&t, 0, magic);
  t[6] = 1;  // instruction quantum
  t[7] = 8;  // pointer size
  PutBytes<uint64_t>(&t, 8, 2);
  PutBytes<uint64_t>(&t, 16, 1);
  PutBytes<uint64_t>(&t, 24, kGoText);
  PutBytes<uint64_t>(&t, 32, names);
  PutBytes<uint64_t>(&t, 40, cu);
  PutBytes<uint64_t>(&t, 48, files);
  PutBytes<uint64_t>(&t, 56, pctab);
  PutBytes<uint64_t>(&t, 64, functab);
  t.resize(names);
  t += std::string("main.a\0main.b\0", 14);
  t.resize(cu);
  PutBytes<uint32_t>(&t, cu, 0);
  t.resize(files);
  t += std::string("/src/a.go\0", 10);
  t.resize(pctab);
  // pcsp at 1: 0 for 4 bytes, then 16 for 10; pcln at 6: 10 for 6 bytes, then 12 for 8;
  // pcfile at 11: file 0 for 14 bytes. Values start at -1; deltas are zig-zag.
  t += std::string("\x00\x02\x04\x20\x0a\x00\x16\x06\x04\x08\x00\x02\x0e\x00", 14);
  t.resize(functab);
  const uint32_t rec_a = 24, rec_b = 24 + 40;  // from the functab's start
  PutBytes<uint32_t>(&t, functab + 0, 0);
  PutBytes<uint32_t>(&t, functab + 4, rec_a);
  PutBytes<uint32_t>(&t, functab + 8, 0x20);
  PutBytes<uint32_t>(&t, functab + 12, rec_b);
  PutBytes<uint32_t>(&t, functab + 16, 0x40);  // the end
  PutBytes<uint32_t>(&t, functab + 20, 0);
  for (auto [rec, entry, name] : {std::tuple{rec_a, 0u, 0u}, std::tuple{rec_b, 0x20u, 7u}}) {
    uint32_t fields[9] = {entry, name, 0, 0, 1, 11, 6, 0, 0};
    for (int k = 0; k < 9; ++k) PutBytes<uint32_t>(&t, functab + rec + 4 * k, fields[k]);
    PutBytes<uint32_t>(&t, functab + rec + 36, 0);  // funcID, flag, pad, nfuncdata
  }
  return t;
}

class GoImage {
 public:
  static constexpr uint64_t kBase = 0x10000;
  // runtime's _G* status values
  static constexpr uint32_t kRunnable = 1, kRunning = 2, kSyscall = 3, kWaiting = 4, kDead = 6;

  GoImage() {
    Alloc(64);
    allgs_ = Alloc(16);
    reasons_ = Alloc(16 * 4);
    const char* words[] = {"", "chan receive", "sync.Mutex.Lock", "select"};
    for (int i = 0; i < 4; ++i) {
      uint64_t text = Alloc(32);
      std::memcpy(&mem_[text - kBase], words[i], std::strlen(words[i]));
      Put<uint64_t>(reasons_ + 16 * i, text);
      Put<uint64_t>(reasons_ + 16 * i + 8, std::strlen(words[i]));
    }
  }

  // The offsets the image lays out its g, gobuf, stack and m with.
  GoOffsets offsets() const {
    GoOffsets o;
    o.stack = 0x00;
    o.stack_lo = 0;
    o.stack_hi = 8;
    o.m = 0x30;
    o.sched = 0x38;
    o.gobuf_sp = 0;
    o.gobuf_pc = 8;
    o.syscallsp = 0x70;
    o.syscallpc = 0x78;
    o.atomicstatus = 0x90;
    o.goid = 0x98;
    o.waitreason = 0xb0;
    o.gopc = 0x118;
    o.m_procid = 0x48;
    return o;
  }
  GoRuntimeSymbols symbols() const {
    GoRuntimeSymbols s;
    s.allgs = allgs_;
    s.wait_reasons = reasons_;
    return s;
  }

  // A goroutine whose saved context is at returns[0] with the later entries as the return
  // addresses above its frames (each frame 16 bytes); `gopc` is its go statement. Returns g.
  uint64_t Goroutine(int64_t goid, uint32_t status, uint8_t reason,
                     const std::vector<uint64_t>& returns, uint64_t gopc = 0, int lwp = 0) {
    uint64_t g = Alloc(0x140);
    uint64_t stack = Alloc(64 + 24 * returns.size());
    uint64_t sp = stack + 32;
    Put<uint64_t>(g + 0x00, stack);
    Put<uint64_t>(g + 0x08, stack + 64 + 24 * returns.size());
    Put<uint64_t>(g + 0x38, sp);
    Put<uint64_t>(g + 0x38 + 8, returns.empty() ? 0 : returns[0]);
    for (size_t i = 1; i < returns.size(); ++i) Put<uint64_t>(sp + 24 * (i - 1) + 16, returns[i]);
    Put<uint64_t>(sp + 24 * (returns.empty() ? 0 : returns.size() - 1) + 16, 0);
    Put<uint32_t>(g + 0x90, status);
    Put<int64_t>(g + 0x98, goid);
    Put<uint8_t>(g + 0xb0, reason);
    Put<uint64_t>(g + 0x118, gopc);
    if (lwp != 0) {
      uint64_t m = Alloc(0x60);
      Put<uint64_t>(m + 0x48, static_cast<uint64_t>(lwp));
      Put<uint64_t>(g + 0x30, m);
    }
    gs_.push_back(g);
    uint64_t array = Alloc(8 * gs_.size());
    for (size_t i = 0; i < gs_.size(); ++i) Put<uint64_t>(array + 8 * i, gs_[i]);
    Put<uint64_t>(allgs_, array);
    Put<uint64_t>(allgs_ + 8, gs_.size());
    return g;
  }

  template <typename T>
  void Put(uint64_t addr, T v) {
    std::memcpy(&mem_[addr - kBase], &v, sizeof v);
  }
  std::string& bytes() { return mem_; }
  uint64_t allgs() const { return allgs_; }
  ReadMemoryFn Reader() const {
    return [this](uint64_t addr, void* out, size_t len) {
      if (addr < kBase || addr - kBase > mem_.size() || len > mem_.size() - (addr - kBase))
        return false;
      std::memcpy(out, mem_.data() + (addr - kBase), len);
      return true;
    };
  }

 private:
  uint64_t Alloc(size_t n) {
    uint64_t addr = kBase + mem_.size();
    mem_.resize(mem_.size() + ((n + 15) & ~size_t{15}), '\0');
    return addr;
  }
  std::string mem_;
  uint64_t allgs_ = 0, reasons_ = 0;
  std::vector<uint64_t> gs_;
};

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_GO_IMAGE_H_
