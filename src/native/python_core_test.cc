// The CPython walker on process images built per layout (tests/support/python_image.h): frames
// with their names and lines, the GIL holder, shims and incomplete frames skipped, and damage
// (lists that loop, pointers outside the process, unreadable strings) said, never followed.
// tests/e2e/python_core_test.py checks real cores of every interpreter on the machine against
// faulthandler.
#include "native/python_core.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "native/core_file.h"
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
  bool frame_objects() const { return layout().at.tstate_frame != kPyNone; }
  // A qualified name as the version has it: none before 3.11.
  std::string Qual(const char* q) const { return frame_objects() ? "" : q; }
};
// 3.11 on: _PyInterpreterFrame (incomplete frames, entry frames, shims).
class InterpreterFrameTest : public PythonCoreTest {};
// 3.8 to 3.10: PyFrameObjects.
class FrameObjectTest : public PythonCoreTest {};

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
  EXPECT_EQ(idle_thread.lwp, frame_objects() ? 0 : 102);  // before 3.11: joined by its id
  EXPECT_FALSE(idle_thread.holds_lock);
  ASSERT_EQ(idle_thread.frames.size(), 1u);
  EXPECT_EQ(idle_thread.frames[0].qualname, Qual("Condition.wait"));
  EXPECT_EQ(idle_thread.frames[0].function, "wait");
  EXPECT_EQ(idle_thread.frames[0].line, 320);

  const RuntimeThread& w = v.threads[1];
  EXPECT_TRUE(w.holds_lock);
  ASSERT_EQ(w.frames.size(), 2u);
  EXPECT_EQ(w.frames[0].function, "handle");
  EXPECT_EQ(w.frames[0].qualname, Qual("Server.handle"));
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

