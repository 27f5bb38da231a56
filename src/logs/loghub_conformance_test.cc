// Conformance on the Loghub samples: every line of X_2k.log is read (with the format detected
// from the content, then again with an inferred layout alone) and its time and level equal the
// row of X_2k.log_structured.csv.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "logs/log_file.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

std::string Fixtures() { return TestFixturesDir() + "/logs/loghub/"; }

// One CSV record per line (Loghub's CSVs have no embedded newlines); "" escapes a quote.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

struct Row {
  std::vector<std::string> f;
  const std::string& operator[](size_t i) const { return f.at(i); }
};

std::vector<Row> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<Row> rows;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    rows.push_back({CsvFields(line)});
  }
  return rows;
}

int Num(const std::string& s, size_t pos, size_t len) { return std::stoi(s.substr(pos, len)); }

// Seconds of a civil time, computed here independently of the parsers under test.
int64_t Secs(int y, int mo, int d, int h, int mi, int s) {
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

// "18:01:47,978" / "00:00:00.008" / "20:10:40" -> nanoseconds into the day.
int64_t ClockNanos(const std::string& t) {
  int64_t ns = (Num(t, 0, 2) * 3600 + Num(t, 3, 2) * 60 + Num(t, 6, 2)) * kNanosPerSecond;
  if (t.size() > 9) ns += std::stoll(t.substr(9)) * kNanosPerMilli;
  return ns;
}

struct Family {
  const char* name;
  const char* format;  // the format detection must pick
  // The expected time of a CSV row; the expected level text ("" when the CSV has none).
  TimePoint (*time)(const Row&, int year);
  std::string (*level)(const Row&);
  // Linux's "Level" column holds the host.
  std::string (*host)(const Row&);
};

std::string NoText(const Row&) { return {}; }

const Family kFamilies[] = {
    {"Apache", "apache-error",
     [](const Row& r, int) -> TimePoint {
       // "Sun Dec 04 04:47:44 2005"
       const std::string& t = r[1];
       int mo = MonthFromAbbrev(t.substr(4, 3));
       return Secs(Num(t, 20, 4), mo, Num(t, 8, 2), Num(t, 11, 2), Num(t, 14, 2), Num(t, 17, 2)) *
              kNanosPerSecond;
     },
     [](const Row& r) { return r[2]; }, NoText},
    {"HDFS", "hdfs",
     [](const Row& r, int) -> TimePoint {
       const std::string &d = r[1], &t = r[2];
       return Secs(2000 + Num(d, 0, 2), Num(d, 2, 2), Num(d, 4, 2), Num(t, 0, 2), Num(t, 2, 2),
                   Num(t, 4, 2)) *
              kNanosPerSecond;
     },
     [](const Row& r) { return r[4]; }, NoText},
    {"Hadoop", "hadoop",
     [](const Row& r, int) -> TimePoint {
       const std::string& d = r[1];
       return Secs(Num(d, 0, 4), Num(d, 5, 2), Num(d, 8, 2), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[2]);
     },
     [](const Row& r) { return r[3]; }, NoText},
    {"Linux", "syslog",
     [](const Row& r, int year) -> TimePoint {
       return Secs(year, MonthFromAbbrev(r[1]), std::stoi(r[2]), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[3]);
     },
     NoText, [](const Row& r) { return r[4]; }},
    {"OpenSSH", "syslog",
     [](const Row& r, int year) -> TimePoint {
       return Secs(year, MonthFromAbbrev(r[1]), std::stoi(r[2]), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[3]);
     },
     NoText, [](const Row& r) { return r[4]; }},
    {"OpenStack", "openstack",
     [](const Row& r, int) -> TimePoint {
       const std::string& d = r[2];
       return Secs(Num(d, 0, 4), Num(d, 5, 2), Num(d, 8, 2), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[3]);
     },
     [](const Row& r) { return r[5]; }, NoText},
    {"Spark", "spark",
     [](const Row& r, int) -> TimePoint {
       const std::string& d = r[1];
       return Secs(2000 + Num(d, 0, 2), Num(d, 3, 2), Num(d, 6, 2), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[2]);
     },
     [](const Row& r) { return r[3]; }, NoText},
    {"Zookeeper", "zookeeper",
     [](const Row& r, int) -> TimePoint {
       const std::string& d = r[1];
       return Secs(Num(d, 0, 4), Num(d, 5, 2), Num(d, 8, 2), 0, 0, 0) * kNanosPerSecond +
              ClockNanos(r[2]);
     },
     [](const Row& r) { return r[3]; }, NoText},
};

class LoghubTest : public ::testing::TestWithParam<Family> {};

TEST_P(LoghubTest, EveryLineMatchesTheStructuredCsv) {
  const Family& fam = GetParam();
  std::string log = Fixtures() + fam.name + "_2k.log";
  if (!std::filesystem::exists(log)) GTEST_SKIP() << "fixtures not present: " << log;
  std::vector<Row> rows = ReadCsv(log + "_structured.csv");
  ASSERT_EQ(rows.size(), 2000u);

  FormatRegistry registry;
  LoadOptions opts;
  if (std::string(fam.format) == "syslog") opts.year = 2005;  // pins the year-less formats
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(log, 0, registry, opts);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const LogFile& lf = **f;
  ASSERT_NE(lf.format, nullptr);
  EXPECT_EQ(lf.format->name(), fam.format);
  EXPECT_EQ(lf.stats.malformed, 0u)
      << (lf.issues.samples().empty() ? std::string() : lf.issues.samples()[0].reason);
  EXPECT_EQ(lf.stats.continuation_lines, 0u);
  ASSERT_EQ(lf.events.size(), rows.size());
  size_t time_mismatch = 0, level_mismatch = 0, host_mismatch = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Event& e = lf.events[i];
    EXPECT_EQ(e.line, i + 1);
    TimePoint want = fam.time(rows[i], 2005);
    if (e.time != want && time_mismatch++ < 3)
      ADD_FAILURE() << fam.name << " line " << e.line << ": time " << FormatTime(e.time) << " want "
                    << FormatTime(want);
    std::string level = fam.level(rows[i]);
    if (!level.empty() && e.level != ParseLevel(level) && level_mismatch++ < 3)
      ADD_FAILURE() << fam.name << " line " << e.line << ": level " << LevelName(e.level)
                    << " want " << level;
    std::string host = fam.host(rows[i]);
    if (!host.empty() && e.host != host && host_mismatch++ < 3)
      ADD_FAILURE() << fam.name << " line " << e.line << ": host '" << e.host << "' want " << host;
  }
  EXPECT_EQ(time_mismatch, 0u);
  EXPECT_EQ(level_mismatch, 0u);
  EXPECT_EQ(host_mismatch, 0u);
}

