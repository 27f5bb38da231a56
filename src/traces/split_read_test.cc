// A JSON-lines export large enough to be read as two halves on two threads must give exactly
// what one pass gives: every span once, with its own attributes, events and byte offset.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "traces/span_set.h"

namespace inquest {
namespace {

// One OTLP document per line; span i has attribute n=i and one event named e<i>.
std::string OtlpLines(size_t bytes_at_least, size_t* count) {
  std::string out;
  size_t i = 0;
  while (out.size() < bytes_at_least) {
    out += fmt::format(
        R"({{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":)"
        R"({{"stringValue":"svc{}"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"{:032x}",)"
        R"("spanId":"{:016x}","name":"op","startTimeUnixNano":"{}","endTimeUnixNano":"{}",)"
        R"("attributes":[{{"key":"n","value":{{"intValue":"{}"}}}}],)"
        R"("events":[{{"name":"e{}","timeUnixNano":"{}"}}]}}]}}]}}]}})"
        "\n",
        i % 4, i / 8 + 1, i + 1, 1'700'000'000'000'000'000 + i * 1000,
        1'700'000'000'000'000'500 + i * 1000, i, i, 1'700'000'000'000'000'100 + i * 1000);
    ++i;
  }
  *count = i;
  return out;
}

TEST(SplitRead, LargeJsonLinesFileReadsEverySpanOnceWithItsOwnAttributes) {
  size_t count = 0;
  // Past the two-thread threshold (64 MiB).
  std::string data = OtlpLines(72u << 20, &count);
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("big.jsonl", data, &set).ok());
  ASSERT_EQ(set.spans.size(), count);
  ASSERT_EQ(set.files.size(), 1u);
  EXPECT_EQ(set.files[0].spans, count);
  EXPECT_EQ(set.issue_count, 0u);
  std::vector<bool> seen(count);
  for (const Span& s : set.spans) {
    size_t i = s.span_id - 1;
    ASSERT_LT(i, count);
    EXPECT_FALSE(seen[i]) << "span " << i << " read twice";
    seen[i] = true;
    EXPECT_EQ(set.Attribute(s, "n"), std::to_string(i));
    ASSERT_EQ(set.EventsOf(s).size(), 1u);
    EXPECT_EQ(set.EventsOf(s)[0].name, "e" + std::to_string(i));
    EXPECT_EQ(s.file, 0u);
    // The offset points at the span's own line.
    size_t line = data.rfind('\n', s.offset);
    line = line == std::string::npos ? 0 : line + 1;
    EXPECT_NE(data.substr(line, data.find('\n', line) - line).find(fmt::format("{:016x}", i + 1)),
              std::string::npos);
  }
}

TEST(SplitRead, ABrokenLineInTheSecondHalfIsReportedAsInOnePass) {
  size_t count = 0;
  std::string data = OtlpLines(72u << 20, &count);
  size_t cut = data.rfind('\n', data.size() - 2);
  data.resize(cut + 40);  // the last line breaks off
  SpanSet set;
  ASSERT_TRUE(ReadTraceBytes("cut.jsonl", data, &set).ok());
  EXPECT_EQ(set.spans.size(), count - 1);
  EXPECT_GE(set.issue_count, 1u);
}

}  // namespace
}  // namespace inquest