TEST_P(InterpreterFrameTest, IncompleteFramesAndShimsAreSkipped) {
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
  img.Link(f2, f1);  // the frame list loops
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
TEST_P(InterpreterFrameTest, RunsOfFramesJoinTheirInterpreterLoopFrames) {
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

// Before 3.11 each frame is the one frame of its call of the eval loop, and the thread state
// keeps the pthread id only: the join finds the native thread whose thread pointer it is.
TEST_P(FrameObjectTest, EachFrameJoinsItsOwnLoopFrameAndTheLwpComesFromThePthreadId) {
  PythonImage img(layout());
  uint64_t code = img.Code(u"f", "", "/a.py", 1, {{8, 0}});
  img.Thread(0x7f1234560700, 0, {img.Frame(code, 1), img.Frame(code, 2)});
  CoreReport report;
  report.runtime = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(report.runtime.threads.size(), 1u);
  EXPECT_EQ(report.runtime.threads[0].lwp, 0);
  ASSERT_EQ(report.runtime.threads[0].frames.size(), 2u);
  EXPECT_TRUE(report.runtime.threads[0].frames[0].entry);
  EXPECT_TRUE(report.runtime.threads[0].frames[1].entry);
  CoreThread other, native;
  other.tid = 4241;
  other.regs[kRegFsBase] = 0x7f1234999700;
  native.tid = 4242;
  native.regs[kRegFsBase] = 0x7f1234560700;
  for (const char* fn :
       {"futex_wait", "_PyEval_EvalFrameDefault", "call", "_PyEval_EvalFrameDefault", "main"})
    native.frames.push_back(NamedFrame(fn));
  report.threads = {other, native};
  JoinRuntimeFrames(&report);
  const RuntimeThread& t = report.runtime.threads[0];
  EXPECT_EQ(t.lwp, 4242);
  EXPECT_EQ(t.activity, "idle");
  EXPECT_EQ(t.frames[0].native_frame, 1);
  EXPECT_EQ(t.frames[1].native_frame, 3);
  EXPECT_TRUE(report.runtime.problems.empty());
}

// f_lasti counts bytes to 3.9 and code units in 3.10; -1 (not started) is the first line.
TEST_P(FrameObjectTest, LinesFromTheFramesLastInstruction) {
  PythonImage img(layout());
  uint64_t code = img.Code(u"f", "", "/a.py", 10, {{2, 0}, {3, 5}, {1, -2}});
  uint64_t not_started = img.Frame(code, 0);
  img.Put<int32_t>(not_started + layout().at.pyframe_lasti, -1);
  img.Thread(1, 0,
             {img.Frame(code, 0), img.Frame(code, 2), img.Frame(code, 4), img.Frame(code, 5),
              not_started});
  RuntimeView v = ReadPythonThreads(layout(), img.runtime(), img.Reader());
  ASSERT_EQ(v.threads.size(), 1u);
  std::vector<int> lines;
  for (const RuntimeFrame& f : v.threads[0].frames) lines.push_back(f.line);
  EXPECT_EQ(lines, (std::vector<int>{10, 15, 15, 13, 10}));
}

INSTANTIATE_TEST_SUITE_P(Versions, PythonCoreTest, ::testing::Values(8, 9, 10, 11, 12, 13),
                         [](const auto& info) { return "Py3_" + std::to_string(info.param); });
INSTANTIATE_TEST_SUITE_P(Versions, InterpreterFrameTest, ::testing::Values(11, 12, 13),
                         [](const auto& info) { return "Py3_" + std::to_string(info.param); });
INSTANTIATE_TEST_SUITE_P(Versions, FrameObjectTest, ::testing::Values(8, 9, 10),
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

// Line tables of 3.8, 3.9 and 3.10 as those interpreters wrote them for one function (loops,
// a 200-line gap, lines that go back, try/finally, with), and the line of every instruction
// as the same interpreter gives it (dis.findlinestarts to 3.9, co_lines in 3.10).
struct OldTable {
  int minor, first_line;
  const char* table_hex;
  const char* lines;  // "offset:line ..."
};
constexpr OldTable kOldTables[] = {
    {8, 1, "000104010c0108010a7f004b0a0102010201020102fe08040601020102ff040102010a01",
     "0:2 2:2 4:3 6:3 8:3 10:3 12:3 14:3 16:4 18:4 20:4 22:4 24:5 26:5 28:5 30:5 32:5 34:207 "
     "36:207 38:207 40:207 42:207 44:208 46:209 48:210 50:211 52:209 54:209 56:209 58:209 60:213 "
     "62:213 64:213 66:214 68:215 70:214 72:214 74:215 76:216 78:216 80:216 82:216 84:216 86:217 "
     "88:217 90:217 92:217 94:217 96:217 98:217 100:217 102:217 104:217 106:217"},
    {9, 1, "000104010c0108010a7f004b0a0102010201020102fe06040c01020102ff040102011e01",
     "0:2 2:2 4:3 6:3 8:3 10:3 12:3 14:3 16:4 18:4 20:4 22:4 24:5 26:5 28:5 30:5 32:5 34:207 "
     "36:207 38:207 40:207 42:207 44:208 46:209 48:210 50:211 52:209 54:209 56:209 58:213 60:213 "
     "62:213 64:213 66:213 68:213 70:214 72:215 74:214 76:214 78:215 80:216 82:216 84:216 86:216 "
     "88:216 90:216 92:216 94:216 96:216 98:216 100:216 102:216 104:216 106:216 108:216 110:217 "
     "112:217 114:217 116:217 118:217 120:217 122:217 124:217 126:217 128:217 130:217"},
    {10, 1, "04010c0108010a01007f0a4b020102010201020106fe0c040201020104ff020102011cfe1603",
     "0:2 2:2 4:3 6:3 8:3 10:3 12:3 14:3 16:4 18:4 20:4 22:4 24:5 26:5 28:5 30:5 32:5 34:207 "
     "36:207 38:207 40:207 42:207 44:208 46:209 48:210 50:211 52:209 54:209 56:209 58:213 60:213 "
     "62:213 64:213 66:213 68:213 70:214 72:215 74:214 76:214 78:215 80:216 82:214 84:214 86:214 "
     "88:214 90:214 92:214 94:214 96:214 98:214 100:214 102:214 104:214 106:214 108:214 110:217 "
     "112:217 114:217 116:217 118:217 120:217 122:217 124:217 126:217 128:217 130:217"},
};

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(PythonLineTest, OldTablesAsTheirInterpretersReadThem) {
  for (const OldTable& t : kOldTables) {
    std::string table = Unhex(t.table_hex);
    auto line_of = [&](int64_t addr) {
      return t.minor >= 10 ? PythonLineOfLinetable310(table, t.first_line, addr)
                           : PythonLineOfLnotab(table, t.first_line, addr);
    };
    std::istringstream in(t.lines);
    std::string pair;
    size_t checked = 0;
    while (in >> pair) {
      size_t colon = pair.find(':');
      int64_t addr = std::stoll(pair.substr(0, colon));
      int line = std::stoi(pair.substr(colon + 1));
      EXPECT_EQ(line_of(addr), line) << "3." << t.minor << " at byte " << addr;
      ++checked;
    }
    EXPECT_GT(checked, 40u);
    EXPECT_EQ(line_of(-1), t.first_line) << "3." << t.minor;  // not started
  }
}

TEST(PythonLineTest, Linetable310RangesWithoutALine) {
  // 4 bytes on line +1, 2 bytes with no line (-128), 2 bytes on line +2 from the last one.
  std::string t = std::string("\x04\x01\x02\x80\x02\x02", 6);
  EXPECT_EQ(PythonLineOfLinetable310(t, 10, 0), 11);
  EXPECT_EQ(PythonLineOfLinetable310(t, 10, 2), 11);
  EXPECT_EQ(PythonLineOfLinetable310(t, 10, 4), 0);
  EXPECT_EQ(PythonLineOfLinetable310(t, 10, 6), 13);
  EXPECT_EQ(PythonLineOfLinetable310(t, 10, 8), 0);  // past the table
  // co_lnotab: a line that goes back (signed increments), and bytes past the table stay on
  // the last line, as PyCode_Addr2Line says.
  std::string l = std::string("\x00\x01\x04\xfe\x04\x05", 6);
  EXPECT_EQ(PythonLineOfLnotab(l, 10, 0), 11);
  EXPECT_EQ(PythonLineOfLnotab(l, 10, 4), 9);
  EXPECT_EQ(PythonLineOfLnotab(l, 10, 8), 14);
  EXPECT_EQ(PythonLineOfLnotab(l, 10, 100), 14);
}

}  // namespace
}  // namespace inquest
