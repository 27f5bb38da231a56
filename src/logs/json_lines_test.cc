#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/input_file.h"
#include "logs/formats.h"
#include "logs/log_file.h"
#include "logs/log_reader.h"
#include "logs/registry.h"

namespace inquest {
namespace {

class JsonLinesTest : public ::testing::Test {
 protected:
  LineKind Parse(std::string_view line) {
    ev_.Clear();
    why_.clear();
    return format_->ParseLine(line, ctx_, &ev_, &why_);
  }
  std::unique_ptr<LogFormat> format_ = NewJsonLinesFormat();
  Arena arena_;
  ParseContext ctx_{{}, &arena_};
  Event ev_;
  std::string why_;
};

TEST_F(JsonLinesTest, RolesNestedArraysAndAttributes) {
  ASSERT_EQ(Parse(R"({"ts":"2026-05-29T14:11:08.114Z","level":"WARN","msg":"pool exhausted",)"
                  R"("service":"pricing","http":{"request_id":"r-1","status":503},)"
                  R"("tags":["a","b"],"ok":false,"n":null,"lat_ms":12.5})"),
            LineKind::kRecord)
      << why_;
  EXPECT_EQ(FormatTime(ev_.time, 3), "2026-05-29T14:11:08.114Z");
  EXPECT_FALSE(ev_.zone_assumed);
  EXPECT_EQ(ev_.level, Level::kWarn);
  EXPECT_EQ(ev_.message, "pool exhausted");
  EXPECT_EQ(ev_.service, "pricing");
  EXPECT_EQ(ev_.request_id, "r-1");  // "http.request_id" after flattening
  EXPECT_EQ(ev_.Attribute("http.status"), "503");
  EXPECT_EQ(ev_.Attribute("tags"), R"(["a","b"])");
  EXPECT_EQ(ev_.Attribute("ok"), "false");
  EXPECT_EQ(ev_.Attribute("n"), "null");
  EXPECT_EQ(ev_.Attribute("lat_ms"), "12.5");
}

TEST_F(JsonLinesTest, EscapesDecodedOnlyWhenPresent) {
  std::string line = R"({"msg":"say \"hi\"\n","plain":"x"})";
  ASSERT_EQ(Parse(line), LineKind::kRecord);
  EXPECT_EQ(ev_.message, "say \"hi\"\n");
  EXPECT_FALSE(ev_.message.data() >= line.data() && ev_.message.data() < line.data() + line.size());
  // Unescaped text is a view into the line itself.
  EXPECT_TRUE(ev_.Attribute("plain").data() > line.data() &&
              ev_.Attribute("plain").data() < line.data() + line.size());
}

TEST_F(JsonLinesTest, EpochTimesInEveryUnit) {
  const char* lines[] = {R"({"ts":1716991868})",       R"({"ts":1716991868114})",
                         R"({"ts":1716991868114000})", R"({"ts":1716991868114000000})",
                         R"({"ts":"1716991868114"})",  R"({"ts":1716991868.114})"};
  for (const char* l : lines) {
    ASSERT_EQ(Parse(l), LineKind::kRecord) << l;
    EXPECT_EQ(ev_.time / kNanosPerSecond, 1716991868) << l;
  }
}

TEST_F(JsonLinesTest, PreferredKeyWinsAndTheOtherStaysAnAttribute) {
  ASSERT_EQ(Parse(R"({"event":"cache.miss","msg":"miss for key k"})"), LineKind::kRecord);
  EXPECT_EQ(ev_.message, "miss for key k");
  EXPECT_EQ(ev_.Attribute("event"), "cache.miss");
}

