// The CPython walker on process images built per layout (tests/support/python_image.h): frames
// with their names and lines, the GIL holder, shims and incomplete frames skipped, and damage
// (lists that loop, pointers outside the process, unreadable strings) said, never followed.
// tests/e2e/python_core_test.py checks real cores of every interpreter on the machine against
// faulthandler.
#include "native/python_core.h"

#include <gtest/gtest.h>

#include "native/runtime_join.h"
#include "native/runtime_output.h"
#include "tests/support/python_image.h"

namespace inquest {
namespace {

CoreFrame NamedFrame(const char* function) {
  CoreFrame f;
  f.function = function;
  return f;
}

RuntimeThread ThreadOn(uint64_t id, int lwp) {
  RuntimeThread t;
  t.id = id;
  t.lwp = lwp;
  return t;
}

RuntimeFrame PyFrame(const char* function, const char* qualname, int line) {
  RuntimeFrame f;
  f.function = function;
  f.qualname = qualname;
  f.file = "/a.py";
  f.line = line;
  return f;
}

class PythonCoreTest : public ::testing::TestWithParam<int> {  // the minor version
 protected:
  const PythonLayout& layout() const { return *FindPythonLayout(3, GetParam()); }
};

TEST_P(PythonCoreTest, ThreadsWithTheirFramesAndTheGilHolder) {
  PythonImage img(layout());
  uint64_t handle = img.Code(u"handle", "Server.handle", "/srv/app.py", 10, {{3, 0}, {2, 2}});
  uint64_t main = img.Code(u"<module>", "<module>", "/srv/app.py", 1, {{4, 0}, {4, 30}});
  uint64_t idle = img.Code(u"wait", "Condition.wait", "/usr/lib/threading.py", 300, {{8, 20}});
  uint64_t worker = img.Thread(0x7f01, 101, {img.Frame(handle, 4), img.Frame(main, 5)});
  img.Thread(0x7f02, 102, {img.Frame(idle, 0)});
  img.HoldGil(worker);

  RuntimeView v = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  EXPECT_EQ(v.runtime, "CPython");
  EXPECT_TRUE(v.unreadable.empty()) << v.unreadable;
  EXPECT_TRUE(v.problems.empty());
  ASSERT_EQ(v.threads.size(), 2u);
  // The list's head is the newest thread.
  const RuntimeThread& idle_thread = v.threads[0];
  EXPECT_EQ(idle_thread.id, 0x7f02u);
  EXPECT_EQ(idle_thread.lwp, 102);
  EXPECT_FALSE(idle_thread.holds_lock);
  ASSERT_EQ(idle_thread.frames.size(), 1u);
  EXPECT_EQ(idle_thread.frames[0].qualname, "Condition.wait");
  EXPECT_EQ(idle_thread.frames[0].line, 320);

  const RuntimeThread& w = v.threads[1];
  EXPECT_TRUE(w.holds_lock);
  ASSERT_EQ(w.frames.size(), 2u);
  EXPECT_EQ(w.frames[0].function, "handle");
  EXPECT_EQ(w.frames[0].qualname, "Server.handle");
  EXPECT_EQ(w.frames[0].file, "/srv/app.py");
  EXPECT_EQ(w.frames[0].line, 12);  // unit 4 is in the second entry: line 10 + 2
  EXPECT_EQ(w.frames[1].function, "<module>");
  EXPECT_EQ(w.frames[1].line, 31);
  EXPECT_TRUE(w.stopped.empty());
}

TEST_P(PythonCoreTest, NamesOutsideAsciiAreUtf8) {
  PythonImage img(layout());
  uint64_t code = img.Code(u"r\u00e9sum\u00e9_\u03bb", "x", "/srv/\u00e9.py", 1, {{2, 0}});
  img.Thread(1, 2, {img.Frame(code, 0)});
  RuntimeView v = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(v.threads.size(), 1u);
  ASSERT_EQ(v.threads[0].frames.size(), 1u);
  EXPECT_EQ(v.threads[0].frames[0].function, "r\xc3\xa9sum\xc3\xa9_\xce\xbb");
}

TEST_P(PythonCoreTest, IncompleteFramesAndShimsAreSkipped) {
  PythonImage img(layout());
  uint64_t body = img.Code(u"body", "body", "/a.py", 5, {{6, 0}}, /*first_traceable=*/2);
  uint64_t outer = img.Code(u"outer", "outer", "/a.py", 1, {{6, 0}});
  std::vector<uint64_t> frames = {img.Frame(body, 1), img.Frame(outer, 3)};
  if (layout().at.owned_by_cstack != kPyNone) {
    uint8_t shim = static_cast<uint8_t>(layout().at.owned_by_cstack);
    frames.insert(frames.begin() + 1, img.Frame(outer, 3, shim));
  }
  img.Thread(1, 2, frames);
  RuntimeView v = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(v.threads.size(), 1u);
  ASSERT_EQ(v.threads[0].frames.size(), 1u);  // body has not reached its first traceable one
  EXPECT_EQ(v.threads[0].frames[0].function, "outer");
}

TEST_P(PythonCoreTest, LoopsAndPointersOutsideTheCoreAreSaid) {
  PythonImage img(layout());
  const PythonLayout::Offsets& at = layout().at;
  uint64_t code = img.Code(u"f", "f", "/a.py", 1, {{4, 0}});
  uint64_t f1 = img.Frame(code, 0), f2 = img.Frame(code, 1);
  uint64_t looping = img.Thread(1, 11, {f1, f2});
  img.Put<uint64_t>(f2 + at.frame_previous, f1);  // the frame list loops
  uint64_t lost = img.Thread(2, 12, {img.Frame(code, 0)});
  uint64_t broken = img.Frame(0xdead0000, 0);  // its code object is nowhere
  img.Thread(3, 13, {img.Frame(code, 0), broken});
  img.Put<uint64_t>(looping + at.tstate_next, lost);  // and the thread list loops too
  img.Put<uint64_t>(lost + at.tstate_next, looping);

  RuntimeView v = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(v.threads.size(), 3u);  // newest first: 3, 2, 1, then 2 again
  EXPECT_NE(v.threads[0].stopped.find("code object 0xdead0000"), std::string::npos)
      << v.threads[0].stopped;
  EXPECT_EQ(v.threads[0].frames.size(), 1u);
  EXPECT_TRUE(v.threads[1].stopped.empty()) << v.threads[1].stopped;
  EXPECT_NE(v.threads[2].stopped.find("loops back"), std::string::npos) << v.threads[2].stopped;
  EXPECT_EQ(v.threads[2].frames.size(), 2u);
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_NE(v.problems[0].find("thread list loops back"), std::string::npos) << v.problems[0];
}

// Runs of frames end at an entry frame (3.11) or above a shim (3.12 on), and join the
// interpreter-loop frames of the native thread of the same LWP, innermost first.
TEST_P(PythonCoreTest, RunsOfFramesJoinTheirInterpreterLoopFrames) {
  PythonImage img(layout());
  const PythonLayout::Offsets& at = layout().at;
  uint64_t code = img.Code(u"f", "f", "/a.py", 1, {{8, 0}});
  uint64_t f1 = img.Frame(code, 1), f2 = img.Frame(code, 2), f3 = img.Frame(code, 3);
  std::vector<uint64_t> frames = {f1, f2, f3};
  if (at.frame_is_entry != kPyNone) {
    img.Put<uint8_t>(f2 + at.frame_is_entry, 1);
    img.Put<uint8_t>(f3 + at.frame_is_entry, 1);
  } else {
    uint8_t shim = static_cast<uint8_t>(at.owned_by_cstack);
    frames = {f1, f2, img.Frame(code, 0, shim), f3, img.Frame(code, 0, shim)};
  }
  img.Thread(7, 4242, frames);
  CoreReport report;
  report.runtime = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(report.runtime.threads.size(), 1u);
  const std::vector<RuntimeFrame>& got = report.runtime.threads[0].frames;
  ASSERT_EQ(got.size(), 3u);
  EXPECT_FALSE(got[0].entry);
  EXPECT_TRUE(got[1].entry);
  EXPECT_TRUE(got[2].entry);

  CoreThread native;
  native.tid = 4242;
  for (const char* fn :
       {"futex_wait", "_PyEval_EvalFrameDefault", "call", "_PyEval_EvalFrameDefault", "main"})
    native.frames.push_back(NamedFrame(fn));
  report.threads.push_back(native);
  JoinRuntimeFrames(&report);
  const std::vector<RuntimeFrame>& joined = report.runtime.threads[0].frames;
  EXPECT_EQ(joined[0].native_frame, 1);
  EXPECT_EQ(joined[1].native_frame, 1);
  EXPECT_EQ(joined[2].native_frame, 3);
  EXPECT_TRUE(report.runtime.problems.empty());

  // One loop frame only (a native stack cut short): the outer run stays apart, and is said.
  report.threads[0].frames.resize(3);
  JoinRuntimeFrames(&report);
  EXPECT_EQ(report.runtime.threads[0].frames[2].native_frame, -1);
  ASSERT_EQ(report.runtime.problems.size(), 1u);
  EXPECT_NE(report.runtime.problems[0].find("beyond"), std::string::npos);
}

// A Go view runs no frames inside a native interpreter loop: nothing is joined or reported.
TEST(RuntimeJoinTest, OnlyCPythonViewsAreJoined) {
  CoreReport report;
  report.runtime.runtime = "Go";
  RuntimeThread g = ThreadOn(18, 4242);
  g.frames.push_back(PyFrame("main.worker", "", 14));
  report.runtime.threads.push_back(g);
  CoreThread native;
  native.tid = 4242;
  native.frames.push_back(NamedFrame("runtime.futex"));
  report.threads.push_back(native);
  JoinRuntimeFrames(&report);
  EXPECT_EQ(report.runtime.threads[0].frames[0].native_frame, -1);
  EXPECT_TRUE(report.runtime.problems.empty());
}

TEST_P(PythonCoreTest, ARuntimeOutsideTheCoreIsUnreadable) {
  PythonImage img(layout());
  RuntimeView v = ReadPythonThreads(layout(), 0x7000, img.Reader());
  EXPECT_NE(v.unreadable.find("_PyRuntime (0x7000) is not in the core"), std::string::npos)
      << v.unreadable;
  EXPECT_TRUE(v.threads.empty());
}

INSTANTIATE_TEST_SUITE_P(Versions, PythonCoreTest, ::testing::Values(11, 12, 13),
                         [](const auto& info) { return "Py3_" + std::to_string(info.param); });

// Each runtime thread's activity comes from its native stack: idle in a blocking call, active
// elsewhere, unknown without a native thread.
TEST(PythonCoreText, ActivityFromTheNativeStack) {
  CoreReport r;
  r.runtime.runtime = "CPython";
  r.runtime.threads = {ThreadOn(0x7f01, 78), ThreadOn(0x7f02, 79), ThreadOn(0x7f03, 0)};
  CoreThread waiting;
  waiting.tid = 78;
  waiting.frames.push_back(NamedFrame("__futex_abstimed_wait_common64"));
  CoreThread running;
  running.tid = 79;
  running.frames.push_back(NamedFrame("_PyEval_EvalFrameDefault"));
  r.threads = {waiting, running};
  JoinRuntimeFrames(&r);
  EXPECT_EQ(r.runtime.threads[0].activity, "idle");
  EXPECT_EQ(r.runtime.threads[1].activity, "active");
  EXPECT_EQ(r.runtime.threads[2].activity, "");
}

// Location tables written by hand, one entry form each (Objects/locations.md): short (0-9),
// one-line (10-12), no column (13), long (14), none (15).
TEST(PythonLineTest, EveryEntryForm) {
  std::string t;
  t += static_cast<char>(0x80 | (0 << 3) | 0);  // short: 1 unit, line unchanged
  t += '\x05';
  t += static_cast<char>(0x80 | (12 << 3) | 1);  // one-line: 2 units, line + 2
  t += "\x01\x04";
  t += static_cast<char>(0x80 | (13 << 3) | 0);  // no column: 1 unit, line - 1 (svarint 3)
  t += '\x03';
  t += static_cast<char>(0x80 | (14 << 3) | 0);  // long: 1 unit, line + 100 (svarint 200)
  t += static_cast<char>((200 & 63) | 64);
  t += static_cast<char>(200 >> 6);
  t += std::string("\x00\x01\x02", 3);           // end line delta, column, end column
  t += static_cast<char>(0x80 | (15 << 3) | 0);  // none: 1 unit
  t += static_cast<char>(0x80 | (10 << 3) | 0);  // one-line: 1 unit, line + 0
  t += "\x01\x02";
  EXPECT_EQ(PythonLineOf(t, 50, 0), 50);
  EXPECT_EQ(PythonLineOf(t, 50, 2), 52);
  EXPECT_EQ(PythonLineOf(t, 50, 4), 52);
  EXPECT_EQ(PythonLineOf(t, 50, 6), 51);
  EXPECT_EQ(PythonLineOf(t, 50, 8), 151);
  EXPECT_EQ(PythonLineOf(t, 50, 10), 0);  // no location
  EXPECT_EQ(PythonLineOf(t, 50, 12), 151);
  EXPECT_EQ(PythonLineOf(t, 50, 14), 0);  // past the table
  EXPECT_EQ(PythonLineOf(t, 50, -2), 50);
  EXPECT_EQ(PythonLineOf(t.substr(0, 8), 50, 8), 0);  // cut inside an entry
  EXPECT_EQ(PythonLineOf("\x05\x05", 50, 0), 0);      // not an entry
}

}  // namespace
}  // namespace inquest
