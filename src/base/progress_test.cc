#include "base/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace inquest {
namespace {

std::string ReadAll(FILE* f) {
  fflush(f);
  rewind(f);
  std::string s;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

TEST(ProgressTest, RenderShowsShareAndStage) {
  EXPECT_EQ(Progress::Render("reading", 50, 100, "a.log", 10, 0),
            "reading [#####     ] 50%  a.log");
  EXPECT_EQ(Progress::Render("reading", 200, 100, "", 4, 0), "reading [####] 100%");
  // Unknown total: a spinner and a count.
  EXPECT_EQ(Progress::Render("scan", 7, 0, "", 10, 1), "scan / 7");
}

TEST(ProgressTest, SilentWhenNotATerminal) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressOptions o;
    o.out = f;
    o.delay = std::chrono::milliseconds(0);
    o.interval = std::chrono::milliseconds(1);
    Progress p("work", 10, o);
    EXPECT_FALSE(p.active());
    p.Add(5);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(ReadAll(f), "");
  fclose(f);
}

TEST(ProgressTest, QuickWorkDrawsNothing) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressOptions o;
    o.out = f;
    o.force = true;  // as if stderr were a terminal; the default 1 s delay applies
    Progress p("work", 10, o);
    p.Add(10);
  }
  EXPECT_EQ(ReadAll(f), "");
  fclose(f);
}

TEST(ProgressTest, DrawsAndClearsWhenForced) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressOptions o;
    o.out = f;
    o.force = true;
    o.delay = std::chrono::milliseconds(0);
    o.interval = std::chrono::milliseconds(1);
    o.width = 4;
    Progress p("work", 4, o);
    p.Add(2);
    p.SetStage("step");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    p.Finish();
    p.Finish();  // idempotent
  }
  std::string s = ReadAll(f);
  EXPECT_NE(s.find("work [##  ] 50%  step"), std::string::npos) << s;
  EXPECT_TRUE(s.ends_with("\r\033[K")) << s;
  fclose(f);
}

TEST(ProgressTest, ItemShowsAfterItsStage) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p("work", 4,
               {.out = f,
                .force = true,
                .delay = std::chrono::milliseconds(0),
                .interval = std::chrono::milliseconds(1),
                .width = 4});
    p.SetStage("reading logs");
    p.SetItem("pods/a.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  EXPECT_NE(ReadAll(f).find("reading logs: pods/a.log"), std::string::npos);
  fclose(f);
}

TEST(ProgressTest, StageTimesCoverEachStageUntilTheNextOrTheEnd) {
  Progress p("work", 0, {.out = nullptr, .time_stages = true});
  p.SetStage("one");
  p.SetItem("not a stage");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  p.SetStage("two");
  p.Finish();
  std::string t = p.StageTimes();
  ASSERT_TRUE(t.starts_with("one 0.")) << t;
  EXPECT_GE(std::stod(t.substr(4)), 0.05) << t;
  EXPECT_NE(t.find(", two 0.0"), std::string::npos) << t;
  EXPECT_EQ(t.find("not a stage"), std::string::npos) << t;
  // Without time_stages nothing is kept.
  Progress quiet("work", 0, {.out = nullptr});
  quiet.SetStage("one");
  EXPECT_EQ(quiet.StageTimes(), "");
}

}  // namespace
}  // namespace inquest