TEST_F(JsonLinesTest, WrongTypesDoNotBreakTheRecord) {
  ASSERT_EQ(Parse(R"({"ts":{"a":1},"level":true,"msg":42})"), LineKind::kRecord) << why_;
  EXPECT_EQ(ev_.time, kNoTime);
  EXPECT_EQ(ev_.level, Level::kUnknown);
  EXPECT_EQ(ev_.Attribute("level"), "true");
  EXPECT_EQ(ev_.message, "42");
  EXPECT_EQ(ev_.Attribute("ts.a"), "1");
  ASSERT_EQ(Parse(R"({"time":"yesterday","level":50})"), LineKind::kRecord);
  EXPECT_EQ(ev_.time, kNoTime);
  EXPECT_EQ(ev_.Attribute("time"), "yesterday");
  EXPECT_EQ(ev_.level, Level::kError);  // pino's 50
}

TEST_F(JsonLinesTest, MalformedInputIsReportedNotCrashed) {
  EXPECT_EQ(Parse("not json"), LineKind::kMalformed);
  EXPECT_EQ(Parse("[1,2,3]"), LineKind::kMalformed);
  EXPECT_EQ(Parse(R"({"a":)"), LineKind::kMalformed);
  EXPECT_FALSE(why_.empty());
  EXPECT_EQ(Parse(R"({"a":1} trailing)"), LineKind::kMalformed);
  std::string garbage(4096, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 131 + 7);
  garbage[0] = '{';
  EXPECT_EQ(Parse(garbage), LineKind::kMalformed);
}

TEST_F(JsonLinesTest, InvalidUtf8IsRepairedAndMarked) {
  ASSERT_EQ(Parse("{\"ts\":\"2026-05-29T14:11:08Z\",\"msg\":\"caf\xe9 \xff bad\"}"),
            LineKind::kRecord);
  EXPECT_EQ(ev_.message, "caf\xEF\xBF\xBD \xEF\xBF\xBD bad");
  EXPECT_NE(ev_.time, kNoTime);
  EXPECT_FALSE(ev_.Attribute(kRepairedAttr).empty());
  // Repair does not rescue what is not JSON.
  EXPECT_EQ(Parse("{\"msg\":\"\xff"), LineKind::kMalformed);
}

TEST_F(JsonLinesTest, ParsesInPlaceWhenPaddingFollows) {
  std::string buf = R"({"msg":"first","k":"v"})";
  size_t len = buf.size();
  buf += "\n" + std::string(128, ' ');
  ev_.Clear();
  ASSERT_EQ(format_->ParseLineInBuffer(std::string_view(buf.data(), len), buf.size() - len, ctx_,
                                       &ev_, &why_),
            LineKind::kRecord);
  EXPECT_EQ(ev_.message.data(), buf.data() + 8);
}

