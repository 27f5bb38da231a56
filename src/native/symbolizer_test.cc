#include "native/symbolizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <string>

namespace inquest {
namespace {

// This process's file mappings, as a crash file would record them.
std::vector<ModuleMapping> SelfMappings() {
  std::vector<ModuleMapping> out;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    uint64_t start = 0, end = 0, offset = 0;
    char perms[8] = {};
    int path_at = 0;
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %n", &start,
                    &end, perms, &offset, &path_at) < 4 ||
        path_at == 0) {
      continue;
    }
    std::string path = line.substr(path_at);
    if (path.empty() || path[0] != '/') continue;
    out.push_back({path, start, end, offset, ""});
  }
  return out;
}

// A function with a known line, kept out of line so its address is its own.
__attribute__((noinline)) int KnownFunction(int x) {
  return x * 3 + 1;  // the line the test looks for is the function's first
}
constexpr int kKnownFunctionLine = __LINE__ - 2;  // the return statement

TEST(SymbolizerTest, FindsFunctionFileAndLineOfThisBinary) {
  auto s = Symbolizer::Create(SelfMappings(), {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto addr = reinterpret_cast<uint64_t>(&KnownFunction);
  SymbolizedAddress a = s->Symbolize(addr, AddressKind::kExact);
  EXPECT_NE(a.module.find("native_test"), std::string::npos) << a.module;
  EXPECT_EQ(a.function, "inquest::(anonymous namespace)::KnownFunction(int)");
  EXPECT_EQ(a.function_offset, 0u);
  EXPECT_NE(a.file.find("symbolizer_test.cc"), std::string::npos) << a.file;
  EXPECT_GE(a.line, kKnownFunctionLine - 1);
  EXPECT_LE(a.line, kKnownFunctionLine);
  EXPECT_GT(a.module_offset, 0u);
  EXPECT_LT(a.module_offset, addr);
}

TEST(SymbolizerTest, ReturnAddressIsLookedUpAtTheCall) {
  auto s = Symbolizer::Create(SelfMappings(), {});
  ASSERT_TRUE(s.ok());
  auto addr = reinterpret_cast<uint64_t>(&KnownFunction);
  // One past the function's first byte, as a return address into it would be.
  SymbolizedAddress a = s->Symbolize(addr + 1, AddressKind::kReturnAddress);
  EXPECT_EQ(a.function_offset, 1u);
  EXPECT_EQ(a.function, "inquest::(anonymous namespace)::KnownFunction(int)");
}

TEST(SymbolizerTest, LibcFunctionHasAModule) {
  auto s = Symbolizer::Create(SelfMappings(), {});
  ASSERT_TRUE(s.ok());
  // getpid: a libc function no sanitizer runtime intercepts, so its address is libc's.
  SymbolizedAddress a = s->Symbolize(reinterpret_cast<uint64_t>(&::getpid), AddressKind::kExact);
  EXPECT_NE(a.module.find("libc"), std::string::npos) << a.module;
  EXPECT_NE(a.function.find("getpid"), std::string::npos) << a.function;
}

TEST(SymbolizerTest, AddressOutsideEveryModuleStaysEmpty) {
  auto s = Symbolizer::Create(SelfMappings(), {});
  ASSERT_TRUE(s.ok());
  SymbolizedAddress a = s->Symbolize(0x10, AddressKind::kExact);
  EXPECT_TRUE(a.module.empty());
  EXPECT_TRUE(a.function.empty());
  EXPECT_EQ(a.line, 0);
}

TEST(SymbolizerTest, WrongBuildIdIsAMismatchNotASymbol) {
  std::vector<ModuleMapping> maps = SelfMappings();
  ASSERT_FALSE(maps.empty());
  std::string exe = maps[0].path;
  for (ModuleMapping& m : maps) {
    if (m.path == exe) m.build_id = "0123456789abcdef0123456789abcdef01234567";
  }
  auto s = Symbolizer::Create(maps, {});
  ASSERT_TRUE(s.ok());
  SymbolizedAddress a =
      s->Symbolize(reinterpret_cast<uint64_t>(&KnownFunction), AddressKind::kExact);
  EXPECT_EQ(a.module, exe);
  EXPECT_TRUE(a.function.empty()) << a.function;
  bool found = false;
  for (const ModuleInfo& m : s->Modules()) {
    if (m.name != exe) continue;
    found = true;
    EXPECT_EQ(m.status, SymbolStatus::kMismatch);
    EXPECT_NE(m.note.find("differs"), std::string::npos) << m.note;
  }
  EXPECT_TRUE(found);
}

TEST(SymbolizerTest, ExeOverrideAndBadDebugDir) {
  SymbolSearch bad;
  bad.debug_dirs = {"/nonexistent/debug"};
  EXPECT_FALSE(Symbolizer::Create(SelfMappings(), bad).ok());
  SymbolSearch missing_exe;
  missing_exe.exe = "/nonexistent/exe";
  EXPECT_FALSE(Symbolizer::Create(SelfMappings(), missing_exe).ok());
}

TEST(SymbolizerTest, ModulesAreReportedWithStatus) {
  auto s = Symbolizer::Create(SelfMappings(), {});
  ASSERT_TRUE(s.ok());
  std::vector<ModuleInfo> mods = s->Modules();
  ASSERT_GE(mods.size(), 2u);
  for (size_t i = 1; i < mods.size(); ++i) EXPECT_LE(mods[i - 1].start, mods[i].start);
  bool self_full = false;
  for (const ModuleInfo& m : mods) {
    if (m.name.find("native_test") != std::string::npos) {
      self_full = m.status == SymbolStatus::kFull;
      EXPECT_EQ(m.build_id.size(), 40u) << m.build_id;
    }
  }
  EXPECT_TRUE(self_full);
}

}  // namespace
}  // namespace inquest
