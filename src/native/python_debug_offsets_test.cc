// LayoutFromDebugOffsets on a 3.13 image whose structures sit where a block at the start of
// _PyRuntime says (tests/support/python_image.h): the block wins over the table row.
#include "native/python_debug_offsets.h"

#include <gtest/gtest.h>

#include <cstring>

#include "native/python_core.h"
#include "tests/support/python_image.h"

namespace inquest {
namespace {

// A build whose thread states and code objects are laid out otherwise than the row says (as a
// debug or free-threaded build's are): fields moved by 16 bytes.
PythonLayout Moved(const PythonLayout& row) {
  PythonLayout m = row;
  m.at.tstate_native_thread_id += 16;
  m.at.tstate_thread_id += 16;
  m.at.tstate_current_frame += 16;
  m.at.code_name += 16;
  m.at.code_qualname += 16;
  m.at.code_filename += 16;
  m.source = "moved";
  return m;
}

TEST(PythonDebugOffsets, TheProcessOwnOffsetsWinOverTheRow) {
  const PythonLayout& row = *FindPythonLayout(3, 13);
  PythonLayout moved = Moved(row);
  PythonImage img(moved);
  uint64_t code = img.Code(u"handle", "Server.handle", "/srv/app.py", 10, {{3, 0}, {2, 2}});
  img.Thread(0x7f01, 101, {img.Frame(code, 4)});
  img.DebugBlock(moved);
  std::string why;
  std::optional<PythonLayout> own = LayoutFromDebugOffsets(row, img.runtime(), img.Reader(), &why);
  ASSERT_TRUE(own.has_value()) << why;
  EXPECT_EQ(own->at.tstate_native_thread_id, moved.at.tstate_native_thread_id);
  EXPECT_EQ(own->at.code_qualname, moved.at.code_qualname);
  EXPECT_EQ(own->at.gil_last_holder, row.at.gil_last_holder);
  EXPECT_EQ(own->at.owned_by_cstack, row.at.owned_by_cstack);  // not in the block: the row's
  RuntimeView v = ReadPythonThreads(*own, img.runtime(), img.Reader());
  ASSERT_EQ(v.threads.size(), 1u);
  EXPECT_EQ(v.threads[0].lwp, 101);
  ASSERT_EQ(v.threads[0].frames.size(), 1u);
  EXPECT_EQ(v.threads[0].frames[0].qualname, "Server.handle");
  EXPECT_EQ(v.threads[0].frames[0].file, "/srv/app.py");
  // The row alone misreads this build.
  RuntimeView wrong = ReadPythonThreads(row, img.runtime(), img.Reader());
  bool right = wrong.threads.size() == 1 && wrong.threads[0].lwp == 101 &&
               !wrong.threads[0].frames.empty() &&
               wrong.threads[0].frames[0].qualname == "Server.handle";
  EXPECT_FALSE(right);
}

TEST(PythonDebugOffsets, NoBlockAnotherVersionOrDamageIsRefusedWithTheReason) {
  const PythonLayout& row = *FindPythonLayout(3, 13);
  std::string why;
  PythonImage none(row);
  EXPECT_FALSE(LayoutFromDebugOffsets(row, none.runtime(), none.Reader(), &why));
  EXPECT_NE(why.find("cookie"), std::string::npos) << why;
  PythonImage later(row);
  later.DebugBlock(row, 0x030e00f0);  // 3.14
  EXPECT_FALSE(LayoutFromDebugOffsets(row, later.runtime(), later.Reader(), &why));
  EXPECT_NE(why.find("3.14"), std::string::npos) << why;
  PythonImage damaged(row);
  PythonLayout bad = row;
  bad.at.code_name = 0xfffffff0;
  damaged.DebugBlock(bad);
  EXPECT_FALSE(LayoutFromDebugOffsets(row, damaged.runtime(), damaged.Reader(), &why));
  EXPECT_NE(why.find("out of range"), std::string::npos) << why;
  EXPECT_FALSE(LayoutFromDebugOffsets(row, 0x10, none.Reader(), &why));
}

}  // namespace
}  // namespace inquest