TEST_F(JsonLinesTest, FileWithBadLinesTimelessRecordsAndNoTrailingNewline) {
  FormatRegistry registry;
  std::string data =
      "{\"ts\":\"2026-05-29T14:11:08Z\",\"msg\":\"a\"}\r\n"
      "garbage line\n"
      "{\"msg\":\"no time\"}\n"
      "\n"
      "{\"ts\":\"2026-05-29T14:11:07Z\",\"msg\":\"earlier\"}";
  Result<std::unique_ptr<LogFile>> f =
      LoadLogFile(InputFile::FromString(data, "app.jsonl"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const LogFile& lf = **f;
  EXPECT_EQ(lf.format->name(), "jsonl");
  ASSERT_EQ(lf.events.size(), 3u);
  EXPECT_EQ(lf.stats.malformed, 1u);
  ASSERT_EQ(lf.issues.samples().size(), 1u);
  EXPECT_EQ(lf.issues.samples()[0].line, 2u);
  EXPECT_EQ(lf.events[0].raw.back(), '}');  // CR stripped
  EXPECT_TRUE(lf.events[1].time_from_neighbour);
  EXPECT_EQ(lf.events[1].time, lf.events[0].time);
  EXPECT_EQ(lf.events[1].line, 3u);
  EXPECT_EQ(lf.stats.without_time, 1u);
  EXPECT_EQ(lf.stats.out_of_order, 1u);
  EXPECT_EQ(lf.events[2].line, 5u);
  EXPECT_EQ(lf.events[2].message, "earlier");
}

TEST_F(JsonLinesTest, TenMebibyteLineIsParsedWhole) {
  FormatRegistry registry;
  std::string data = "{\"ts\":\"2026-05-29T14:11:08Z\",\"msg\":\"a\"}\n{\"msg\":\"";
  data.append(10 << 20, 'x');
  data += "\"}\n{\"ts\":\"2026-05-29T14:11:09Z\",\"msg\":\"b\"}\n";
  Result<std::unique_ptr<LogFile>> f =
      LoadLogFile(InputFile::FromString(data, "big.jsonl"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ((*f)->events.size(), 3u);
  EXPECT_EQ((*f)->events[1].message.size(), size_t{10} << 20);
  EXPECT_EQ((*f)->events[2].message, "b");
  EXPECT_EQ((*f)->issues.count(), 0u);
}

// Everything a parse puts in an Event, as text.
std::string Fingerprint(const Event& e) {
  std::string out =
      fmt::format("{} {}{} {} m={} s={} h={} r={} t={} p={} raw={}", e.time, e.zone_assumed,
                  e.year_assumed, static_cast<int>(e.level), e.message, e.service, e.host,
                  e.request_id, e.trace_id, e.span_id, e.raw);
  for (const Attr& a : e.attrs) out += fmt::format(" [{}={}]", a.key, a.value);
  return out;
}

// Lines of every kind JSON-lines readers meet, in a deterministic mix: one in `odd_every` odd
// (not JSON, blank, trailing text, two objects, an object over two lines...), one in about
// `fatal_every` of a kind simdjson rejects outright (invalid UTF-8, a raw tab in a string, an
// unclosed string), the rest ordinary records.
std::string MixedJsonLines(size_t lines, uint64_t odd_every, uint64_t fatal_every) {
  constexpr int kFatal[] = {4, 5, 16};
  std::string out;
  uint64_t rng = 12345;
  for (size_t i = 0; i < lines; ++i) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    int kind = 99;
    if ((rng >> 20) % fatal_every == 0) {
      kind = kFatal[(rng >> 40) % 3];
    } else if ((rng >> 33) % odd_every == 0) {
      do kind = static_cast<int>((rng >> 36) % 18), rng = rng * 31 + 7;
      while (kind == 4 || kind == 5 || kind == 16);
    }
    std::string t = fmt::format("2026-05-29T09:{:02}:{:02}.{:03}Z", i / 600 % 60, i / 10 % 60,
                                (rng >> 40) % 1000);
    switch (kind) {
      case 0:
        out += "not json at all";
        break;
      case 1:
        break;  // empty line
      case 2:
        out += " \t ";
        break;
      case 3:
        out += fmt::format(R"({{"time":"{}","level":"info"}} trailing)", t);
        break;
      case 4:
        out += fmt::format(R"({{"time":"{}","msg":"cut)", t);
        break;
      case 5:
        out += fmt::format("{{\"time\":\"{}\",\"msg\":\"caf\xe9\"}}", t);
        break;
      case 6:
        out += fmt::format(
            R"({{"time":"{}","lvl":"ERROR","level":"warn","msg":"e \"q\" \u00e9","k\"ey":"v"}})",
            t);
        break;
      case 7:
        out += fmt::format(
            R"({{"ts":{},"level":50,"http":{{"request_id":"r{}","status":503}},"arr":[1,{{"a":3}}]}})",
            1780045200000 + i * 100, i);
        break;
      case 8:
        out +=
            fmt::format(R"(  {{"time":"{}" , "level" : "error" , "status" : 500 }}  )", t) + "\r";
        break;
      case 9:
        out += R"({"time":"garbage","level":"bogus","msg":"bad time"})";
        break;
      case 10:
        out += R"({}{})";
        break;
      case 11:
        out += fmt::format(R"({{"time":"{}","a":)", t);
        break;  // an object over two lines
      case 12:
        out += fmt::format(R"({{"time":"{}","msg":"two"}} {{"time":"{}"}})", t, t);
        break;
      case 13:
        out += "[1,2,3]";
        break;
      case 14:
        out += "\r{\"msg\":\"starts with CR\"}";
        break;
      case 15:
        out += fmt::format(R"({{"time":"{}","msg":"tab\tin string"}})", t);
        break;
      case 16:
        out += fmt::format("{{\"time\":\"{}\",\"msg\":\"raw\ttab\"}}", t);
        break;
      case 17:
        out += fmt::format(R"({{"time":"2026-05-29 09:{:02}:{:02},5 +02:00","msg":"offset"}})",
                           i / 600 % 60, i / 10 % 60);
        break;
      default:
        out += fmt::format(R"({{"time":"{}","level":"info","msg":"served","request_id":"{:x}",)"
                           R"("path":"/a","status":200,"latency_ms":{},"pod":"api-{}"}})",
                           t, rng >> 20, (rng >> 30) % 900, (rng >> 50) % 4);
    }
    out += '\n';
  }
  return out;
}

