#include "native/jvm_core.h"

#include <gtest/gtest.h>

#include "native/hotspot_vmstructs.h"
#include "native/runtime_output.h"
#include "tests/support/jvm_image.h"

namespace inquest {
namespace {

RuntimeView Walk(const JvmImage& img) {
  Result<HotSpotTables> t = HotSpotTables::Read(img.Symbols(), img.Reader());
  EXPECT_TRUE(t.ok()) << t.status().message();
  if (!t.ok()) return {};
  return ReadJvmThreads(*t, img.objects(), img.shape(), img.Reader());
}

TEST(HotSpotTables, ReadsFieldsTypesAndConstantsFollowingSuperclasses) {
  JvmImage img({.inherited = true});
  img.Finish();
  Result<HotSpotTables> t = HotSpotTables::Read(img.Symbols(), img.Reader());
  ASSERT_TRUE(t.ok()) << t.status().message();
  const HotSpotField* os = t->Field("JavaThread", "_osthread");  // declared on Thread
  ASSERT_NE(os, nullptr);
  EXPECT_EQ(os->offset, JvmImage::kOsthread);
  EXPECT_EQ(os->type, "OSThread*");
  EXPECT_FALSE(os->is_static);
  const HotSpotField* list = t->Field("ThreadsSMRSupport", "_java_thread_list");
  ASSERT_NE(list, nullptr);
  EXPECT_TRUE(list->is_static);
  EXPECT_EQ(list->address, img.list_var());
  EXPECT_EQ(t->Field("JavaThread", "_no_such_field"), nullptr);
  EXPECT_EQ(t->TypeSize("JavaThread"), JvmImage::kThreadSize);
  EXPECT_EQ(t->IntConstant("_thread_blocked"), JvmImage::kBlocked);
  EXPECT_FALSE(t->IntConstant("_thread_nope").has_value());
}

TEST(HotSpotTables, NamesTheEntryThatIsNotInTheCore) {
  JvmImage img({});
  img.Finish();
  ReadMemoryFn full = img.Reader();
  // The structs table's third entry lies outside the readable memory.
  Result<HotSpotTables> whole = HotSpotTables::Read(img.Symbols(), full);
  ASSERT_TRUE(whole.ok());
  uint64_t first = 0;
  full(img.Symbols()("gHotSpotVMStructs"), &first, 8);
  ReadMemoryFn cut = [&](uint64_t addr, void* out, size_t len) {
    if (addr + len > first + 2 * 48 && addr < first + 3 * 48) return false;
    return full(addr, out, len);
  };
  Result<HotSpotTables> t = HotSpotTables::Read(img.Symbols(), cut);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("gHotSpotVMStructs entry 2"), std::string::npos)
      << t.status().message();
  // Without the table's symbol there is no JVM to read.
  auto none = [](std::string_view) -> uint64_t { return 0; };
  EXPECT_FALSE(HotSpotTables::Read(none, full).ok());
}

// A damaged types table (an entry whose name is outside the core) keeps what was read before
// it and says so; the structs table still gives the threads.
TEST(HotSpotTables, ADamagedTypesTableIsReadUpToTheDamage) {
  JvmImage img({});
  img.Thread(10, u"a", 5, 0x401, true);
  img.Finish();
  uint64_t types = 0;
  img.Reader()(img.Symbols()("gHotSpotVMTypes"), &types, 8);
  img.Put<uint64_t>(types + 48 * 1, 0xdead0000);  // the second entry's name
  Result<HotSpotTables> t = HotSpotTables::Read(img.Symbols(), img.Reader());
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->problems().size(), 1u);
  EXPECT_NE(t->problems()[0].find("gHotSpotVMTypes entry 1"), std::string::npos)
      << t->problems()[0];
  EXPECT_EQ(t->TypeSize("JavaThread"), JvmImage::kThreadSize);  // entry 0, before the damage
  EXPECT_FALSE(t->TypeSize("OSThread").has_value());
  RuntimeView v = ReadJvmThreads(*t, img.objects(), img.shape(), img.Reader());
  ASSERT_EQ(v.threads.size(), 1u);
  EXPECT_EQ(v.threads[0].name, "a");
}

TEST(JvmCore, ListsEveryJavaThreadWithNameIdStateAndLwp) {
  JvmImage img({});
  img.Thread(4242, u"main", 1, 0x191, false, JvmImage::kBlocked, 0x7f0000001000);
  img.Thread(4250, u"w\u00f6rker-\u00fc-1", 21, 0x401, false);                // LATIN1
  img.Thread(4251, u"\u4efb\u52a1-2", 22, 0x2a1, true, JvmImage::kInNative);  // UTF16
  img.Thread(4252, u"", 23, 0x5, true, 8);
  img.Finish();
  RuntimeView v = Walk(img);
  ASSERT_EQ(v.threads.size(), 4u) << v.unreadable;
  EXPECT_TRUE(v.unreadable.empty());
  EXPECT_TRUE(v.problems.empty());
  const RuntimeThread& main = v.threads[0];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.id, 1u);
  EXPECT_EQ(main.lwp, 4242);
  EXPECT_EQ(main.state, "WAITING");
  EXPECT_EQ(main.detail, "_thread_blocked");
  EXPECT_EQ(main.handle, img.threads()[0]);
  EXPECT_EQ(main.last_java_sp, 0x7f0000001000u);
  EXPECT_EQ(main.last_java_pc, 0x7f0000001040u);
  EXPECT_FALSE(main.daemon);
  EXPECT_EQ(v.threads[1].name, "w\u00f6rker-\u00fc-1");
  EXPECT_EQ(v.threads[1].state, "BLOCKED");
  EXPECT_EQ(v.threads[2].name, "\u4efb\u52a1-2");
  EXPECT_EQ(v.threads[2].state, "TIMED_WAITING");
  EXPECT_EQ(v.threads[2].detail, "_thread_in_native");
  EXPECT_TRUE(v.threads[2].daemon);
  EXPECT_EQ(v.threads[3].name, "");
  EXPECT_EQ(v.threads[3].state, "RUNNABLE");
  EXPECT_EQ(v.threads[3].detail, "_thread_in_Java");
  EXPECT_EQ(v.threads[3].last_java_sp, 0u);
}

