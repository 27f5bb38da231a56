#include "capture/crash_file.h"

#include <gtest/gtest.h>

#include <string>

namespace inquest {
namespace {

constexpr std::string_view kCrash =
    "inquest-crash 1\n"
    "signal 11\n"
    "code 1\n"
    "fault_addr 0x8\n"
    "pid 4242\n"
    "tid 4243\n"
    "time 1716991868.5\n"
    "exe /srv/billing\n"
    "arch x86_64\n"
    "reg rip 0x55d0c0a01234\n"
    "reg rsp 0x7ffd00001000\n"
    "frame 0x55d0c0a01234\n"
    "frame 0x55d0c0a01300\n"
    "map 55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 123 /srv/billing\n"
    "map 55d0c0a01000-55d0c0a02000 r-xp 00001000 fe:00 123 /srv/billing\n"
    "map 7ffd00000000-7ffd00002000 rw-p 00000000 00:00 0 [stack]\n"
    "map 7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
    "build_id 0x55d0c0a00000 3f2a9c1d\n"
    "future_key whatever a later writer adds\n"
    "end\n";

TEST(CrashFileTest, ReadsEveryField) {
  Result<CrashFile> c = ParseCrashFile(kCrash, "crash.txt");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->signal, 11);
  EXPECT_EQ(c->code, 1);
  EXPECT_EQ(c->fault_addr, 0x8u);
  EXPECT_EQ(c->pid, 4242);
  EXPECT_EQ(c->tid, 4243);
  EXPECT_EQ(c->time_ns, 1716991868500000000);
  EXPECT_EQ(c->exe, "/srv/billing");
  ASSERT_EQ(c->registers.size(), 2u);
  EXPECT_EQ(c->registers[0].first, "rip");
  ASSERT_EQ(c->frames.size(), 2u);
  EXPECT_EQ(c->frames[1], 0x55d0c0a01300u);
  EXPECT_EQ(c->regions.size(), 4u);
  ASSERT_EQ(c->mappings.size(), 2u);  // the file-backed ones
  // The build-id read at the offset-0 mapping belongs to every mapping of the file.
  EXPECT_EQ(c->mappings[0].build_id, "3f2a9c1d");
  EXPECT_EQ(c->mappings[1].build_id, "3f2a9c1d");
  EXPECT_EQ(c->mappings[1].offset, 0x1000u);
  EXPECT_TRUE(c->complete);
  EXPECT_NE(CrashFaultMeaning(*c).find("null pointer"), std::string::npos) << CrashFaultMeaning(*c);
}

TEST(CrashFileTest, CutFileYieldsWhatItHolds) {
  std::string cut(kCrash.substr(0, kCrash.find("map 7ffd") + 10));
  Result<CrashFile> c = ParseCrashFile(cut, "crash.txt");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->complete);
  EXPECT_EQ(c->frames.size(), 2u);
  ASSERT_FALSE(c->notes.empty());
  EXPECT_NE(c->notes.back().find("cut off"), std::string::npos);
}

TEST(CrashFileTest, ErrorsNameFileAndLine) {
  std::string bad(kCrash);
  bad.replace(bad.find("frame 0x55d0c0a01300"), 20, "frame 0xzz");
  Result<CrashFile> c = ParseCrashFile(bad, "crash.txt");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kBadInput);
  EXPECT_EQ(c.status().where().line, 13u);
  EXPECT_NE(c.status().ToString().find("crash.txt:13"), std::string::npos) << c.status().ToString();
}

TEST(CrashFileTest, RejectsWhatIsNotACrashFile) {
  EXPECT_FALSE(ParseCrashFile("", "empty").ok());
  EXPECT_FALSE(ParseCrashFile("hello\n", "x").ok());
  EXPECT_FALSE(ParseCrashFile("inquest-crash 9\nsignal 11\nend\n", "x").ok());
  EXPECT_FALSE(ParseCrashFile("inquest-crash 1\npid 3\nend\n", "x").ok());  // no signal
  EXPECT_FALSE(ParseCrashFile("inquest-crash 1\nsignal 11\nend\nframe 0x1\n", "x").ok());
  EXPECT_FALSE(ParseCrashFile("inquest-crash 1\nsignal 11\ntime 99999999999999999.1\n", "x").ok());
  EXPECT_FALSE(ParseCrashFile("inquest-crash 1\nsignal 11\nmap 5-3 r--p 0 0 0 /x\n", "x").ok());
}

TEST(CrashFileTest, BoundsTheFrameCount) {
  std::string many = "inquest-crash 1\nsignal 6\n";
  for (size_t i = 0; i <= kMaxCrashFrames; ++i) many += "frame 0x1000\n";
  Result<CrashFile> c = ParseCrashFile(many, "x");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("too many"), std::string::npos);
}

}  // namespace
}  // namespace inquest
