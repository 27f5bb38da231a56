// Store settings: flag over environment over inquest.toml, and clear errors for bad values.
#include "store/settings.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <limits>

namespace inquest::store {
namespace {

TEST(StoreSettingsTest, FlagBeatsEnvironmentBeatsConfig) {
  Result<Config> cfg =
      ParseConfig("[store]\nurl = \"postgresql://team@db/incidents\"\ndecay_days = 7\nlast_n = 5\n",
                  "inquest.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  unsetenv("INQUEST_DB");
  Result<StoreSettings> s = ResolveStoreSettings(*cfg, "");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->spec, "postgresql://team@db/incidents");
  EXPECT_EQ(s->decay_days, 7);
  EXPECT_EQ(s->last_n, 5);
  setenv("INQUEST_DB", "/srv/env.db", 1);
  EXPECT_EQ(ResolveStoreSettings(*cfg, "")->spec, "/srv/env.db");
  EXPECT_EQ(ResolveStoreSettings(*cfg, "/tmp/flag.db")->spec, "/tmp/flag.db");
  unsetenv("INQUEST_DB");
  EXPECT_EQ(ResolveStoreSettings(Config{}, "")->spec, "");  // the default file
  EXPECT_EQ(ResolveStoreSettings(Config{}, "")->decay_days, kDefaultDecayDays);
}

TEST(StoreSettingsTest, BadValuesNameTheKeyAndFile) {
  for (const char* text :
       {"[store]\nurl = 3\n", "[store]\ndecay_days = 0\n", "[store]\nlast_n = \"ten\"\n"}) {
    Result<Config> cfg = ParseConfig(text, "team.toml");
    ASSERT_TRUE(cfg.ok());
    cfg->path = "team.toml";
    Result<StoreSettings> s = ResolveStoreSettings(*cfg, "");
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.status().message().find("team.toml: [store]"), std::string::npos)
        << s.status().message();
  }
}

TEST(ElapsedTest, SaturatesInsteadOfOverflowing) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Elapsed(10, 25), 15);
  EXPECT_EQ(Elapsed(kMin + 1, kMax), kMax);
  EXPECT_EQ(Elapsed(kMax, kMin + 1), kMin);
  ActionItem far;
  far.due = kMax - 5;
  EXPECT_FALSE(IsOverdue(far, kMax));
  far.due = kMin + 5;
  EXPECT_TRUE(IsOverdue(far, kMax));
}

}  // namespace
}  // namespace inquest::store
