#include "native/core_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/test_files.h"

namespace inquest {
namespace {

// A synthetic x86-64 core (fuzz/corpus/native_core_fuzzer/core_minimal without its parser
// byte): one thread 4242 in SIGSEGV at rip 0x401000, NT_SIGINFO with si_addr 0x8, process info
// "billing", one NT_FILE mapping, AT_ENTRY and AT_EXECFN, and a 64-byte stack segment.
std::string MinimalCore() {
  std::ifstream in(TestSourceDir() + "/fuzz/corpus/native_core_fuzzer/core_minimal",
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str().substr(1);
}

TEST(CoreFileTest, ReadsEveryNote) {
  std::string bytes = MinimalCore();
  ASSERT_GT(bytes.size(), 500u);
  auto core = ParseCoreFile(bytes, "core.4242");
  ASSERT_TRUE(core.ok()) << core.status().ToString();
  EXPECT_FALSE(core->truncated);
  EXPECT_TRUE(core->problems.empty());
  ASSERT_EQ(core->threads.size(), 1u);
  EXPECT_EQ(core->threads[0].tid, 4242);
  EXPECT_EQ(core->threads[0].signal, 11);
  EXPECT_EQ(core->threads[0].regs[kRegRip], 0x401000u);
  EXPECT_EQ(core->threads[0].regs[kRegRsp], 0x7ffc0000u);
  ASSERT_TRUE(core->siginfo.has_value());
  EXPECT_EQ(core->siginfo->signo, 11);
  EXPECT_EQ(core->siginfo->code, 1);
  EXPECT_EQ(core->siginfo->addr, 8u);
  EXPECT_EQ(core->pid, 4242);
  EXPECT_EQ(core->command, "billing");
  EXPECT_EQ(core->args, "./billing --once");
  ASSERT_EQ(core->mappings.size(), 1u);
  EXPECT_EQ(core->mappings[0].path, "/srv/billing");
  EXPECT_EQ(core->mappings[0].start, 0x400000u);
  EXPECT_EQ(core->execfn, "/srv/billing");  // AT_EXECFN points into the stack segment
  char buf[4];
  EXPECT_TRUE(core->ReadMemory(bytes, 0x7ffc0000, buf, 4));
  EXPECT_EQ(std::string(buf, 4), "/srv");
  EXPECT_FALSE(core->ReadMemory(bytes, 0x7ffc0000 + 62, buf, 4));  // runs past the segment
  EXPECT_EQ(ProbeCore(bytes), 1.0);
}

TEST(CoreFileTest, TruncatedCoreSaysWhereAndKeepsTheNotes) {
  std::string bytes = MinimalCore();
  bytes.resize(bytes.size() - 40);  // cuts the stack segment
  auto core = ParseCoreFile(bytes, "core");
  ASSERT_TRUE(core.ok());
  EXPECT_TRUE(core->truncated);
  ASSERT_FALSE(core->problems.empty());
  EXPECT_NE(core->problems.back().find("cut short"), std::string::npos);
  EXPECT_EQ(core->threads.size(), 1u);
  char buf[8];
  EXPECT_TRUE(core->ReadMemory(bytes, 0x7ffc0000, buf, 8));        // the part still there
  EXPECT_FALSE(core->ReadMemory(bytes, 0x7ffc0000 + 30, buf, 8));  // the part gone
}

TEST(CoreFileTest, DamagedNoteIsReportedWithItsOffset) {
  std::string bytes = MinimalCore();
  // The first note's namesz (at the notes' offset, after the header and two phdrs).
  size_t notes = 64 + 2 * 56;
  bytes[notes] = '\xf0';
  bytes[notes + 3] = '\xff';
  auto core = ParseCoreFile(bytes, "core");
  ASSERT_TRUE(core.ok());
  ASSERT_FALSE(core->problems.empty());
  EXPECT_NE(core->problems[0].find("byte 176"), std::string::npos) << core->problems[0];
  EXPECT_TRUE(core->threads.empty());
}

TEST(CoreFileTest, RejectsWhatIsNotAnX86Core) {
  std::string bytes = MinimalCore();
  EXPECT_EQ(ParseCoreFile("hello", "f").status().code(), StatusCode::kBadInput);
  std::string exec = bytes;
  exec[16] = 2;  // ET_EXEC
  auto r = ParseCoreFile(exec, "a.out");
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
  EXPECT_NE(r.status().message().find("not a core"), std::string::npos);
  EXPECT_EQ(ProbeCore(exec), 0.0);
  std::string arm = bytes;
  arm[18] = static_cast<char>(183);  // EM_AARCH64
  r = ParseCoreFile(arm, "core.arm");
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("another architecture"), std::string::npos);
  std::string be = bytes;
  be[5] = 2;  // ELFDATA2MSB
  EXPECT_EQ(ParseCoreFile(be, "core").status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(ParseCoreFile(bytes.substr(0, 40), "core").status().code(), StatusCode::kBadInput);
}

TEST(CoreFileTest, ProgramHeadersPastTheEndAreTruncation) {
  std::string bytes = MinimalCore().substr(0, 64 + 56 + 10);
  auto core = ParseCoreFile(bytes, "core");
  ASSERT_TRUE(core.ok());
  EXPECT_TRUE(core->truncated);
  EXPECT_TRUE(core->threads.empty());
}

}  // namespace
}  // namespace inquest
