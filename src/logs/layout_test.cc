// Layout inference on layouts made up by a seeded generator (date orders, separators, month
// names, zones, epochs, bracketed levels, host/pid/component columns, the time not at the
// start), the epoch-plus-local-time case, the user-format round trip and bad input.
#include "logs/layout.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "base/config.h"
#include "base/input_file.h"
#include "logs/log_file.h"
#include "logs/registry.h"
#include "logs/user_format.h"

namespace inquest {
namespace {

constexpr const char* kMonthsFull[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kLevels[] = {"INFO",    "WARN",  "ERROR", "DEBUG", "info",
                                   "warning", "Error", "FATAL", "notice"};
constexpr const char* kLetters[] = {"I", "W", "E", "D", "F"};
constexpr const char* kHosts[] = {"web-1", "db02", "cache.prod", "edge7"};
constexpr const char* kComponents[] = {"app.server.Handler:", "[main]",
                                       "auth.tokens",         "scheduler:",
                                       "[pool-2-thread-1]",   "net.Conn$Reader:"};
// Components as delimited layouts write them: plain words, the delimiters mark the column.
constexpr const char* kPlainComponents[] = {"handler",   "main",   "auth.tokens",
                                            "scheduler", "pool-2", "OrderService"};
constexpr const char* kWords[] = {"request", "failed",  "connection", "reset", "user", "ok",
                                  "retry",   "timeout", "cache",      "miss",  "42",   "/v1/items"};

struct Civil {
  int y, mo, d, h, mi, s;
  int64_t ns;
};

Civil ToCivil(TimePoint t) {
  int64_t secs = t / kNanosPerSecond;
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  // Inverse of DaysFromCivil by search over the years the generator uses.
  int y = 2000;
  while (DaysFromCivil(y + 1, 1, 1) <= days) ++y;
  int mo = 1;
  while (mo < 12 && DaysFromCivil(y, mo + 1, 1) <= days) ++mo;
  int d = static_cast<int>(days - DaysFromCivil(y, mo, 1)) + 1;
  return {y,
          mo,
          d,
          static_cast<int>(rem / 3600),
          static_cast<int>(rem % 3600 / 60),
          static_cast<int>(rem % 60),
          t % kNanosPerSecond};
}

// One made-up layout: how to write a time and the columns around it.
struct Layout {
  int order = 0;  // 0 Y-M-D, 1 D-M-Y, 2 M-D-Y, 3 D Mon Y, 4 Mon D Y, 5 Mon D (no year),
                  // 6 weekday Mon D clock Y, 7 compact YYYYMMDD, 8 epoch
  std::string date_sep = "-";
  std::string clock_sep = " ";
  bool year2 = false;
  bool full_month = false;
  int frac_digits = 0;
  char frac_sep = '.';
  int zone = 0;  // 0 none, 1 Z, 2 +hh:mm, 3 -hhmm, 4 " UTC"
  int zone_offset_min = 0;
  int epoch_digits = 10;
  bool bracket_time = false;
  bool host_first = false;  // host before the time
  bool host_after = false;  // host after the time, before a component
  int pid = 0;              // 0 none, 1 "1234", 2 "[1234]", 3 "pid=1234"
  int level = 0;  // 0 bare word, 1 [word], 2 word:, 3 one letter, 4 <word>, 5 glued (I0305 ..)
  bool component = false;
  size_t component_kind = 0;
  std::string delimiter;  // "" whitespace columns, else "|", " | ", ";" between columns
};

Layout RandomLayout(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Layout l;
  l.order = pick(9);
  const char* seps[] = {"-", "/", ".", " "};
  l.date_sep = seps[pick(4)];
  if (l.order <= 2 && l.date_sep == " ") l.date_sep = "/";
  const char* clock_seps[] = {" ", "T", "_", "  "};
  l.clock_sep = clock_seps[pick(4)];
  if (l.order >= 3 && l.clock_sep != " ") l.clock_sep = " ";
  l.year2 = l.order <= 2 && pick(3) == 0;
  l.full_month = pick(2) == 0;
  l.frac_digits = std::vector<int>{0, 3, 6, 9}[static_cast<size_t>(pick(4))];
  l.frac_sep = pick(2) ? '.' : ',';
  l.zone = pick(5);
  if (l.order == 6) l.zone = 0;
  l.zone_offset_min = (pick(27) - 12) * 60 + (pick(4) == 0 ? 30 : 0);
  l.epoch_digits = std::vector<int>{10, 13, 16, 19}[static_cast<size_t>(pick(4))];
  l.bracket_time = pick(4) == 0;
  l.host_first = pick(4) == 0;
  l.host_after = !l.host_first && pick(3) == 0;
  l.pid = pick(4);
  l.level = pick(6);
  l.component = l.host_after || pick(2) == 0;
  l.component_kind = static_cast<size_t>(pick(6));
  const char* delimiters[] = {"", "", "|", " | ", ";"};
  l.delimiter = delimiters[pick(5)];
  return l;
}

std::string WriteTime(const Layout& l, TimePoint t, std::mt19937& rng) {
  if (l.order == 8) {
    int64_t div = l.epoch_digits == 10   ? kNanosPerSecond
                  : l.epoch_digits == 13 ? kNanosPerMilli
                  : l.epoch_digits == 16 ? 1000
                                         : 1;
    return std::to_string(t / div);
  }
  int64_t off_s = l.zone == 2 || l.zone == 3 ? l.zone_offset_min * 60 : 0;
  Civil c = ToCivil(t + off_s * kNanosPerSecond);
  std::string y = l.year2 ? fmt::format("{:02}", c.y % 100) : std::to_string(c.y);
  std::string mon = l.full_month ? kMonthsFull[c.mo - 1] : std::string(kMonthsFull[c.mo - 1], 3);
  std::string mo = fmt::format("{:02}", c.mo), d = fmt::format("{:02}", c.d);
  std::string clock = fmt::format("{:02}:{:02}:{:02}", c.h, c.mi, c.s);
  if (l.frac_digits) {
    int64_t f = c.ns;
    for (int k = l.frac_digits; k < 9; ++k) f /= 10;
    clock += fmt::format("{}{:0{}}", l.frac_sep, f, l.frac_digits);
  }
  const std::string& s = l.date_sep;
  std::string date;
  switch (l.order) {
    case 0:
      date = y + s + mo + s + d;
      break;
    case 1:
      date = d + s + mo + s + y;
      break;
    case 2:
      date = mo + s + d + s + y;
      break;
    case 3:
      date = d + (s == "." ? "-" : s) + mon + (s == "." ? "-" : s) + y;
      break;
    case 4:
      date = mon + " " + d + ", " + y;
      break;
    case 5:
      date = mon + " " + (c.d < 10 ? " " + std::to_string(c.d) : d);
      break;
    case 6: {
      int64_t days = DaysFromCivil(c.y, c.mo, c.d);
      return fmt::format("{} {} {} {} {}", kDays[(days % 7 + 11) % 7], mon, d, clock, c.y);
    }
    case 7:
      date = std::to_string(c.y) + mo + d;
      break;
  }
  (void)rng;
  std::string out = date + l.clock_sep + clock;
  switch (l.zone) {
    case 1:
      out += "Z";
      break;
    case 2:
      out += fmt::format("{}{:02}:{:02}", l.zone_offset_min < 0 ? '-' : '+',
                         std::abs(l.zone_offset_min) / 60, std::abs(l.zone_offset_min) % 60);
      break;
    case 3:
      out += fmt::format(" {}{:02}{:02}", l.zone_offset_min < 0 ? '-' : '+',
                         std::abs(l.zone_offset_min) / 60, std::abs(l.zone_offset_min) % 60);
      break;
    case 4:
      out += " UTC";
      break;
  }
  return out;
}

struct Truth {
  TimePoint time;
  Level level;
  std::string host;
};

// A file of `n` lines in layout `l`, with what each line holds.
std::string WriteFile(const Layout& l, int n, int year, std::mt19937& rng,
                      std::vector<Truth>* truth) {
  // Sixty days from a random day of `year`: days above 12 settle the date order.
  TimePoint t = (DaysFromCivil(year, 1, 1) + rng() % 300) * 86400 * kNanosPerSecond;
  int64_t step = 60LL * 86400 * kNanosPerSecond / n;
  std::string out;
  for (int i = 0; i < n; ++i) {
    uint64_t r = (static_cast<uint64_t>(rng()) << 32) | rng();
    t += static_cast<int64_t>(r % static_cast<uint64_t>(step));
    if (l.order != 8 || l.epoch_digits == 10) {
      // Keep only what the layout writes.
      int64_t keep = l.order == 8 ? kNanosPerSecond : kNanosPerSecond;
      int64_t frac = t % keep;
      if (l.order == 8) {
        frac = 0;
      } else {
        int64_t unit = 1;
        for (int k = l.frac_digits; k < 9; ++k) unit *= 10;
        frac = frac / unit * unit;
      }
      t = t / keep * keep + frac;
    } else if (l.epoch_digits == 13) {
      t = t / kNanosPerMilli * kNanosPerMilli;
    } else if (l.epoch_digits == 16) {
      t = t / 1000 * 1000;
    }
    std::string time = WriteTime(l, t, rng);
    bool glued = l.level == 5 && !l.bracket_time && time[0] >= '0' && time[0] <= '9';
    std::string lv = l.level == 3 || l.level == 5 ? kLetters[rng() % 5] : kLevels[rng() % 9];
    std::string host = kHosts[rng() % 4];
    // The columns, joined by spaces or by the delimiter; the message is the last part.
    std::vector<std::string> parts;
    const char* const* comps = l.delimiter.empty() ? kComponents : kPlainComponents;
    if (l.host_first) parts.push_back(host);
    parts.push_back(l.bracket_time ? "[" + time + "]" : (glued ? lv : "") + time);
    if (l.host_after) parts.push_back(host);
    if (l.pid == 1) parts.push_back(fmt::format("{}", 100 + rng() % 30000));
    if (l.pid == 2) parts.push_back(fmt::format("[{}]", 100 + rng() % 30000));
    if (l.pid == 3) parts.push_back(fmt::format("pid={}", 100 + rng() % 30000));
    if (l.host_after && l.component) parts.push_back(comps[l.component_kind]);
    switch (l.level) {
      case 1:
        parts.push_back("[" + lv + "]");
        break;
      case 2:
        parts.push_back(lv + ":");
        break;
      case 4:
        parts.push_back("<" + lv + ">");
        break;
      case 5:
        if (!glued) parts.push_back(lv);
        break;
      default:
        parts.push_back(lv);
    }
    if (!l.host_after && l.component) parts.push_back(comps[l.component_kind]);
    std::string message;
    int words = 2 + static_cast<int>(rng() % 8);
    for (int w = 0; w < words; ++w) message += std::string(w ? " " : "") + kWords[rng() % 12];
    parts.push_back(message);
    std::string line;
    for (size_t k = 0; k < parts.size(); ++k)
      line += (k ? (l.delimiter.empty() ? " " : l.delimiter) : "") + parts[k];
    out += line + "\n";
    bool has_host = l.host_first || l.host_after;
    truth->push_back({t, ParseLevel(lv), has_host ? host : std::string()});
  }
  return out;
}

std::string Describe(const Layout& l) {
  return fmt::format(
      "order {} date_sep '{}' clock_sep '{}' year2 {} full_month {} frac {} zone {} "
      "epoch {} bracket {} host_first {} host_after {} pid {} level {} component {} "
      "delimiter '{}'",
      l.order, l.date_sep, l.clock_sep, l.year2, l.full_month, l.frac_digits, l.zone,
      l.epoch_digits, l.bracket_time, l.host_first, l.host_after, l.pid, l.level,
      l.component ? kComponents[l.component_kind] : "-", l.delimiter);
}

TEST(LayoutTest, GeneratedLayoutsReadBackTimesLevelsAndHosts) {
  constexpr int kLayouts = 400;
  constexpr int kLines = 60;
  std::mt19937 rng(20261206);
  // The family formats are fast paths for their own layouts (syslog would take "Jul 17 01:16:52
  // +0600 ..." and read the zone as a host); the inference is tested on its own, beside the
  // structured and fallback formats it must win against.
  FormatRegistry registry;
  for (const char* family :
       {"hdfs", "hadoop", "spark", "zookeeper", "openstack", "apache-error", "syslog", "log4j"})
    ASSERT_TRUE(registry.Remove(family)) << family;
  int failures = 0;
  for (int i = 0; i < kLayouts && failures < 5; ++i) {
    Layout l = RandomLayout(rng);
    int year = 2001 + static_cast<int>(rng() % 60);
    std::vector<Truth> truth;
    std::string data = WriteFile(l, kLines, year, rng, &truth);
    LoadOptions opts;
    opts.year = year;  // the year a year-less layout needs, and the hint for 2-digit years
    Result<std::unique_ptr<LogFile>> f =
        LoadLogFile(InputFile::FromString(data, fmt::format("gen{}.log", i)), 0, registry, opts);
    if (!f.ok()) {
      ADD_FAILURE() << Describe(l) << ": " << f.status().ToString() << "\n" << data.substr(0, 300);
      ++failures;
      continue;
    }
    const LogFile& lf = **f;
    if (lf.events.size() != truth.size() || lf.stats.malformed != 0) {
      ADD_FAILURE() << Describe(l) << ": " << lf.events.size() << " records, " << lf.stats.malformed
                    << " malformed with " << lf.format->name() << "\n"
                    << data.substr(0, 300);
      ++failures;
      continue;
    }
    for (size_t k = 0; k < truth.size(); ++k) {
      const Event& e = lf.events[k];
      bool host_ok = truth[k].host.empty() || e.host == truth[k].host;
      if (e.time != truth[k].time || e.level != truth[k].level || !host_ok) {
        ADD_FAILURE() << Describe(l) << " (format " << lf.format->name() << ", "
                      << lf.format->description() << ")\nline " << e.line << ": " << e.raw
                      << "\n time " << FormatTime(e.time) << " want " << FormatTime(truth[k].time)
                      << ", level " << LevelName(e.level) << " want " << LevelName(truth[k].level)
                      << ", host '" << e.host << "' want '" << truth[k].host << "'";
        ++failures;
        break;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

std::vector<std::string_view> Lines(const std::string& s) { return HeadLines(s, kProbeLines); }

TEST(LayoutTest, EpochBesideLocalTimeGivesTheOffset) {
  // The epoch is UTC; the written time is two hours ahead (a +02:00 zone the line never names).
  std::string data;
  for (int i = 0; i < 20; ++i) {
    int64_t epoch_ms = 1717000000000 + i * 61357;
    int64_t local_s = epoch_ms / 1000 + 2 * 3600;
    std::string local = FormatTime(local_s * kNanosPerSecond, 0);  // "...T..Z"
    local = local.substr(0, 10) + " " + local.substr(11, 8);
    data += fmt::format("{} {} {} worker: step {}\n", epoch_ms, local, i % 3 ? "INFO" : "WARN", i);
  }
  std::string copy = data;
  Result<InferredLayout> l = InferLayout(Lines(copy), {});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_TRUE(l->implied_offset_s.has_value()) << l->Describe();
  EXPECT_EQ(*l->implied_offset_s, 7200);
  EXPECT_TRUE(l->time.is_epoch());
  FormatRegistry registry;
  auto f = LoadLogFile(InputFile::FromString(data, "e.log"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ((*f)->events.size(), 20u);
  EXPECT_EQ((*f)->events[1].time, (1717000000000 + 61357) * kNanosPerMilli);
  EXPECT_EQ((*f)->events[0].level, Level::kWarn);
  EXPECT_EQ((*f)->events[0].Attribute("component"), "worker");
  EXPECT_FALSE((*f)->events[0].zone_assumed);
}

TEST(LayoutTest, DateOrderFromValuesAndAmbiguity) {
  // 03/04 alone could be either order; 25/04 says the first number is the day.
  std::string dmy = "03/04/2024 10:00:00 INFO a\n25/04/2024 10:00:01 INFO b\n";
  Result<InferredLayout> l = InferLayout(Lines(dmy), {});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->time.Describe(), "%d/%m/%Y %H:%M:%S");
  EXPECT_TRUE(l->time.ambiguity().empty());
  std::string both = "03/04/2024 10:00:00 INFO a\n05/06/2024 10:00:01 INFO b\n";
  l = InferLayout(Lines(both), {});
  ASSERT_TRUE(l.ok());
  EXPECT_NE(l->time.ambiguity().find("ambiguous"), std::string::npos);
  EXPECT_NE(l->notes.find("ambiguous"), std::string::npos);
  EXPECT_EQ(l->time.Describe(), "%m/%d/%Y %H:%M:%S");  // a slash settles nothing
  // Dotted numeric dates are written day first: still flagged, but read D-M-Y.
  std::string dotted = "03.04.2024 10:00:00 INFO a\n05.06.2024 10:00:01 INFO b\n";
  l = InferLayout(Lines(dotted), {});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->time.Describe(), "%d.%m.%Y %H:%M:%S");
  EXPECT_NE(l->time.ambiguity().find("as '.'-separated dates are written"), std::string::npos);
}

TEST(LayoutTest, EmittedUserFormatReadsTheSameRecords) {
  std::mt19937 rng(77);
  int checked = 0;
  for (int i = 0; i < 60; ++i) {
    Layout lay = RandomLayout(rng);
    std::vector<Truth> truth;
    std::string data = WriteFile(lay, 30, 2024, rng, &truth);
    TimeContext tc;
    tc.default_year = 2024;
    Result<InferredLayout> l = InferLayout(Lines(data), tc);
    ASSERT_TRUE(l.ok()) << Describe(lay) << ": " << l.status().ToString();
    if (l->time.UserTimeFormat().empty()) continue;  // said in the emitted comment instead
    std::string toml = LayoutAsUserFormat(*l, "saved");
    Result<Config> cfg = ParseConfig(toml, "inquest.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString() << "\n" << toml;
    FormatRegistry user;
    Status st = ApplyLogsConfig(*cfg, &user, nullptr);
    ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << toml;
    LoadOptions opts;
    opts.format = user.Find("saved");
    opts.year = 2024;
    ASSERT_NE(opts.format, nullptr);
    auto f = LoadLogFile(InputFile::FromString(data, "u.log"), 0, user, opts);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_EQ((*f)->events.size(), truth.size()) << toml << data.substr(0, 400);
    for (size_t k = 0; k < truth.size(); ++k) {
      const Event& e = (*f)->events[k];
      ASSERT_EQ(e.time, truth[k].time) << toml << e.raw;
      ASSERT_EQ(e.level, truth[k].level) << toml << e.raw;
      if (!truth[k].host.empty()) ASSERT_EQ(e.host, truth[k].host) << toml << e.raw;
    }
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST(LayoutTest, LinesOffTheLayoutAreReportedWithTheirLine) {
  std::string data =
      "2024-03-05 10:00:00 web-1 INFO app: started\n"
      "2024-03-05 10:00:01 web-1 WARN app: slow\n"
      "garbage that fits nothing\n"
      "2024-03-05 10:00:02 web-1 ERROR app: failed\n"
      "2024-03-05 10:00:03 web-1 INFO app: ok\n";
  FormatRegistry registry;
  registry.Remove("timestamped");
  auto f = LoadLogFile(InputFile::FromString(data, "bad.log"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->format->name(), "inferred");
  EXPECT_EQ((*f)->stats.malformed, 1u);
  ASSERT_EQ((*f)->issues.samples().size(), 1u);
  EXPECT_EQ((*f)->issues.samples()[0].line, 3u);
  EXPECT_NE((*f)->issues.samples()[0].reason.find("no time"), std::string::npos);
  EXPECT_EQ((*f)->events.size(), 4u);
  EXPECT_EQ((*f)->events[2].host, "web-1");
}

TEST(LayoutTest, NoLayoutSaysWhyWithTheBestCandidate) {
  std::string data = "2024-03-05 10:00:00 one\nplain text\nmore text\nstill text\nand more\n";
  FormatRegistry registry;
  auto f = LoadLogFile(InputFile::FromString(data, "prose.txt"), 0, registry, {});
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("best time candidate"), std::string::npos)
      << f.status().ToString();
  EXPECT_NE(f.status().message().find("1 of 5"), std::string::npos) << f.status().ToString();
}

TEST(LayoutTest, OneLetterLevelGluedToTheTime) {
  std::string data =
      "I0305 10:00:00.123456 4711 main.cc:12] started\n"
      "E0305 10:00:01.000001 4711 main.cc:40] failed\n";
  TimeContext tc;
  tc.default_year = 2024;
  Result<InferredLayout> l = InferLayout(Lines(data), tc);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_TRUE(l->level_lead);
  auto fmt = NewInferredFormat(*l);
  Event e;
  std::string why;
  ParseContext ctx;
  ctx.time = tc;
  ASSERT_EQ(fmt->ParseLine(Lines(data)[1], ctx, &e, &why), LineKind::kRecord) << why;
  EXPECT_EQ(e.level, Level::kError);
  EXPECT_EQ(e.time, (DaysFromCivil(2024, 3, 5) * 86400 + 36001) * kNanosPerSecond + 1000);
  EXPECT_EQ(e.Attribute("pid"), "4711");
  EXPECT_EQ(e.message, "main.cc:40] failed");
}

TEST(LayoutTest, TimeAfterHostAndInsideBrackets) {
  std::string data =
      "node-a [12/Mar/2024:10:00:00 +0100] <warn> pid=77 a\n"
      "node-b [13/Mar/2024:10:00:01 +0100] <error> pid=78 b\n";
  Result<InferredLayout> l = InferLayout(Lines(data), {});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  auto fmt = NewInferredFormat(*l);
  Event e;
  std::string why;
  ASSERT_EQ(fmt->ParseLine(Lines(data)[1], {}, &e, &why), LineKind::kRecord) << why;
  EXPECT_EQ(e.time, (DaysFromCivil(2024, 3, 13) * 86400 + 9 * 3600 + 1) * kNanosPerSecond);
  EXPECT_EQ(e.level, Level::kError);
  EXPECT_EQ(e.host, "node-b");
  EXPECT_EQ(e.Attribute("pid"), "78");
  EXPECT_EQ(e.message, "b");
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

// Columns joined by '|' are a delimited layout: level, host and component read from their
// columns, the message after the last one, nothing dropped with the time's field.
TEST(LayoutTest, PipeDelimitedColumns) {
  std::string data;
  for (int i = 0; i < 10; ++i)
    data += fmt::format("08.04.2026 13:27:{:02}.237|INFO|web17|jobs|job {} finished\n", i, i);
  FormatRegistry registry;
  auto f = LoadLogFile(InputFile::FromString(data, "pipes.txt"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ((*f)->events.size(), 10u);
  const Event& e = (*f)->events[3];
  EXPECT_EQ(e.message, "job 3 finished");
  EXPECT_EQ(e.level, Level::kInfo);
  EXPECT_EQ(e.host, "web17");
  EXPECT_EQ(e.Attribute("component"), "jobs");
  EXPECT_EQ((*f)->stats.malformed, 0u);
}

// A zone after a syslog-looking time, then '|' columns: not syslog (no host there), and the
// zone is kept ("+0530" is 5h30 ahead of UTC). A message holding the delimiter stays whole.
TEST(LayoutTest, SyslogLookingTimeWithZoneAndDelimitedColumns) {
  std::string data;
  for (int i = 0; i < 12; ++i)
    data += fmt::format("Oct 24 02:09:{:02} +0530|{}|app13|handler|{} c={}\n", i, i % 4 ? "I" : "E",
                        i % 3 ? "a|b" : "ab", i);
  FormatRegistry registry;
  LoadOptions opts;
  opts.year = 2026;
  auto f = LoadLogFile(InputFile::FromString(data, "pricing.log"), 0, registry, opts);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->format->name(), "inferred");
  ASSERT_EQ((*f)->events.size(), 12u);
  const Event& e = (*f)->events[4];
  EXPECT_EQ(e.time,
            (DaysFromCivil(2026, 10, 23) * 86400 + 20 * 3600 + 39 * 60 + 4) * kNanosPerSecond);
  EXPECT_FALSE(e.zone_assumed);
  EXPECT_EQ(e.level, Level::kError);
  EXPECT_EQ(e.host, "app13");
  EXPECT_EQ(e.message, "a|b c=4");
  EXPECT_EQ(e.service, "pricing");  // from the file name
}

}  // namespace
}  // namespace inquest
