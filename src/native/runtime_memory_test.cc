#include "native/runtime_memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace inquest {
namespace {

// 3 pages at 0x10000 of which the last is readable only in its first half (a segment that ends
// mid-page), counting the reads that reach the core.
struct Backing {
  std::string bytes = std::string(3 * PageCache::kPage, '\0');
  int reads = 0;
  Backing() {
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  }
  ReadMemoryFn Fn() {
    return [this](uint64_t addr, void* out, size_t len) {
      ++reads;
      uint64_t end = 0x10000 + 2 * PageCache::kPage + PageCache::kPage / 2;
      if (addr < 0x10000 || addr + len > end) return false;
      std::memcpy(out, bytes.data() + (addr - 0x10000), len);
      return true;
    };
  }
};

TEST(PageCacheTest, ReadsThroughTheCacheGiveTheCoresBytes) {
  Backing core;
  PageCache cache(core.Fn(), 4);
  uint64_t v = 0, want = 0;
  for (uint64_t at : {0x10008ull, 0x10010ull, 0x10ff8ull, 0x10008ull}) {
    ASSERT_TRUE(cache.Read(at, &v, 8));
    std::memcpy(&want, core.bytes.data() + (at - 0x10000), 8);
    EXPECT_EQ(v, want) << std::hex << at;
  }
  EXPECT_EQ(core.reads, 1);  // one page read, then served from the cache
  // Across two pages: straight to the core.
  ASSERT_TRUE(cache.Read(0x10ffc, &v, 8));
  std::memcpy(&want, core.bytes.data() + 0xffc, 8);
  EXPECT_EQ(v, want);
  // A page not whole in the core: the bytes that are there still read, those past it fail.
  ASSERT_TRUE(cache.Read(0x12010, &v, 8));
  std::memcpy(&want, core.bytes.data() + 0x2010, 8);
  EXPECT_EQ(v, want);
  EXPECT_FALSE(cache.Read(0x12ff0, &v, 8));
  EXPECT_FALSE(cache.Read(0x9000, &v, 8));
  // One slot: a page evicted by another is read again.
  Backing small;
  PageCache one(small.Fn(), 1);
  ASSERT_TRUE(one.Read(0x10008, &v, 8));
  ASSERT_TRUE(one.Read(0x11008, &v, 8));
  ASSERT_TRUE(one.Read(0x10010, &v, 8));
  EXPECT_EQ(small.reads, 3);
}

}  // namespace
}  // namespace inquest
