#include "logs/message_fields.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace inquest {
namespace {

TEST(MessageFieldsTest, CorrelationRoleFromSpelling) {
  EXPECT_EQ(CorrelationRoleOfName("x_request_id"), FieldRole::kRequestId);
  EXPECT_EQ(CorrelationRoleOfName("X-Request-ID"), FieldRole::kRequestId);
  EXPECT_EQ(CorrelationRoleOfName("reqId"), FieldRole::kRequestId);
  EXPECT_EQ(CorrelationRoleOfName("correlation-id"), FieldRole::kRequestId);
  EXPECT_EQ(CorrelationRoleOfName("ctx.traceId"), FieldRole::kTraceId);
  EXPECT_EQ(CorrelationRoleOfName("span_id"), FieldRole::kSpanId);
  EXPECT_EQ(CorrelationRoleOfName("parent_span_id"), FieldRole::kNone);
  EXPECT_EQ(CorrelationRoleOfName("status"), FieldRole::kNone);
  EXPECT_EQ(CorrelationRoleOfName("requests"), FieldRole::kNone);
}

TEST(MessageFieldsTest, ReadsKeyValuesAndIds) {
  Event e;
  std::string msg =
      "handled request x_request_id=2b97-31eb status=200 path=\"/a b\" dur_ms=9 note: a=";
  ReadMessageFields(msg, DefaultFieldNames(), &e);
  EXPECT_EQ(e.request_id, "2b97-31eb");
  EXPECT_EQ(e.Attribute("status"), "200");
  EXPECT_EQ(e.Attribute("path"), "/a b");
  EXPECT_EQ(e.Attribute("dur_ms"), "9");
  EXPECT_EQ(e.Attribute("x_request_id"), "");  // it became the request id
  EXPECT_EQ(e.Attribute("a"), "");             // no value
}

TEST(MessageFieldsTest, FirstIdWinsAndLaterOnesStayAttributes) {
  Event e;
  ReadMessageFields("req_id=aaa then request_id=bbb trace_id=ABCDEF0123456789ABCDEF0123456789",
                    DefaultFieldNames(), &e);
  EXPECT_EQ(e.request_id, "aaa");
  EXPECT_EQ(e.Attribute("request_id"), "bbb");
  EXPECT_EQ(e.trace_id, "ABCDEF0123456789ABCDEF0123456789");
}

TEST(MessageFieldsTest, NotKeysAreLeftAlone) {
  Event e;
  ReadMessageFields("GET /q?x=1&y=2 took 3ms; ==> =x 9a=b \"open=quote", DefaultFieldNames(), &e);
  EXPECT_TRUE(e.attrs.empty());
  EXPECT_TRUE(e.request_id.empty());
}

// Random messages of words, key=value tokens with random key spellings and quoted values: the
// planted request id is found under every spelling, and every other token's value is kept.
TEST(MessageFieldsTest, SeededMessages) {
  const char* id_keys[] = {"request_id", "x_request_id", "X-Request-Id", "reqId", "rid.requestId"};
  const char* words[] = {"ok", "failed", "GET", "/api/v1", "took", "(retry)", "a=", "=b"};
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    std::string msg, id = "id-" + std::to_string(rng());
    size_t plant = rng() % 6, kvs = 0;
    for (size_t t = 0; t < 6; ++t) {
      if (!msg.empty()) msg += rng() % 4 ? " " : "\t";
      if (t == plant) {
        msg += std::string(id_keys[rng() % 5]) + "=" + id;
      } else if (rng() % 2) {
        std::string key = "k" + std::to_string(t);
        msg += key + (rng() % 3 ? "=v" + std::to_string(t) : "=\"v " + std::to_string(t) + "\"");
        ++kvs;
      } else {
        msg += words[rng() % 8];
      }
    }
    Event e;
    ReadMessageFields(msg, DefaultFieldNames(), &e);
    EXPECT_EQ(e.request_id, id) << "seed " << seed << ": " << msg;
    size_t keyed = 0;
    for (const Attr& a : e.attrs) keyed += a.key.size() > 1 && a.key[0] == 'k';
    EXPECT_EQ(keyed, kvs) << "seed " << seed << ": " << msg;
  }
}

}  // namespace
}  // namespace inquest
