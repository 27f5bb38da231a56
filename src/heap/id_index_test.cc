#include "heap/id_index.h"

#include <gtest/gtest.h>

#include <random>

namespace inquest::heap {
namespace {

// Every id found at its rank, every other value (between, below, above, misaligned) not.
void CheckAll(const std::vector<uint64_t>& ids) {
  IdIndex index;
  index.Build(ids);
  ASSERT_EQ(index.size(), ids.size());
  for (uint32_t r = 0; r < ids.size(); ++r) {
    EXPECT_EQ(index.At(r), ids[r]);
    EXPECT_EQ(index.Find(ids[r]), r);
    if (r + 1 < ids.size() && ids[r] + 1 < ids[r + 1])
      EXPECT_EQ(index.Find(ids[r] + 1), 0xFFFFFFFFu);
  }
  if (!ids.empty()) {
    if (ids.front() > 0) EXPECT_EQ(index.Find(ids.front() - 1), 0xFFFFFFFFu);
    EXPECT_EQ(index.Find(ids.back() + 8), 0xFFFFFFFFu);
    EXPECT_EQ(index.Find(~uint64_t{0}), 0xFFFFFFFFu);
  }
}

TEST(IdIndexTest, AddressesOfAHeapFitFourBytesEach) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> ids;
  uint64_t at = 0x7f0000000000;
  for (int k = 0; k < 100000; ++k) ids.push_back(at += 8 * (1 + rng() % 40));
  CheckAll(ids);
  IdIndex index;
  index.Build(ids);
  EXPECT_LT(index.bytes(), ids.size() * 5) << "4 bytes an id and a small table";
}

TEST(IdIndexTest, SpansPast32GbKeepEightBytes) {
  std::vector<uint64_t> ids = {0x1000, 0x2000, uint64_t{1} << 40, (uint64_t{1} << 40) + 8,
                               uint64_t{1} << 50};
  CheckAll(ids);
  IdIndex index;
  index.Build(ids);
  EXPECT_GE(index.bytes(), ids.size() * 8);
}

TEST(IdIndexTest, EmptyAndSingle) {
  CheckAll({});
  CheckAll({0x42});
  CheckAll({0, 3, 5});  // odd spacing: no common alignment beyond 1
}

}  // namespace
}  // namespace inquest::heap
