// GoPclntab on a table written by hand in the Go 1.18 layout: lookups by pc, the pc-value
// tables (frame size, file, line), and damage refused with its byte offset. Real tables of real
// binaries are checked against the Go runtime's own tracebacks in tests/e2e/go_core_test.py.
#include "native/go_pclntab.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace inquest {
namespace {

constexpr uint64_t kText = 0x400000;

template <typename T>
void Put(std::string* s, size_t at, T v) {
  if (s->size() < at + sizeof v) s->resize(at + sizeof v, '\0');
  std::memcpy(s->data() + at, &v, sizeof v);
}

// Two functions: main.a at [0, 0x20) and main.b at [0x20, 0x40).
std::string MakeTable(uint32_t magic = 0xfffffff0) {
  std::string t(72, '\0');
  const size_t names = 72, cu = 88, files = 96, pctab = 112, functab = 160;
  Put<uint32_t>(&t, 0, magic);
  t[6] = 1;  // instruction quantum
  t[7] = 8;  // pointer size
  Put<uint64_t>(&t, 8, 2);
  Put<uint64_t>(&t, 16, 1);
  Put<uint64_t>(&t, 24, kText);
  Put<uint64_t>(&t, 32, names);
  Put<uint64_t>(&t, 40, cu);
  Put<uint64_t>(&t, 48, files);
  Put<uint64_t>(&t, 56, pctab);
  Put<uint64_t>(&t, 64, functab);
  t.resize(names);
  t += std::string("main.a\0main.b\0", 14);
  t.resize(cu);
  Put<uint32_t>(&t, cu, 0);
  t.resize(files);
  t += std::string("/src/a.go\0", 10);
  t.resize(pctab);
  // pcsp at 1: 0 for 4 bytes, then 16 for 10; pcln at 6: 10 for 6 bytes, then 12 for 8;
  // pcfile at 11: file 0 for 14 bytes. Values start at -1; deltas are zig-zag.
  t += std::string("\x00\x02\x04\x20\x0a\x00\x16\x06\x04\x08\x00\x02\x0e\x00", 14);
  t.resize(functab);
  const uint32_t rec_a = 24, rec_b = 24 + 40;  // from the functab's start
  Put<uint32_t>(&t, functab + 0, 0);
  Put<uint32_t>(&t, functab + 4, rec_a);
  Put<uint32_t>(&t, functab + 8, 0x20);
  Put<uint32_t>(&t, functab + 12, rec_b);
  Put<uint32_t>(&t, functab + 16, 0x40);  // the end
  Put<uint32_t>(&t, functab + 20, 0);
  for (auto [rec, entry, name] : {std::tuple{rec_a, 0u, 0u}, std::tuple{rec_b, 0x20u, 7u}}) {
    uint32_t fields[9] = {entry, name, 0, 0, 1, 11, 6, 0, 0};
    for (int k = 0; k < 9; ++k) Put<uint32_t>(&t, functab + rec + 4 * k, fields[k]);
    Put<uint32_t>(&t, functab + rec + 36, 0);  // funcID, flag, pad, nfuncdata
  }
  return t;
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
