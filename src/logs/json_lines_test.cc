#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/input_file.h"
#include "logs/formats.h"
#include "logs/log_file.h"
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
