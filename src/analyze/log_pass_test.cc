// The first pass reads only the attributes it needs (LogPassAttributes, IsLogPassKey), and what
// it concludes is the same as when every attribute is parsed: on seeded records whose request
// ids and change words sit under nested and unlisted keys, in JSON lines and in logfmt.
#include "analyze/log_pass.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace inquest {
namespace {

namespace fs = std::filesystem;

constexpr TimePoint kLogPassStart = 1780063200LL * kNanosPerSecond;  // 2026-05-29T14:00:00Z

// One pass over `path`, with or without the projection; the results as one comparable text.
std::string PassSummary(const std::string& path, bool projected) {
  FormatRegistry registry;
  RequestTable requests;
  LogPassRules rules;
  rules.rate.width_ns = 60 * kNanosPerSecond;
  rules.rate.group_by = "service";
  rules.promoted_id_key = "order_ref";
  rules.requests = &requests;
  std::unique_ptr<KeyIndex> wanted = LogPassAttributes(rules);
  LoadOptions load;
  if (projected) {
    load.attributes = wanted.get();
    load.attribute_test = &IsLogPassKey;
  }
  LogPassSink file(rules);
  ScanSinks sinks;
  sinks.make = [&] { return std::make_unique<LogPassSink>(rules); };
  sinks.merge = [&](std::unique_ptr<RecordSink> s, uint64_t base) {
    EXPECT_TRUE(file.Merge(std::move(static_cast<LogPassSink&>(*s)), base).ok());
  };
  ScanReport report;
  EXPECT_TRUE(ScanLogFile(path, 0, registry, load, 2, sinks, &report).ok());
  file.Flush();
  std::string out = fmt::format("records {} with ids {}\n", report.records, file.with_request_id);
  for (const RecordPlace& p : file.change_places) out += fmt::format("change at line {}\n", p.line);
  for (const auto& [w, span] : file.index)
    out += fmt::format("window {}: {} records from {}\n", w, span.records, span.begin);
  uint64_t failed = 0, total = 0, hash_sum = 0;
  EXPECT_TRUE(requests
                  .ForEach([&](const RequestOutcome& r) {
                    ++total;
                    failed += r.failed();
                    hash_sum += r.id_hash ^ static_cast<uint64_t>(r.first);
                  })
                  .ok());
  out += fmt::format("requests {} failed {} sum {}\n", total, failed, hash_sum);
  return out;
}

// Records of several shapes: the id under a role key, under nested keys, under the promoted
// key or only in the message; change words in the message or under an error-text key; other
// attributes the pass does not read.
std::string MakeRecords(uint64_t seed, bool logfmt) {
  std::mt19937_64 rng(seed);
  const char* id_keys[] = {"request_id", "ctx.req_id",        "attributes.request_id",
                           "order_ref",  "http.x_request_id", "none"};
  const char* texts[] = {"served", "deployed api v1.2", "rolled back config", "cache miss"};
  std::string out;
  for (int i = 0; i < 30000; ++i) {
    TimePoint t = kLogPassStart + static_cast<TimePoint>(i) * 97 * kNanosPerMilli;
    const char* key = id_keys[rng() % std::size(id_keys)];
    std::string id = fmt::format("r{}", rng() % 9000);
    const char* level = rng() % 10 == 0 ? "error" : "info";
    const char* text = texts[rng() % std::size(texts)];
    const char* err_text = texts[rng() % std::size(texts)];
    bool err = rng() % 4 == 0;
    std::string msg =
        std::string(text) + (key == std::string_view("none") ? " request_id=" + id : "");
    if (logfmt) {
      out += fmt::format("ts={} level={} service=api msg=\"{}\" {}={} path=/p/{} bytes={}",
                         FormatTime(t, 3), level, msg, key, id, rng() % 50, rng() % 9000);
      if (err) out += fmt::format(" error.message=\"{}\"", err_text);
    } else {
      out += fmt::format(R"({{"ts":"{}","level":"{}","service":"api","msg":"{}","{}":"{}",)"
                         R"("path":"/p/{}","user":{{"tier":"gold","n":{}}})",
                         FormatTime(t, 3), level, msg, key, id, rng() % 50, rng() % 9000);
      if (err) out += fmt::format(R"(,"err":"{}")", err_text);
      out += "}";
    }
    out += '\n';
  }
  return out;
}

TEST(LogPassTest, KeysTheProjectionReadsBeyondItsList) {
  EXPECT_TRUE(IsLogPassKey("error.message"));
  EXPECT_TRUE(IsLogPassKey("exception.type"));
  EXPECT_TRUE(IsLogPassKey("err"));
  EXPECT_TRUE(IsLogPassKey("ctx.req_id"));
  EXPECT_TRUE(IsLogPassKey("a.b.request_id"));
  EXPECT_FALSE(IsLogPassKey("path"));
  EXPECT_FALSE(IsLogPassKey("user.tier"));
  EXPECT_FALSE(IsLogPassKey("request_id_len"));
  LogPassRules rules;
  rules.promoted_id_key = "order_ref";
  std::unique_ptr<KeyIndex> keys = LogPassAttributes(rules);
  ASSERT_NE(keys, nullptr);
  EXPECT_TRUE(keys->Contains("order_ref"));
  EXPECT_TRUE(keys->Contains("req_id"));
  EXPECT_TRUE(keys->Contains("latency_ms"));
  EXPECT_FALSE(keys->Contains("path"));
}

TEST(LogPassTest, TheProjectionConcludesWhatAFullParseDoes) {
  fs::path dir = fs::temp_directory_path() / ("inquest-logpass-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (bool logfmt : {false, true}) {
    for (uint64_t seed : {1u, 2u, 3u}) {
      std::string path = (dir / fmt::format("s{}.{}", seed, logfmt ? "log" : "jsonl")).string();
      std::ofstream(path, std::ios::binary) << MakeRecords(seed, logfmt);
      std::string full = PassSummary(path, false);
      std::string projected = PassSummary(path, true);
      ASSERT_EQ(projected, full) << path;
      // The records do hold what the pass looks for.
      EXPECT_NE(full.find("change at line"), std::string::npos);
      EXPECT_EQ(full.find("with ids 0\n"), std::string::npos);
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inquest
