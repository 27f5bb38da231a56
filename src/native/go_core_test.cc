// ReadGoroutines on a Go process image built in memory (tests/support/go_image.h): states and
// wait reasons, frames from the pclntab, creators, LWPs, and damage said rather than guessed.
// Real binaries of three Go releases are checked against the runtime's own tracebacks in
// tests/e2e/go_core_test.py.
#include "native/go_core.h"

#include <gtest/gtest.h>

#include "tests/support/go_image.h"

namespace inquest {
namespace {

RuntimeView Walk(const GoImage& img, const std::vector<CoreThreadState>& threads = {}) {
  static const std::string table = GoTwoFunctionTable();
  Result<GoPclntab> tab = GoPclntab::Parse(table);
  EXPECT_TRUE(tab.ok());
  if (!tab.ok()) return {};
  return ReadGoroutines(*tab, img.offsets(), img.symbols(), threads, img.Reader());
}

TEST(GoCoreTest, ListsGoroutinesWithWaitReasonsFramesAndCreators) {
  GoImage img;
  img.Goroutine(1, GoImage::kWaiting, 1, {kGoText + 0x05, kGoText + 0x25});
  img.Goroutine(7, GoImage::kWaiting, 2, {kGoText + 0x25}, kGoText + 0x26);
  img.Goroutine(8, GoImage::kRunnable, 0, {kGoText + 0x05}, 0, 4242);
  img.Goroutine(9, GoImage::kDead, 0, {});
  RuntimeView v = Walk(img);
  ASSERT_EQ(v.threads.size(), 3u);  // the dead one is not listed
  const RuntimeThread& main = v.threads[0];
  EXPECT_EQ(main.id, 1u);
  EXPECT_EQ(main.state, "chan receive");
  ASSERT_EQ(main.frames.size(), 2u);
  EXPECT_EQ(main.frames[0].function, "main.a");
  EXPECT_EQ(main.frames[0].file, "/src/a.go");
  EXPECT_EQ(main.frames[0].line, 10);
  EXPECT_EQ(main.frames[1].function, "main.b");
  EXPECT_TRUE(main.stopped.empty()) << main.stopped;
  EXPECT_TRUE(main.created_by.function.empty());  // goroutine 1: the runtime started it
  EXPECT_EQ(v.threads[1].state, "sync.Mutex.Lock");
  EXPECT_EQ(v.threads[1].created_by.function, "main.b");
  EXPECT_EQ(v.threads[1].created_by.line, 10);
  EXPECT_EQ(v.threads[2].state, "runnable");
  EXPECT_EQ(v.threads[2].lwp, 4242);
}

TEST(GoCoreTest, DamageIsSaidNotGuessed) {
  GoImage img;
  img.Goroutine(1, GoImage::kWaiting, 1, {kGoText + 0x05, kGoText + 0x25});
  // A return address into no function, a goroutine outside the core, a stack pointer outside.
  img.Goroutine(2, GoImage::kWaiting, 1, {kGoText + 0x05, 0x7777777});
  uint64_t far = img.Goroutine(3, GoImage::kWaiting, 1, {kGoText + 0x05});
  img.Put<uint64_t>(far + 0x38, 0xdead0000);
  uint64_t array = 0;
  img.Reader()(img.allgs(), &array, 8);
  img.Put<uint64_t>(array + 8 * 2, 0xbad00000);  // allgs[2] now points nowhere
  RuntimeView v = Walk(img);
  ASSERT_EQ(v.threads.size(), 2u);
  EXPECT_TRUE(v.threads[0].stopped.empty());
  EXPECT_NE(v.threads[1].stopped.find("in no Go function"), std::string::npos)
      << v.threads[1].stopped;
  ASSERT_FALSE(v.problems.empty());
  EXPECT_NE(v.problems.back().find("not in the core"), std::string::npos) << v.problems.back();
  // A stack deeper than the frame limit stops there, and says so.
  GoImage deep;
  std::vector<uint64_t> returns(kMaxGoFrames + 40, kGoText + 0x25);
  deep.Goroutine(1, GoImage::kWaiting, 1, returns);
  RuntimeView dv = Walk(deep);
  ASSERT_EQ(dv.threads.size(), 1u);
  EXPECT_EQ(dv.threads[0].frames.size(), kMaxGoFrames);
  EXPECT_NE(dv.threads[0].stopped.find("frame limit"), std::string::npos) << dv.threads[0].stopped;
}

TEST(GoCoreTest, ARunningGoroutineStartsFromItsThreadsRegisters) {
  GoImage img;
  uint64_t g = img.Goroutine(5, GoImage::kRunning, 0, {kGoText + 0x25}, 0, 77);
  uint64_t lo = 0, sp = 0;
  img.Reader()(g + 0x00, &lo, 8);
  img.Reader()(g + 0x38, &sp, 8);
  CoreThreadState ts;
  ts.tid = 77;
  ts.regs[kRegRip] = kGoText + 0x05;  // in main.a, with main.b's frame above
  ts.regs[kRegRsp] = sp - 24;
  img.Put<uint64_t>(sp - 24 + 16, kGoText + 0x25);
  RuntimeView v = Walk(img, {ts});
  ASSERT_EQ(v.threads.size(), 1u);
  ASSERT_GE(v.threads[0].frames.size(), 2u);
  EXPECT_EQ(v.threads[0].frames[0].function, "main.a");
  EXPECT_EQ(v.threads[0].frames[1].function, "main.b");
  // Without its thread (another stack): listed, not unwound, and said.
  GoImage other;
  other.Goroutine(5, GoImage::kRunning, 0, {0}, 0, 78);
  RuntimeView w = Walk(other);
  ASSERT_EQ(w.threads.size(), 1u);
  EXPECT_TRUE(w.threads[0].frames.empty());
  EXPECT_NE(w.threads[0].stopped.find("another stack"), std::string::npos) << w.threads[0].stopped;
}

}  // namespace
}  // namespace inquest
