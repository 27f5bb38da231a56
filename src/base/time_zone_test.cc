// TimeZone (base/time.h): numeric offsets in every written form, named zones' rules from the
// tz database, times in a DST gap or fold, the per-thread memo, and many threads at once.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <thread>
#include <vector>

#include "base/time.h"

namespace inquest {
namespace {

// Seconds since the epoch of a civil time taken as UTC, through the C library (independent of
// the code under test).
int64_t Civil(int y, int mo, int d, int h, int mi, int s) {
  struct tm tm = {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm));
}

TimePoint ParseIn(std::string_view s, const TimeZone* zone, ParsedTime* pt) {
  TimeContext ctx;
  ctx.zone = zone;
  if (!ParseTimePrefix(s, ctx, pt)) return kNoTime;
  return pt->time;
}

TEST(TimeZoneTest, OffsetsInEveryWrittenForm) {
  struct Case {
    std::string_view text;
    int64_t seconds;
  } cases[] = {
      {"+0100", 3600},    {"+01:00", 3600},    {"+01", 3600},
      {"UTC+1", 3600},    {"GMT+01:00", 3600}, {"UTC+05:30", 19800},
      {"UTC-3", -10800},  {"-07:00", -25200},  {"-0930", -34200},
      {"GMT-12", -43200}, {"UTC", 0},          {"GMT", 0},
      {"Z", 0},           {"UTC+5:45", 20700}, {"+14:00", 50400},
  };
  for (const Case& c : cases) {
    int64_t off = 1;
    EXPECT_TRUE(ParseUtcOffset(c.text, &off)) << c.text;
    EXPECT_EQ(off, c.seconds) << c.text;
    Result<TimeZone> z = TimeZone::Parse(c.text);
    ASSERT_TRUE(z.ok()) << c.text;
    EXPECT_EQ(z->OffsetForLocal(0), c.seconds) << c.text;
  }
  for (std::string_view bad : {"+1", "+123", "+25:00", "+01:60", "UTC+", "UTCX", "+0100x", ""}) {
    int64_t off = 0;
    EXPECT_FALSE(ParseUtcOffset(bad, &off)) << bad;
  }
}

// Random offsets written in each form after a time, parsed back by the log parsers.
TEST(TimeZoneTest, GeneratedOffsetSuffixesRoundTrip) {
  std::mt19937 rng(20261206);
  const int64_t base = Civil(2026, 5, 29, 14, 11, 8);
  for (int i = 0; i < 2000; ++i) {
    int h = static_cast<int>(rng() % 15), m = static_cast<int>(rng() % 4) * 15;
    bool neg = rng() % 2;
    int64_t off = (neg ? -1 : 1) * (h * 3600 + m * 60);
    char sign = neg ? '-' : '+';
    std::string forms[] = {
        fmt::format("{}{:02}:{:02}", sign, h, m),   fmt::format("{}{:02}{:02}", sign, h, m),
        fmt::format(" UTC{}{}:{:02}", sign, h, m),  fmt::format(" GMT{}{:02}:{:02}", sign, h, m),
        fmt::format("UTC{}{:02}{:02}", sign, h, m),
    };
    for (const std::string& f : forms) {
      std::string line = "2026-05-29T14:11:08" + f + " INFO request done";
      ParsedTime pt;
      ASSERT_EQ(ParseIn(line, nullptr, &pt), (base - off) * kNanosPerSecond) << line;
      EXPECT_FALSE(pt.zone_assumed) << line;
      EXPECT_EQ(line.substr(pt.consumed), " INFO request done") << line;
    }
  }
}

TEST(TimeZoneTest, GapAndFoldAreResolvedAndSaid) {
  Result<TimeZone> paris = TimeZone::Parse("Europe/Paris");
  ASSERT_TRUE(paris.ok()) << paris.status().ToString();
  ParsedTime pt;
  // 2026-03-29: 02:00 CET became 03:00 CEST. 02:30 never happened: read with +01:00.
  EXPECT_EQ(ParseIn("2026-03-29 02:30:00", &*paris, &pt),
            (Civil(2026, 3, 29, 2, 30, 0) - 3600) * kNanosPerSecond);
  EXPECT_EQ(pt.local_kind, LocalTimeKind::kSkipped);
  LocalResolution r = paris->ResolveLocal(Civil(2026, 3, 29, 2, 30, 0));
  EXPECT_EQ(r.offset_s, 3600);
  EXPECT_EQ(r.other_offset_s, 7200);
  // 2026-10-25: 03:00 CEST became 02:00 CET. 02:30 happened twice: the first, +02:00.
  pt = {};
  EXPECT_EQ(ParseIn("2026-10-25 02:30:00", &*paris, &pt),
            (Civil(2026, 10, 25, 2, 30, 0) - 7200) * kNanosPerSecond);
  EXPECT_EQ(pt.local_kind, LocalTimeKind::kRepeated);
  // Either side of both changes: unique.
  for (auto [h, off] : {std::pair{1, 3600}, std::pair{3, 7200}}) {
    pt = {};
    EXPECT_EQ(ParseIn(fmt::format("2026-03-29 0{}:59:59", h), &*paris, &pt),
              (Civil(2026, 3, 29, h, 59, 59) - off) * kNanosPerSecond);
    EXPECT_EQ(pt.local_kind, LocalTimeKind::kUnique);
  }
  // Lord Howe moves its clocks by half an hour: 02:00 -> 02:30 on 2026-10-04.
  Result<TimeZone> lh = TimeZone::Parse("Australia/Lord_Howe");
  ASSERT_TRUE(lh.ok());
  EXPECT_EQ(lh->ResolveLocal(Civil(2026, 10, 4, 2, 10, 0)).kind, LocalTimeKind::kSkipped);
  EXPECT_EQ(lh->ResolveLocal(Civil(2026, 10, 4, 2, 40, 0)).kind, LocalTimeKind::kUnique);
  EXPECT_EQ(lh->ResolveLocal(Civil(2026, 10, 4, 2, 40, 0)).offset_s, 11 * 3600);
}

// The per-thread memo must give what a fresh lookup gives, whatever the order of times: each
// local time, converted, must map back to itself through the zone's offset at that instant.
TEST(TimeZoneTest, MemoAgreesWithTheRulesInAnyOrder) {
  for (std::string_view name : {"Europe/Paris", "America/New_York", "Australia/Lord_Howe",
                                "Asia/Kolkata", "America/Sao_Paulo"}) {
    SCOPED_TRACE(name);
    Result<TimeZone> z = TimeZone::Parse(name);
    ASSERT_TRUE(z.ok());
    std::mt19937_64 rng(7);
    const int64_t from = Civil(1995, 1, 1, 0, 0, 0), to = Civil(2030, 1, 1, 0, 0, 0);
    int64_t t = from;
    for (int i = 0; i < 20000; ++i) {
      // Mostly small steps forward (a log), sometimes a jump anywhere.
      t = rng() % 8 == 0 ? from + static_cast<int64_t>(rng() % (to - from))
                         : t + static_cast<int64_t>(rng() % 7200);
      LocalResolution r = z->ResolveLocal(t);
      if (r.kind != LocalTimeKind::kUnique) continue;
      EXPECT_EQ(z->OffsetAtUtc(t - r.offset_s), r.offset_s) << t;
    }
  }
}

// Many threads converting in different zones at once get the single-threaded answers (the
// former setenv("TZ") implementation could not promise this).
TEST(TimeZoneTest, ThreadsDoNotDisturbEachOther) {
  std::vector<TimeZone> zones;
  for (std::string_view n :
       {"Europe/Paris", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"})
    zones.push_back(*TimeZone::Parse(n));
  std::vector<int64_t> locals;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 4000; ++i) locals.push_back(Civil(2020, 1, 1, 0, 0, 0) + rng() % 300000000);
  std::vector<std::vector<int64_t>> expect(zones.size());
  for (size_t z = 0; z < zones.size(); ++z)
    for (int64_t l : locals) expect[z].push_back(zones[z].OffsetForLocal(l));
  std::vector<std::vector<int64_t>> got(zones.size() * 2);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < got.size(); ++k) {
    threads.emplace_back([&, k] {
      const TimeZone& z = zones[k % zones.size()];
      for (int64_t l : locals) got[k].push_back(z.OffsetForLocal(l));
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t k = 0; k < got.size(); ++k) EXPECT_EQ(got[k], expect[k % zones.size()]) << k;
}

TEST(TimeZoneTest, NamesFromTheTableAndErrors) {
  Result<TimeZone> win = TimeZone::Parse("W. Europe Standard Time");
  ASSERT_TRUE(win.ok());
  EXPECT_EQ(win->name(), "Europe/Berlin");
  EXPECT_EQ(win->OffsetForLocal(Civil(2026, 7, 1, 12, 0, 0)), 7200);
  Result<TimeZone> ist = TimeZone::Parse("IST");
  ASSERT_TRUE(ist.ok());
  EXPECT_EQ(ist->OffsetForLocal(0), 19800);
  EXPECT_NE(ist->note().find("IST is ambiguous"), std::string::npos);
  EXPECT_TRUE(TimeZone::Parse("JST")->note().empty());
  for (std::string_view bad : {"Mars/Olympus", "../../etc/passwd", "/etc/localtime", "XYZT"}) {
    Result<TimeZone> z = TimeZone::Parse(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_NE(z.status().message().find(std::string(bad)), std::string::npos);
  }
  EXPECT_TRUE(TimeZone::Parse("utc")->is_utc());
  EXPECT_TRUE(TimeZone::Parse("Etc/UTC")->is_utc());
}

}  // namespace
}  // namespace inquest
