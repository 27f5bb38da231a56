// The zone table: the built-in rows are valid against this system's tz database, names are
// found regardless of case and spacing, ambiguous names keep their documented default first,
// and a user's [zones] rows extend and override it.
#include "base/zone_table.h"

#include <gtest/gtest.h>

#include "base/time.h"

namespace inquest {
namespace {

TEST(ZoneTableTest, EveryBuiltInTargetIsValid) {
  const ZoneTable& t = ZoneTable::Builtin();
  EXPECT_GT(t.size(), 200u);
  size_t windows = 0, abbreviations = 0;
  for (const ZoneEntry& e : t.entries()) {
    ASSERT_FALSE(e.candidates.empty()) << e.name;
    for (const ZoneCandidate& c : e.candidates) {
      EXPECT_TRUE(ValidZoneTarget(c.target)) << e.name << " -> " << c.target;
      if (e.windows) {
        // A Windows name stands for a zone with rules, never a bare offset.
        int64_t off = 0;
        EXPECT_FALSE(ParseUtcOffset(c.target, &off)) << e.name;
      }
    }
    (e.windows ? windows : abbreviations)++;
  }
  EXPECT_GT(windows, 130u);
  EXPECT_GT(abbreviations, 70u);
}

TEST(ZoneTableTest, AmbiguousNamesKeepTheirDocumentedDefaultFirst) {
  const ZoneTable& t = ZoneTable::Builtin();
  struct Case {
    std::string_view name, default_target, default_meaning;
    size_t meanings;
  } cases[] = {
      {"IST", "+05:30", "India Standard Time", 3},
      {"CST", "-06:00", "Central Standard Time (North America)", 3},
      {"BST", "+01:00", "British Summer Time", 3},
      {"AST", "-04:00", "Atlantic Standard Time", 2},
      {"PST", "-08:00", "Pacific Standard Time (North America)", 2},
  };
  for (const Case& c : cases) {
    const ZoneEntry* e = t.Find(c.name);
    ASSERT_NE(e, nullptr) << c.name;
    EXPECT_TRUE(e->ambiguous());
    EXPECT_EQ(e->candidates.size(), c.meanings) << c.name;
    EXPECT_EQ(e->candidates[0].target, c.default_target) << c.name;
    EXPECT_EQ(e->candidates[0].meaning, c.default_meaning) << c.name;
  }
  for (std::string_view plain : {"CET", "CEST", "JST", "AEST", "MSK", "EST", "EDT", "UTC"}) {
    const ZoneEntry* e = t.Find(plain);
    ASSERT_NE(e, nullptr) << plain;
    EXPECT_FALSE(e->ambiguous()) << plain;
  }
}

TEST(ZoneTableTest, FindIgnoresCaseAndSpacing) {
  const ZoneTable& t = ZoneTable::Builtin();
  const ZoneEntry* e = t.Find("  pacific   STANDARD time ");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->windows);
  EXPECT_EQ(e->candidates[0].target, "America/Los_Angeles");
  EXPECT_EQ(t.Find("cest")->candidates[0].target, "+02:00");
  EXPECT_EQ(t.Find("Pacific Standard Time (Mexico)")->candidates[0].target, "America/Tijuana");
  EXPECT_EQ(t.Find("Nowhere Standard Time"), nullptr);
}

TEST(ZoneTableTest, BadRowsNameTheirLine) {
  Result<ZoneTable> t = ZoneTable::FromText("abbr AAA +01:00 A\n\nabbr BBB Europe/Paris B\n", "z");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("z line 3"), std::string::npos) << t.status().ToString();
  t = ZoneTable::FromText("# comment\nzone X +01:00\n", "z");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("z line 2"), std::string::npos);
  t = ZoneTable::FromText("windows Europe/Paris A B\nwindows Europe/Berlin a  b\n", "z");
  ASSERT_FALSE(t.ok());  // the same name twice, once in other case and spacing
  t = ZoneTable::FromText("abbr X +01:00 One\nabbr X +02:00 Two # a second meaning\n", "z");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Find("x")->ambiguous());
  EXPECT_EQ(t->Find("x")->candidates[1].meaning, "Two");
}

TEST(ZoneTableTest, UserRowsExtendAndOverride) {
  ZoneTable t = ZoneTable::Builtin();
  toml::table cfg = toml::parse(
      "[zones]\n"
      "HKT2 = \"+08:00\"\n"
      "IST = \"Asia/Jerusalem\"\n"
      "\"Contoso Standard Time\" = \"Europe/Paris\"\n");
  ASSERT_TRUE(t.AddFromConfig(cfg, "inquest.toml").ok());
  EXPECT_EQ(t.Find("hkt2")->candidates[0].target, "+08:00");
  const ZoneEntry* ist = t.Find("IST");
  EXPECT_FALSE(ist->ambiguous());
  EXPECT_TRUE(ist->user);
  EXPECT_EQ(ist->candidates[0].target, "Asia/Jerusalem");
  EXPECT_TRUE(t.Find("contoso standard time")->windows);
  // The built-in table is untouched.
  EXPECT_TRUE(ZoneTable::Builtin().Find("IST")->ambiguous());

  for (std::string_view bad :
       {"[zones]\nX = \"Mars/Olympus\"\n", "[zones]\nX = 3\n", "zones = 1\n"}) {
    ZoneTable u;
    Status s = u.AddFromConfig(toml::parse(bad), "inquest.toml");
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("inquest.toml"), std::string::npos);
  }
  ZoneTable none;
  EXPECT_TRUE(none.AddFromConfig(toml::table{}, "inquest.toml").ok());
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

// [zones] reaches every reading of a zone name once a command activates it: "IST" as Israel.
TEST(ZoneTableTest, ActiveTableIsWhatNamesAreReadWith) {
  Result<TimeZone> before = TimeZone::Parse("IST");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->OffsetAtUtc(1704189600), 5 * 3600 + 1800);  // India, the default
  ASSERT_TRUE(ZoneTable::ActivateWithConfig(toml::parse("[zones]\nIST = \"Asia/Jerusalem\"\n"),
                                            "inquest.toml")
                  .ok());
  Result<TimeZone> after = TimeZone::Parse("IST");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->OffsetAtUtc(1704189600), 2 * 3600);  // January: Israel Standard Time
  EXPECT_TRUE(after->note().empty());                   // the user chose: nothing ambiguous
  ZoneTable::SetActive(ZoneTable::Builtin());
  EXPECT_EQ(TimeZone::Parse("IST")->OffsetAtUtc(1704189600), 5 * 3600 + 1800);
}

}  // namespace
}  // namespace inquest
