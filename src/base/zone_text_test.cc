// Reading zones as written: offsets, IANA names, abbreviations and Windows names, and the
// choice among an ambiguous abbreviation's meanings.
#include "base/zone_text.h"

#include <gtest/gtest.h>

#include <ctime>

namespace inquest {
namespace {

int64_t CivilUtc(int y, int mo, int d, int h, int mi, int s) {
  struct tm tm = {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm));
}

// The offset `text` gives a wall-clock time, with `assumed` as --assume-tz.
int64_t OffsetOf(std::string_view text, int64_t local, const TimeZone* assumed = nullptr,
                 ZoneReading* out = nullptr) {
  Result<ZoneReading> z = ReadZoneText(text, ZoneTable::Builtin(), assumed, local);
  EXPECT_TRUE(z.ok()) << text << ": " << z.status().ToString();
  if (!z.ok()) return -1;
  if (out) *out = *z;
  return z->zone.ResolveLocal(local).offset_s;
}

TEST(ZoneTextTest, WindowsNamesFollowTheirZonesRules) {
  int64_t jan = CivilUtc(2026, 1, 15, 12, 0, 0), jul = CivilUtc(2026, 7, 15, 12, 0, 0);
  EXPECT_EQ(OffsetOf("Pacific Standard Time", jan), -8 * 3600);
  EXPECT_EQ(OffsetOf("Pacific Standard Time", jul), -7 * 3600);
  // Windows writes the daylight name in summer; it means the same zone.
  EXPECT_EQ(OffsetOf("Pacific Daylight Time", jul), -7 * 3600);
  EXPECT_EQ(OffsetOf("W. Europe Standard Time", jan), 3600);
  EXPECT_EQ(OffsetOf("W. Australia Standard Time", jul), 8 * 3600);
  EXPECT_EQ(OffsetOf("AUS Eastern Standard Time", jan), 11 * 3600);  // Sydney, summer
  EXPECT_EQ(OffsetOf("India Standard Time", jan), 19800);
  EXPECT_EQ(OffsetOf("Nepal Standard Time", jan), 20700);
  ZoneReading r;
  OffsetOf("Romance Standard Time", jan, nullptr, &r);
  EXPECT_EQ(r.zone.name(), "Europe/Paris");
  EXPECT_FALSE(r.ambiguous);
}

TEST(ZoneTextTest, AbbreviationsAreFixedOffsets) {
  int64_t jul = CivilUtc(2026, 7, 15, 12, 0, 0);
  // CET written in July still means +01:00: the abbreviation says standard time.
  EXPECT_EQ(OffsetOf("CET", jul), 3600);
  EXPECT_EQ(OffsetOf("CEST", jul), 7200);
  EXPECT_EQ(OffsetOf("EDT", jul), -4 * 3600);
  EXPECT_EQ(OffsetOf("AEST", jul), 10 * 3600);
  EXPECT_EQ(OffsetOf("MSK", jul), 3 * 3600);
  EXPECT_EQ(OffsetOf("NST", jul), -(3 * 3600 + 1800));
  EXPECT_EQ(OffsetOf("GMT", jul), 0);
  ZoneReading r;
  OffsetOf("JST", jul, nullptr, &r);
  EXPECT_EQ(r.description, "JST = UTC+09:00 (Japan Standard Time)");
}

TEST(ZoneTextTest, AmbiguousAbbreviationsTakeTheDefaultOrFollowAssumeTz) {
  int64_t jul = CivilUtc(2026, 7, 15, 12, 0, 0), jan = CivilUtc(2026, 1, 15, 12, 0, 0);
  ZoneReading r;
  EXPECT_EQ(OffsetOf("IST", jul, nullptr, &r), 19800);
  EXPECT_TRUE(r.ambiguous);
  EXPECT_NE(r.note.find("documented default"), std::string::npos) << r.note;
  EXPECT_NE(r.note.find("Irish Standard Time"), std::string::npos) << r.note;
  EXPECT_NE(r.note.find("Israel Standard Time"), std::string::npos) << r.note;

  TimeZone dublin = *TimeZone::Parse("Europe/Dublin");
  TimeZone jerusalem = *TimeZone::Parse("Asia/Jerusalem");
  TimeZone shanghai = *TimeZone::Parse("Asia/Shanghai");
  TimeZone havana = *TimeZone::Parse("America/Havana");
  // Dublin is +01:00 in July (its summer time is called IST).
  EXPECT_EQ(OffsetOf("IST", jul, &dublin, &r), 3600);
  EXPECT_NE(r.note.find("matches --assume-tz Europe/Dublin"), std::string::npos) << r.note;
  // In January Dublin is +00:00: no meaning of IST matches, the default stands.
  EXPECT_EQ(OffsetOf("IST", jan, &dublin, &r), 19800);
  EXPECT_NE(r.note.find("documented default"), std::string::npos);
  EXPECT_EQ(OffsetOf("IST", jan, &jerusalem), 7200);
  EXPECT_EQ(OffsetOf("CST", jan, &shanghai), 8 * 3600);
  EXPECT_EQ(OffsetOf("CST", jan, &havana), -5 * 3600);
  EXPECT_EQ(OffsetOf("CST", jan), -6 * 3600);
  // An unambiguous name ignores --assume-tz.
  EXPECT_EQ(OffsetOf("JST", jan, &havana, &r), 9 * 3600);
  EXPECT_FALSE(r.ambiguous);
}

TEST(ZoneTextTest, OffsetsAndIanaNames) {
  int64_t jan = CivilUtc(2026, 1, 15, 12, 0, 0);
  EXPECT_EQ(OffsetOf("+08", jan), 8 * 3600);
  EXPECT_EQ(OffsetOf("UTC+05:30", jan), 19800);
  EXPECT_EQ(OffsetOf("GMT-3", jan), -3 * 3600);
  EXPECT_EQ(OffsetOf("America/Argentina/Buenos_Aires", jan), -3 * 3600);
  EXPECT_EQ(OffsetOf(" Asia/Kathmandu ", jan), 20700);
  Result<ZoneReading> z = ReadZoneText("Nowhere Standard Time", ZoneTable::Builtin(), nullptr, 0);
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.status().message().find("Nowhere Standard Time"), std::string::npos);
  EXPECT_FALSE(ReadZoneText("", ZoneTable::Builtin(), nullptr, 0).ok());
}

}  // namespace
}  // namespace inquest
