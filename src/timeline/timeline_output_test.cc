#include "timeline/timeline_output.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "logs/registry.h"

namespace inquest {
namespace {

// Records as the example bundle's services write them.
constexpr std::string_view kCheckoutTimeout =
    R"({"ts":"2026-05-29T14:11:12.140Z","level":"error","msg":"pricing.fetch.timeout","service":"checkout","request_id":"7af3c2","after":"4019ms","endpoint":"/cart/checkout","pod":"checkout-7c9f6d-p9d3x","version":"v2.317"})";
constexpr std::string_view kPricingError =
    R"(ts=2026-05-29T14:11:12.141Z level=error service=pricing msg="db pool acquire timeout" pool=pricing-db reason="context deadline exceeded" request_id=7af3c2)";

class TimelineOutputTest : public ::testing::Test {
 protected:
  Event Parse(std::string_view format, std::string_view line) {
    Event e;
    std::string why;
    ParseContext ctx;
    ctx.arena = &arena_;
    EXPECT_EQ(registry_.Find(format)->ParseLine(line, ctx, &e, &why), LineKind::kRecord) << why;
    return e;
  }
  std::string Render(const std::vector<Event>& events, const TimelineStyle& style) {
    std::vector<RequestStep> steps;
    for (const Event& e : events) steps.push_back({&e, 0, false});
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* out = open_memstream(&buf, &len);
    WriteTimeline(out, steps, style);
    std::fclose(out);
    std::string text(buf, len);
    std::free(buf);
    return text;
  }

  FormatRegistry registry_;
  Arena arena_;
};

TEST_F(TimelineOutputTest, AttributesFollowTheMessageWithoutTheMatchedId) {
  Event e = Parse("jsonl", kCheckoutTimeout);
  EXPECT_EQ(AttrText(e, "7af3c2"),
            "after=4019ms endpoint=/cart/checkout version=v2.317 host=checkout-7c9f6d-p9d3x");
  // Without a matched id the request id is an attribute like the others.
  EXPECT_NE(AttrText(e, "").find("request_id=7af3c2"), std::string::npos);
  // Time, level, service and message are columns of their own, never repeated.
  std::string all = AttrText(e, "");
  for (std::string_view shown : {"ts=", "level=", "service=", "msg=", "pricing.fetch.timeout"})
    EXPECT_EQ(all.find(shown), std::string::npos) << shown;
}

TEST_F(TimelineOutputTest, ValuesWithSpacesAreQuoted) {
  Event e = Parse("logfmt", kPricingError);
  EXPECT_EQ(AttrText(e, "7af3c2"), R"(pool=pricing-db reason="context deadline exceeded")");
}

TEST_F(TimelineOutputTest, ValuesTheMessageShowsAreNotRepeated) {
  Event e = Parse(
      "access",
      R"(10.0.3.220 - - [29/May/2026:14:11:12 +0000] "POST /cart/checkout HTTP/1.1" 504 167 "-" "curl/8.5")");
  std::string attrs = AttrText(e, "");
  EXPECT_EQ(e.message, "POST /cart/checkout HTTP/1.1");
  for (std::string_view shown : {"method=", "path=", "protocol="})
    EXPECT_EQ(attrs.find(shown), std::string::npos) << attrs;
  EXPECT_NE(attrs.find("status=504"), std::string::npos) << attrs;
}

TEST_F(TimelineOutputTest, TextLineCarriesAttributesCutToTheWidth) {
  std::vector<Event> events = {Parse("jsonl", kCheckoutTimeout)};
  TimelineStyle style;
  style.paths = {"pods/checkout.log"};
  style.hide_value = "7af3c2";
  std::string unlimited = Render(events, style);
  EXPECT_NE(unlimited.find("pricing.fetch.timeout  after=4019ms endpoint=/cart/checkout"),
            std::string::npos)
      << unlimited;
  EXPECT_NE(unlimited.find("host=checkout-7c9f6d-p9d3x  [pods/checkout.log: byte 0]"),
            std::string::npos)
      << unlimited;

  style.width = 110;
  std::string cut = Render(events, style);
  ASSERT_FALSE(cut.empty());
  std::string line = cut.substr(0, cut.find('\n'));
  size_t columns = 0;
  for (unsigned char c : line) columns += (c & 0xC0) != 0x80;
  EXPECT_LE(columns, 110u) << line;
  EXPECT_NE(line.find("after=4019ms"), std::string::npos) << line;
  EXPECT_NE(line.find("…  [pods/checkout.log: byte 0]"), std::string::npos) << line;

  // Too narrow for a useful stub: the attributes go, the message and source stay.
  style.width = 70;
  line = Render(events, style);
  EXPECT_EQ(line.find("after="), std::string::npos) << line;
  EXPECT_NE(line.find("pricing.fetch.timeout  [pods/checkout.log: byte 0]"), std::string::npos)
      << line;
}

TEST_F(TimelineOutputTest, JsonAttrsKeepTheirNamesAndOrder) {
  Event e = Parse("jsonl", kCheckoutTimeout);
  JsonWriter w(JsonStyle::kLine);
  WriteEventJson(w, e, "pods/checkout.log");
  std::string json = w.Take().str();
  EXPECT_NE(json.find(R"("attrs": {"host": "checkout-7c9f6d-p9d3x", "request_id": "7af3c2", )"
                      R"("after": "4019ms")"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace inquest