TEST(JvmCore, ReadsTheLayoutsOfOtherReleases) {
  // JDK 8: a linked list and a plain oop; JDK 19+: status in Thread.holder; JDK 25: _osthread
  // on Thread.
  for (JvmImage::Options o :
       {JvmImage::Options{.smr = false, .handle = false}, JvmImage::Options{.holder = true},
        JvmImage::Options{.holder = true, .inherited = true}}) {
    JvmImage img(o);
    img.Thread(10, u"a", 5, 0x401, true);
    img.Thread(11, u"b", 6, 0x191, false);
    img.Finish();
    RuntimeView v = Walk(img);
    ASSERT_EQ(v.threads.size(), 2u) << v.unreadable;
    EXPECT_EQ(v.threads[0].name, "a");
    EXPECT_EQ(v.threads[0].state, "BLOCKED");
    EXPECT_TRUE(v.threads[0].daemon);
    EXPECT_EQ(v.threads[1].lwp, 11);
    EXPECT_EQ(v.threads[1].state, "WAITING");
  }
}

TEST(JvmCore, WithoutTheSymbolTableThreadsAreListedUnnamedAndSaysWhy) {
  JvmImage img({.named = false});
  img.Thread(10, u"a", 5, 0x401, true);
  img.Finish();
  RuntimeView v = Walk(img);
  ASSERT_EQ(v.threads.size(), 1u);
  EXPECT_EQ(v.threads[0].lwp, 10);
  EXPECT_EQ(v.threads[0].name, "");
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_NE(v.problems[0].find("java_lang_Thread::_name_offset"), std::string::npos)
      << v.problems[0];
  EXPECT_NE(v.problems[0].find("nor Java ids"), std::string::npos) << v.problems[0];
}

TEST(JvmCore, ALoopingOrHugeThreadListIsRefused) {
  JvmImage loop({.smr = false, .handle = false});
  uint64_t a = loop.Thread(10, u"a", 5, 0x401, true);
  loop.Thread(11, u"b", 6, 0x191, false);
  loop.Finish();
  loop.Put<uint64_t>(loop.threads()[1] + JvmImage::kNext, a);
  RuntimeView v = Walk(loop);
  EXPECT_TRUE(v.threads.empty());
  EXPECT_NE(v.unreadable.find("loops"), std::string::npos) << v.unreadable;

  JvmImage huge({});
  huge.Thread(10, u"a", 5, 0x401, true);
  huge.Finish();
  uint64_t list = 0;
  huge.Reader()(huge.list_var(), &list, 8);
  huge.Put<uint32_t>(list + 0x8, 0xffffffffu);
  v = Walk(huge);
  EXPECT_TRUE(v.threads.empty());
  EXPECT_NE(v.unreadable.find("claims"), std::string::npos) << v.unreadable;
}

TEST(JvmCore, AThreadWhoseObjectIsMissingSaysSo) {
  JvmImage img({});
  uint64_t jt = img.Thread(10, u"a", 5, 0x401, true);
  img.Finish();
  img.Put<uint64_t>(jt + JvmImage::kThreadObj, 0);
  RuntimeView v = Walk(img);
  ASSERT_EQ(v.threads.size(), 1u);
  EXPECT_EQ(v.threads[0].lwp, 10);
  EXPECT_NE(v.threads[0].stopped.find("java.lang.Thread object"), std::string::npos);
}

TEST(JvmCore, ThreadStatusNamesFollowTheJvmtiBits) {
  EXPECT_EQ(JavaThreadStatusName(0), "NEW");
  EXPECT_EQ(JavaThreadStatusName(0x5), "RUNNABLE");
  EXPECT_EQ(JavaThreadStatusName(0x401), "BLOCKED");
  EXPECT_EQ(JavaThreadStatusName(0x191), "WAITING");
  EXPECT_EQ(JavaThreadStatusName(0x1a1), "TIMED_WAITING");
  EXPECT_EQ(JavaThreadStatusName(0x2), "TERMINATED");
}

// Names read from a core are shown safe for a terminal: no escape sequence, no line of their
// own that could pass for a verdict.
TEST(JvmCore, HostileNamesCannotReachTheTerminal) {
  RuntimeView v;
  v.runtime = "HotSpot";
  RuntimeThread& t = v.threads.emplace_back();
  t.name = "evil\x1b]0;owned\x07\x1b[2J\nverdict:      fake";
  t.state = "BLOCKED\nx";
  t.lwp = 7;
  t.frames.push_back({"Evil.m(\x1b[31m)", "", "", 3});
  std::string out;
  AppendRuntimeText(v, false, &out);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_EQ(out.find("\nverdict:"), std::string::npos) << out;
}

}  // namespace
}  // namespace inquest