// Reads `data` with a LogReader (lines parsed in place, one after the other, so that what the
// parser remembers from line to line counts: the keys at each place, the last time) and each
// line alone with ParseLine (a copy), and expects the same records, reasons and line numbers.
void ExpectRunMatchesLineByLine(std::string data, const ParseContext& ctx) {
  std::unique_ptr<LogFormat> format = NewJsonLinesFormat();
  size_t size = data.size();
  data.append(64, ' ');  // simdjson's padding, as the scan's buffers have
  std::string_view bytes(data.data(), size);
  IssueLog issues("x");
  LogReader reader(bytes, *format, ctx, 0, &issues, 1, 0, 64);
  std::vector<std::string> got;
  Event ev;
  while (reader.Next(&ev)) got.push_back(fmt::format("{}: {}", ev.line, Fingerprint(ev)));

  std::vector<std::string> want;
  std::vector<std::string> want_issues;
  uint64_t line_no = 0;
  for (std::string_view rest = bytes; !rest.empty();) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::string copy(line);  // no padding after it: the copying path
    Event e;
    std::string why;
    if (format->ParseLine(copy, ctx, &e, &why) == LineKind::kRecord) {
      e.line = line_no;
      e.raw = line;
      if (e.service.empty()) e.service = ctx.service;
      want.push_back(fmt::format("{}: {}", line_no, Fingerprint(e)));
    } else {
      want_issues.push_back(fmt::format("{}: {}", line_no, why));
    }
  }
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]);
  ASSERT_EQ(issues.count(), want_issues.size());
  for (size_t i = 0; i < issues.samples().size(); ++i)
    EXPECT_EQ(fmt::format("{}: {}", issues.samples()[i].line, issues.samples()[i].reason),
              want_issues[i]);
}

TEST(JsonLinesReaderTest, GivesWhatEachLineAloneGivesOverEveryKindOfLine) {
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ExpectRunMatchesLineByLine(MixedJsonLines(60000, 40, 3000), ctx);
  ExpectRunMatchesLineByLine(MixedJsonLines(20000, 8, 500), ctx);
  ExpectRunMatchesLineByLine(MixedJsonLines(20000, 4, 3), ctx);
}

TEST(JsonLinesReaderTest, RecordsWithTheSameKeysAndAProjection) {
  std::string data;
  for (int i = 0; i < 20000; ++i)
    data += fmt::format(R"({{"time":"2026-05-29T09:00:{:02}.{:03}Z","level":"info","msg":"m{}",)"
                        R"("status":{},"latency_ms":{},"path":"/p","n":{{"x":{}}}}})"
                        "\n",
                        i / 1000 % 60, i % 1000, i, 200 + i % 3, i % 97, i);
  data += R"({"time":"2026-05-29T09:00:00Z","msg":"last, no newline"})";
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ExpectRunMatchesLineByLine(data, ctx);
  KeyIndex wanted;
  wanted.Add("latency_ms");
  wanted.Add("n.x");
  FieldNames projected = DefaultFieldNames().Projected(wanted);
  ctx.fields = &projected;
  ExpectRunMatchesLineByLine(data, ctx);
}

