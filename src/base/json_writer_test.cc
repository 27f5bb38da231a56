#include "base/json_writer.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

TEST(JsonWriterTest, Styles) {
  auto doc = [](JsonStyle style) {
    JsonWriter w(style);
    w.BeginObject().Field("a", 1).Key("b").BeginArray().String("x").Null().EndArray();
    w.Key("c").BeginObject().EndObject().EndObject();
    return w.Take().str();
  };
  EXPECT_EQ(doc(JsonStyle::kPretty),
            "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    null\n  ],\n"
            "  \"c\": {}\n}\n");
  EXPECT_EQ(doc(JsonStyle::kLine), R"({"a": 1, "b": ["x", null], "c": {}})");
  EXPECT_EQ(doc(JsonStyle::kCompact), R"({"a":1,"b":["x",null],"c":{}})");
}

TEST(JsonWriterTest, NumbersAsFmtWritesThem) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginArray().Value(true).Value(-3).Value(uint64_t{18446744073709551615u}).Value(0.5);
  w.Double(1.0 / 3, 2).Trimmed(0.25, 4).Trimmed(3.0, 4).Number(1e300 * 1e300).EndArray();
  EXPECT_EQ(w.Take().str(), "[true,-3,18446744073709551615,0.5,0.33,0.25,3,null]");
}

TEST(JsonWriterTest, TimesAndNulls) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginObject().FieldTime("t", 1780063868114000000, 3).FieldTime("none", kNoTime);
  w.FieldOrNull("s", "").EndObject();
  EXPECT_EQ(w.Take().str(), R"({"t":"2026-05-29T14:11:08.114Z","none":null,"s":null})");
}

TEST(JsonWriterTest, EscapesKeysAndValues) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginObject().Field("q\"k", "line\nbreak \x01 \xff").EndObject();
  EXPECT_EQ(w.Take().str(), R"({"q\"k":"line\nbreak \u0001 \ufffd"})");
}

// The output boundary: every string value passes the redactor.
TEST(JsonWriterTest, RedactsEveryStringValue) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginObject();
  w.Field("message", "login password=hunter2 from jane@example.com");
  w.Field("db.password", "hunter2");  // hidden whole by its key
  w.Field("Authorization", "Bearer abc");
  w.Key("passwords").BeginArray().String("a1").String("b2").EndArray();  // the array's key
  w.Key("items").BeginArray().BeginObject().Field("token", "t0k3n").EndObject().EndArray();
  w.Key("value").StringFor("api_key", "k-123");  // named by another field
  w.Field("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
  w.EndObject();
  EXPECT_EQ(w.Take().str(),
            R"({"message":"login password=[REDACTED] from [email]","db.password":"[REDACTED]",)"
            R"("Authorization":"[REDACTED]","passwords":["[REDACTED]","[REDACTED]"],)"
            R"("items":[{"token":"[REDACTED]"}],"value":"[REDACTED]",)"
            R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"})");
}

TEST(JsonWriterTest, BreakEmbedAndTakeLine) {
  JsonWriter inner(JsonStyle::kCompact);
  Redacted part = inner.BeginObject().Field("x", 1).EndObject().Take();
  JsonWriter w(JsonStyle::kLine);
  w.BeginObject().Break("\n  ").Field("a", 1).Break("\n  ").Key("b").Embed(part);
  w.Break("\n").EndObject();
  EXPECT_EQ(w.TakeLine().str(), "{\n  \"a\": 1,\n  \"b\": {\"x\":1}\n}\n");
  // Only whitespace is taken from a break.
  JsonWriter v(JsonStyle::kCompact);
  v.BeginArray().Break("\n<b>").Int(1).EndArray();
  EXPECT_EQ(v.Take().str(), "[\n1]");
}

TEST(JsonWriterTest, WriterIsReusableAfterTake) {
  JsonWriter w(JsonStyle::kCompact);
  w.BeginObject().Field("a", 1).EndObject();
  EXPECT_EQ(w.Take().str(), R"({"a":1})");
  w.BeginObject().Field("b", 2).EndObject();
  EXPECT_EQ(w.Take().str(), R"({"b":2})");
}

}  // namespace
}  // namespace inquest