INSTANTIATE_TEST_SUITE_P(Loghub, LoghubTest, ::testing::ValuesIn(kFamilies),
                         [](const auto& info) { return std::string(info.param.name); });

// The same samples read by layout inference alone: the family formats (and the generic fallback)
// are taken out of the registry, so only an inferred layout can read them.
class LoghubInferenceTest : public ::testing::TestWithParam<Family> {};

TEST_P(LoghubInferenceTest, InferredLayoutMatchesTheStructuredCsv) {
  const Family& fam = GetParam();
  std::string log = Fixtures() + fam.name + "_2k.log";
  if (!std::filesystem::exists(log)) GTEST_SKIP() << "fixtures not present: " << log;
  std::vector<Row> rows = ReadCsv(log + "_structured.csv");
  ASSERT_EQ(rows.size(), 2000u);

  FormatRegistry registry;
  for (const char* family : {"hdfs", "hadoop", "spark", "zookeeper", "openstack", "apache-error",
                             "syslog", "log4j", "timestamped"})
    ASSERT_TRUE(registry.Remove(family)) << family;
  LoadOptions opts;
  if (std::string(fam.format) == "syslog") opts.year = 2005;
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(log, 0, registry, opts);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const LogFile& lf = **f;
  ASSERT_NE(lf.format, nullptr);
  ASSERT_EQ(lf.format->name(), "inferred");
  EXPECT_EQ(lf.stats.malformed, 0u)
      << lf.format->description() << ": "
      << (lf.issues.samples().empty() ? std::string() : lf.issues.samples()[0].reason);
  ASSERT_EQ(lf.events.size(), rows.size()) << lf.format->description();
  size_t time_mismatch = 0, level_mismatch = 0, host_mismatch = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Event& e = lf.events[i];
    TimePoint want = fam.time(rows[i], 2005);
    if (e.time != want && time_mismatch++ < 3)
      ADD_FAILURE() << lf.format->description() << "\nline " << e.line << ": time "
                    << FormatTime(e.time) << " want " << FormatTime(want);
    std::string level = fam.level(rows[i]);
    if (!level.empty() && ParseLevel(level) != Level::kUnknown && e.level != ParseLevel(level) &&
        level_mismatch++ < 3)
      ADD_FAILURE() << lf.format->description() << "\nline " << e.line << ": level "
                    << LevelName(e.level) << " want " << level;
    std::string host = fam.host(rows[i]);
    if (!host.empty() && e.host != host && host_mismatch++ < 3)
      ADD_FAILURE() << lf.format->description() << "\nline " << e.line << ": host '" << e.host
                    << "' want " << host;
  }
  EXPECT_EQ(time_mismatch, 0u);
  EXPECT_EQ(level_mismatch, 0u);
  EXPECT_EQ(host_mismatch, 0u);
}

INSTANTIATE_TEST_SUITE_P(Loghub, LoghubInferenceTest, ::testing::ValuesIn(kFamilies),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(LoghubTest, OpenStackRequestIdAndService) {
  std::string log = Fixtures() + "OpenStack_2k.log";
  if (!std::filesystem::exists(log)) GTEST_SKIP() << "fixtures not present";
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(log, 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const Event& first = (*f)->events.front();
  EXPECT_EQ(first.service, "nova-api");
  EXPECT_EQ(first.request_id, "req-38101a0b-2096-447d-96ea-a692162415ae");
  EXPECT_TRUE(first.message.starts_with("10.11.10.1 \"GET /v2/"));
  size_t compute = 0;
  for (const Event& e : (*f)->events) compute += e.service == "nova-compute";
  EXPECT_GT(compute, 900u);
}

TEST(LoghubTest, SyslogYearFromModificationTime) {
  std::string log = Fixtures() + "Linux_2k.log";
  if (!std::filesystem::exists(log)) GTEST_SKIP() << "fixtures not present";
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(log, 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const LogFile& lf = **f;
  EXPECT_NE(lf.stats.year_source.find("modification time"), std::string::npos)
      << lf.stats.year_source;
  // The file spans June to July of one year, which cannot end after the file was written.
  EXPECT_LE(lf.events.back().time, lf.input.mtime_ns() + 86400 * kNanosPerSecond);
  EXPECT_EQ(YearOf(lf.events.front().time), YearOf(lf.events.back().time));
  EXPECT_EQ(lf.stats.year_used, YearOf(lf.events.front().time));
  EXPECT_EQ(lf.stats.zone_assumed, lf.events.size());
}

}  // namespace
}  // namespace inquest