TEST(JsonLinesReaderTest, MostlyBadLinesStillMatch) {
  std::string data;
  for (int i = 0; i < 5000; ++i)
    data += i % 5 ? "{\"msg\":\"caf\xe9\"}\n" : "{\"msg\":\"ok\",\"level\":\"warn\"}\n";
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ExpectRunMatchesLineByLine(data, ctx);
}

TEST_F(JsonLinesTest, TimesReadByDifferenceEqualAFullParse) {
  const char* shapes[] = {
      "2026-05-29T09:{:02}:{:02}.{:03}Z",      "2026-05-29T09:{:02}:{:02}Z",
      "2026-05-29T09:{:02}:{:02}.{:06}+02:00", "2026-05-29 09:{:02}:{:02},{:03}",
      "2026-05-29T09:{:02}:{:02}.{:09}-0130",  "2026-05-29T09:{:02}:{:02}.{}Z"};
  for (const char* shape : shapes) {
    for (int i = 0; i < 3000; ++i) {
      int sec = i % 61;  // 60: a leap second, which no difference may produce
      std::string t = fmt::format(fmt::runtime(shape), i / 61 % 60, sec, i * 7919 % 1000);
      ASSERT_EQ(Parse(fmt::format(R"({{"ts":"{}"}})", t)), LineKind::kRecord) << t << why_;
      ParsedTime want;
      ASSERT_TRUE(ParseTimeValue(t, ctx_.time, &want)) << t;
      ASSERT_EQ(ev_.time, want.time) << t;
      ASSERT_EQ(ev_.zone_assumed, want.zone_assumed) << t;
    }
  }
}

TEST(LoadLogFileTest, EmptyAndBinaryFiles) {
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> empty =
      LoadLogFile(InputFile::FromString("", "empty.log"), 0, registry, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->events.empty());
  EXPECT_FALSE((*empty)->warning.ok());
  std::string bin;
  for (int i = 0; i < 100000; ++i) bin.push_back(static_cast<char>((i * 7919) % 251));
  Result<std::unique_ptr<LogFile>> b =
      LoadLogFile(InputFile::FromString(bin, "core.bin"), 0, registry, {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kBadInput);
  EXPECT_NE(b.status().ToString().find("core.bin"), std::string::npos);
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

// OTLP/JSON's wrapped values read as their parent ("body": {"stringValue": ...} is the message),
// and a 16-hex id under a name that says request is a request id, not a span id.
TEST(JsonLinesLoadTest, AnyValueWrappersAndNamedRequestIds) {
  std::string data;
  for (int i = 0; i < 6; ++i)
    data += fmt::format(
        "{{\"timeUnixNano\":\"17801469551734{:02}000\",\"severityText\":\"INFO\",\"body\":{{"
        "\"stringValue\":\"request {}\"}},\"resource\":{{\"service.name\":\"gw\"}},"
        "\"attributes\":{{\"request.id\":\"db1b077614ec6c{:02x}\"}}}}\n",
        i, i, i % 3);
  FormatRegistry registry;
  auto f = LoadLogFile(InputFile::FromString(data, "gw.jsonl"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ((*f)->events.size(), 6u);
  const Event& e = (*f)->events[4];
  EXPECT_EQ(e.message, "request 4");
  EXPECT_EQ(e.service, "gw");
  EXPECT_EQ(e.request_id, "db1b077614ec6c01");
  EXPECT_TRUE(e.span_id.empty());
}

}  // namespace
}  // namespace inquest
