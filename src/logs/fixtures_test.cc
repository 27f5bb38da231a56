// The other real fixtures: access logs, logfmt, JSON lines, OTLP logs and the syslog sample.
#include <gtest/gtest.h>

#include <filesystem>

#include "logs/log_file.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

std::string Path(const char* rel) { return TestFixturesDir() + "/logs/" + rel; }

// Formats are owned by the registry: it outlives every LogFile that points at them.
const FormatRegistry& Registry() {
  static const FormatRegistry registry;
  return registry;
}

// Loads logs/<rel> into *out and checks what holds for every fixture read here: it is read as
// `format`, with no malformed line. *out stays null (and the test is skipped) when the
// fixtures are absent.
void LoadClean(const char* rel, std::string_view format, std::unique_ptr<LogFile>* out) {
  std::string path = Path(rel);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "fixtures not present: " << path;
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(path, 3, Registry(), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_NE((*f)->format, nullptr);
  EXPECT_EQ((*f)->format->name(), format);
  EXPECT_EQ((*f)->stats.malformed, 0u)
      << ((*f)->issues.samples().empty() ? "" : (*f)->issues.samples()[0].reason);
  *out = std::move(f).value();
}

size_t CountLines(std::string_view data) {
  size_t n = 0;
  for (char c : data) n += c == '\n';
  return n + (!data.empty() && data.back() != '\n');
}

TEST(FixturesTest, ApacheCombinedParsesCompletely) {
  std::unique_ptr<LogFile> f;
  LoadClean("access/apache_combined_10k.log", "access", &f);
  if (!f) return;
  EXPECT_EQ(f->events.size(), CountLines(f->input.data()));
  const Event& e = f->events.front();
  EXPECT_EQ(e.Attribute("ip"), "83.149.9.216");
  EXPECT_EQ(e.Attribute("method"), "GET");
  EXPECT_EQ(e.Attribute("status"), "200");
  EXPECT_EQ(e.Attribute("bytes"), "203023");
  EXPECT_EQ(e.Attribute("referer"),
            "http://semicomplete.com/presentations/logstash-monitorama-2013/");
  EXPECT_TRUE(e.Attribute("agent").starts_with("Mozilla/5.0"));
  EXPECT_EQ(FormatTime(e.time, 0), "2015-05-17T10:05:03Z");
  EXPECT_EQ(e.file, 3u);
  size_t errors = 0, warns = 0;
  for (const Event& ev : f->events) {
    char s = ev.Attribute("status")[0];
    EXPECT_EQ(ev.level, s == '5' ? Level::kError : s == '4' ? Level::kWarn : Level::kInfo);
    errors += ev.level == Level::kError;
    warns += ev.level == Level::kWarn;
  }
  EXPECT_GT(warns, 0u);
}

TEST(FixturesTest, NginxParsesCompletelyWithForwardedFor) {
  std::unique_ptr<LogFile> f;
  LoadClean("access/nginx_shop_1k.log", "access", &f);
  if (!f) return;
  EXPECT_EQ(f->events.size(), CountLines(f->input.data()));
  // [22/Jan/2019:03:56:14 +0330] is 00:26:14 UTC.
  EXPECT_EQ(FormatTime(f->events.front().time, 0), "2019-01-22T00:26:14Z");
  EXPECT_EQ(f->events.front().Attribute("forwarded_for"), "-");
  EXPECT_EQ(f->stats.zone_assumed, 0u);
}

TEST(FixturesTest, LogfmtFields) {
  std::unique_ptr<LogFile> f;
  LoadClean("logfmt/lnav_logfmt.log", "logfmt", &f);
  if (!f) return;
  ASSERT_EQ(f->events.size(), CountLines(f->input.data()));
  const Event& e = f->events[0];
  EXPECT_EQ(FormatTime(e.time, 6), "2021-09-15T21:17:10.220731Z");
  EXPECT_EQ(e.level, Level::kError);
  EXPECT_TRUE(e.message.starts_with("error retrieving pod status"));
  EXPECT_EQ(e.Attribute("namespace"), "inc-1-enh-domain-c14-ns-2");
  EXPECT_EQ(e.Attribute("reason"), "");
  EXPECT_EQ(f->events[1].level, Level::kWarn);
  EXPECT_TRUE(f->events[1].Attribute("error").starts_with("pod inc-1-domain"));
}

TEST(FixturesTest, PrometheusJsonLines) {
  std::unique_ptr<LogFile> f;
  LoadClean("jsonl/prometheus.log", "jsonl", &f);
  if (!f) return;
  ASSERT_EQ(f->events.size(), CountLines(f->input.data()));
  const Event& e = f->events[0];
  EXPECT_EQ(FormatTime(e.time, 3), "2023-12-07T20:07:05.949Z");
  EXPECT_EQ(e.level, Level::kInfo);
  EXPECT_EQ(e.message, "No time or size retention was set so using the default time retention");
  EXPECT_EQ(e.Attribute("caller"), "main.go:539");
  EXPECT_EQ(e.Attribute("duration"), "15d");
  for (const Event& ev : f->events) {
    EXPECT_NE(ev.time, kNoTime);
    EXPECT_NE(ev.level, Level::kUnknown);
  }
}

TEST(FixturesTest, OtlpLogsDocument) {
  std::unique_ptr<LogFile> f;
  LoadClean("otlp/logs.json", "otlp-logs", &f);
  if (!f) return;
  ASSERT_GE(f->events.size(), 1u);
  const Event& e = f->events[0];
  EXPECT_EQ(e.time, 1544712660300000000);
  EXPECT_EQ(e.level, Level::kInfo);  // severityNumber 10
  EXPECT_EQ(e.message, "Example log record");
  EXPECT_EQ(e.service, "my.service");
  EXPECT_EQ(e.trace_id, "5B8EFFF798038103D269B633813FC60C");
  EXPECT_EQ(e.span_id, "EEE19B7EC3C1B174");
  EXPECT_EQ(e.Attribute("string.attribute"), "some string");
  EXPECT_EQ(e.Attribute("boolean.attribute"), "true");
  EXPECT_EQ(e.Attribute("scope"), "my.library");
  EXPECT_GT(e.line, 1u);
  EXPECT_TRUE(e.raw.starts_with("{"));
  EXPECT_NE(e.raw.find("Example log record"), std::string_view::npos);
}

// logs/syslog/lnav_syslog.log is lnav's data-parser test output (a syslog message followed by
// its token table), not a syslog file: no line starts with a syslog header. Detection must not
// take it for one.
TEST(FixturesTest, LnavSyslogSampleIsNotTakenForSyslog) {
  std::string p = Path("syslog/lnav_syslog.log");
  if (!std::filesystem::exists(p)) GTEST_SKIP() << "fixtures not present: " << p;
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f = LoadLogFile(p, 0, registry, {});
  if (f.ok()) {
    EXPECT_NE((*f)->format->name(), "syslog");
  } else {
    EXPECT_EQ(f.status().code(), StatusCode::kBadInput);
    EXPECT_NE(f.status().ToString().find("lnav_syslog.log"), std::string::npos);
  }
}

}  // namespace
}  // namespace inquest
