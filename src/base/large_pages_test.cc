#include "base/large_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace inquest {
namespace {

TEST(LargePagesTest, LargeBlocksAreAlignedToAHugePageAndWholeUsable) {
  const size_t bytes = 3 * kLargePageBytes + 123;
  void* p = AllocateLarge(bytes);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kLargePageBytes, 0u);
  std::memset(p, 0xab, bytes);  // every byte is ours (ASan checks the small path)
  EXPECT_EQ(static_cast<unsigned char*>(p)[bytes - 1], 0xab);
  FreeLarge(p, bytes);
}

TEST(LargePagesTest, SmallBlocksAndContainersWork) {
  void* p = AllocateLarge(100);
  std::memset(p, 1, 100);
  FreeLarge(p, 100);
  FreeLarge(nullptr, 100);
  std::vector<uint64_t, LargePageAllocator<uint64_t>> v;
  for (uint64_t i = 0; i < 1'000'000; ++i) v.push_back(i);  // grows through both paths
  uint64_t sum = 0;
  for (uint64_t x : v) sum += x;
  EXPECT_EQ(sum, 999'999ull * 1'000'000 / 2);
}

}  // namespace
}  // namespace inquest
