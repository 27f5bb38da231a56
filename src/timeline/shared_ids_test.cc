#include "timeline/shared_ids.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>

namespace inquest {
namespace {

// A caller's file with request ids, a callee's file with the same ids under a key named like
// nothing, and a third file whose attributes are not ids: only the callee's key is promoted.
TEST(SharedIdsTest, PromotesTheKeyWhoseValuesAreOtherFilesIds) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::deque<std::string> text;
    auto keep = [&](std::string s) -> std::string_view { return text.emplace_back(std::move(s)); };
    std::vector<Event> caller, callee, other;
    size_t shared = 0;
    for (int r = 0; r < 60; ++r) {
      std::string id = "req-" + std::to_string(rng() % 1000000);
      Event c;
      c.request_id = keep(id);
      caller.push_back(c);
      if (rng() % 5 == 0) continue;  // some requests never reach the callee
      Event e;
      e.attrs.push_back({"status", keep(std::to_string(200 + 100 * (rng() % 3)))});
      e.attrs.push_back({"ctx_id", keep(id)});
      callee.push_back(e);
      ++shared;
      Event o;
      o.attrs.push_back({"job", keep("job-" + std::to_string(r))});
      other.push_back(o);
    }
    std::vector<std::vector<Event>*> files = {&caller, &callee, &other};
    std::vector<PromotedIdKey> p = PromoteSharedIdKeys(files);
    ASSERT_EQ(p.size(), 1u) << "seed " << seed;
    EXPECT_EQ(p[0].file, 1u);
    EXPECT_EQ(p[0].key, "ctx_id");
    EXPECT_EQ(p[0].promoted, shared);
    for (const Event& e : callee) EXPECT_EQ(e.request_id, e.Attribute("ctx_id"));
    for (const Event& e : other) EXPECT_TRUE(e.request_id.empty());
  }
}

// A caller that calls the file with ids for only a third of its requests: its id key is still
// found; a key of ids of another kind (users) that never match is not.
TEST(SharedIdsTest, ACallerThatCallsForSomeRequestsOnly) {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    std::mt19937 rng(seed);
    std::deque<std::string> text;
    auto keep = [&](std::string s) -> std::string_view { return text.emplace_back(std::move(s)); };
    std::vector<Event> caller, callee;
    for (int r = 0; r < 300; ++r) {
      std::string id = fmt::format("{:012x}", rng() % 0xffffffffffULL);
      Event e;
      e.attrs.push_back({"user", keep(fmt::format("u{:08x}", rng()))});
      e.attrs.push_back({"ctx_id", keep(id)});
      caller.push_back(e);
      if (rng() % 3 != 0) continue;  // two requests in three never call the callee
      Event c;
      c.request_id = keep(id);
      callee.push_back(c);
    }
    std::vector<std::vector<Event>*> files = {&caller, &callee};
    std::vector<PromotedIdKey> p = PromoteSharedIdKeys(files);
    ASSERT_EQ(p.size(), 1u) << "seed " << seed;
    EXPECT_EQ(p[0].key, "ctx_id");
    EXPECT_GT(p[0].share, kSharedIdShare);
    EXPECT_LT(p[0].share, 0.5);
    EXPECT_EQ(p[0].promoted, caller.size());
  }
}

TEST(SharedIdsTest, FilesWithIdsAreLeftAlone) {
  std::vector<Event> a(10), b(10);
  std::deque<std::string> text;
  for (int i = 0; i < 10; ++i) {
    a[i].request_id = text.emplace_back("r" + std::to_string(i));
    b[i].request_id = text.emplace_back("s" + std::to_string(i));
    b[i].attrs.push_back({"parent", a[i].request_id});
  }
  std::vector<std::vector<Event>*> files = {&a, &b};
  EXPECT_TRUE(PromoteSharedIdKeys(files).empty());
  EXPECT_EQ(b[0].request_id, "s0");
}

}  // namespace
}  // namespace inquest
