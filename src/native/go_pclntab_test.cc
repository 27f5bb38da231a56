// GoPclntab on a table written by hand in the Go 1.18 layout: lookups by pc, the pc-value
// tables (frame size, file, line), and damage refused with its byte offset. Real tables of real
// binaries are checked against the Go runtime's own tracebacks in tests/e2e/go_core_test.py.
#include "native/go_pclntab.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/support/go_image.h"

namespace inquest {
namespace {

constexpr uint64_t kText = kGoText;

std::string MakeTable(uint32_t magic = 0xfffffff0) { return GoTwoFunctionTable(magic); }

template <typename T>
void Put(std::string* s, size_t at, T v) {
  PutBytes(s, at, v);
}

TEST(GoPclntabTest, FunctionsFrameSizesFilesAndLines) {
  std::string bytes = MakeTable();
  Result<GoPclntab> t = GoPclntab::Parse(bytes);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 2u);
  EXPECT_EQ(t->version(), "1.18-1.19");
  const GoFunc* a = t->Find(kText + 5);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "main.a");
  EXPECT_EQ(a->entry, kText);
  EXPECT_EQ(t->FrameSize(*a, kText + 3), 0);
  EXPECT_EQ(t->FrameSize(*a, kText + 5), 16);
  EXPECT_EQ(t->FrameSize(*a, kText + 20), std::nullopt);  // past the table
  EXPECT_EQ(t->Line(*a, kText + 2), 10);
  EXPECT_EQ(t->Line(*a, kText + 7), 12);
  EXPECT_EQ(t->File(*a, kText + 2), "/src/a.go");
  const GoFunc* b = t->Find(kText + 0x30);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->name, "main.b");
  EXPECT_EQ(t->Find(kText + 0x40), nullptr);
  EXPECT_EQ(t->Find(kText - 1), nullptr);
  // A load bias moves every address.
  Result<GoPclntab> moved = GoPclntab::Parse(bytes, 0x1000);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->Find(kText + 0x1005)->name, "main.a");
}

TEST(GoPclntabTest, OlderAndDamagedTablesAreRefused) {
  Result<GoPclntab> old = GoPclntab::Parse(MakeTable(0xfffffffb));  // Go 1.16-1.17
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.status().message().find("before 1.18"), std::string::npos);
  std::string cut = MakeTable().substr(0, 170);
  Result<GoPclntab> short_table = GoPclntab::Parse(cut);
  ASSERT_FALSE(short_table.ok());
  EXPECT_NE(short_table.status().message().find(".gopclntab byte"), std::string::npos)
      << short_table.status().message();
  std::string many = MakeTable();
  Put<uint64_t>(&many, 8, uint64_t{1} << 40);  // more functions than bytes
  EXPECT_FALSE(GoPclntab::Parse(many).ok());
  EXPECT_FALSE(GoPclntab::Parse("").ok());
}

}  // namespace
}  // namespace inquest
