#include "logs/field_inference.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "logs/formats.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {
namespace {

// A seeded generator of structured logs whose keys have made-up names (never on the known
// list), nested at random depths, with times in random zones and epoch units, plus distractor
// keys that look like roles but are not (an unrelated time that jumps, a small category).
struct FieldTruth {
  TimePoint time;
  Level level;
  std::string request, trace, span;
};

struct GeneratedLog {
  std::string text;
  bool logfmt = false;
  std::vector<FieldTruth> truth;
  std::string time_key, level_key, request_key, trace_key, span_key;
};

std::string RandomName(std::mt19937_64& rng) {
  static constexpr std::string_view kSyllables[] = {"zo",  "qua", "mer", "vik", "lun",
                                                    "pax", "dor", "fen", "gil", "wex"};
  std::string s;
  int n = 2 + static_cast<int>(rng() % 2);
  for (int i = 0; i < n; ++i) s += kSyllables[rng() % std::size(kSyllables)];
  return s;
}

// (Indexing a conditional choice of two string literals, `(upper ? "..." : "...")[i]`, is
// miscompiled by GCC 12 at -O2 with -fsanitize=address,undefined and -march=x86-64-v3: every
// digit came out the same. Hence two named tables and a pointer.)
std::string Hex(std::mt19937_64& rng, size_t n, bool upper) {
  static constexpr char kLower[] = "0123456789abcdef";
  static constexpr char kUpper[] = "0123456789ABCDEF";
  const char* digits = upper ? kUpper : kLower;
  std::string s(n, '0');
  for (char& c : s) c = digits[rng() % 16];
  return s;
}

// The time in one of the written forms; `epoch_unit` 0 means ISO text with an offset.
std::string WriteTime(TimePoint t, int form, int offset_minutes) {
  switch (form) {
    case 1:
      return std::to_string(t / kNanosPerSecond);
    case 2:
      return std::to_string(t / kNanosPerMilli);
    case 3:
      return std::to_string(t / 1000);
    case 4:
      return std::to_string(t);
    default:
      break;
  }
  // ISO with an offset: the local wall clock plus "+hh:mm".
  TimePoint local = t + offset_minutes * 60 * kNanosPerSecond;
  std::string iso = FormatTime(local, 3);
  iso.pop_back();  // its "Z"
  if (offset_minutes == 0) return iso + "Z";
  int m = std::abs(offset_minutes);
  return iso + fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

// Precision the written form keeps, for comparing.
TimePoint Truncate(TimePoint t, int form) {
  switch (form) {
    case 1:
      return t / kNanosPerSecond * kNanosPerSecond;
    case 2:
    case 0:
      return t / kNanosPerMilli * kNanosPerMilli;
    case 3:
      return t / 1000 * 1000;
    default:
      return t;
  }
}

GeneratedLog Generate(uint64_t seed) {
  std::mt19937_64 rng(seed);
  GeneratedLog g;
  g.logfmt = rng() % 2;
  // Nesting only in JSON: "a.b.c" paths.
  std::vector<std::string> used;
  auto key = [&](void) {
    std::string k;
    do {
      k = RandomName(rng);
    } while (std::find(used.begin(), used.end(), k) != used.end());
    used.push_back(k);
    // Distinct parents, so two nested keys never share an object.
    if (!g.logfmt && rng() % 2) k = RandomName(rng) + std::to_string(used.size()) + "." + k;
    return k;
  };
  g.time_key = key();
  g.level_key = key();
  g.request_key = key();
  g.trace_key = key();
  g.span_key = key();
  const std::string other_time = key() + "x";
  const std::string category = key() + "y";
  const int form = static_cast<int>(rng() % 5);
  static constexpr int kOffsets[] = {0, 60, -300, 330, -210, 545};
  const int offset = kOffsets[rng() % std::size(kOffsets)];
  static constexpr std::string_view kLevels[] = {"INFO", "warn", "error", "debug", "Info"};
  TimePoint t = 1780000000LL * kNanosPerSecond + static_cast<int64_t>(rng() % 1000000) * 1000;
  const int records = 60 + static_cast<int>(rng() % 200);
  std::string request, trace;
  for (int i = 0; i < records; ++i) {
    if (i % 4 == 0) {  // a new request every few lines: ids recur
      request = fmt::format("rq{}-{}", rng() % 100000, Hex(rng, 6, false));
      trace = Hex(rng, 32, rng() % 3 == 0);
    }
    t += static_cast<int64_t>(rng() % 2000) * kNanosPerMilli;
    std::string_view level_text = kLevels[rng() % std::size(kLevels)];
    FieldTruth tr{Truncate(t, form), ParseLevel(level_text), request, trace, Hex(rng, 16, false)};
    std::vector<std::pair<std::string, std::string>> kv = {
        {g.time_key, WriteTime(t, form, offset)},
        {g.level_key, std::string(level_text)},
        {"msg", fmt::format("step {} done", i)},
        {g.request_key, request},
        {g.trace_key, trace},
        {g.span_key, tr.span},
        {other_time,
         WriteTime(t + static_cast<int64_t>(rng() % 100000000) * kNanosPerSecond, 0, 0)},
        {category, fmt::format("c{}", rng() % 2)},
    };
    std::shuffle(kv.begin(), kv.end(), rng);
    if (g.logfmt) {
      std::string line;
      for (auto& [k, v] : kv) line += fmt::format("{}{}=\"{}\"", line.empty() ? "" : " ", k, v);
      g.text += line + "\n";
    } else {
      std::string line = "{";
      bool numeric = form != 0;
      for (auto& [k, v] : kv) {
        std::string value = (k == g.time_key && numeric) ? v : "\"" + v + "\"";
        // Nested keys are written as objects.
        size_t dot = k.find('.');
        if (dot == std::string::npos)
          line += fmt::format("{}\"{}\":{}", line.size() > 1 ? "," : "", k, value);
        else
          line += fmt::format("{}\"{}\":{{\"{}\":{}}}", line.size() > 1 ? "," : "",
                              k.substr(0, dot), k.substr(dot + 1), value);
      }
      g.text += line + "}\n";
    }
    g.truth.push_back(std::move(tr));
  }
  return g;
}

TEST(FieldInferenceTest, GeneratedLogsWithUnknownKeysReadFully) {
  FormatRegistry registry;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    GeneratedLog g = Generate(seed);
    Result<std::unique_ptr<LogFile>> f =
        LoadLogFile(InputFile::FromString(g.text, g.logfmt ? "a.log" : "a.jsonl"), 0, registry, {});
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    const LogFile& file = **f;
    EXPECT_EQ(file.format->name(), g.logfmt ? "logfmt" : "jsonl");
    ASSERT_EQ(file.events.size(), g.truth.size());
    EXPECT_EQ(file.stats.without_time, 0u);
    for (size_t i = 0; i < g.truth.size(); ++i) {
      const Event& e = file.events[i];
      const FieldTruth& t = g.truth[i];
      ASSERT_EQ(e.time, t.time) << "line " << i + 1 << ": " << FormatTime(e.time) << " vs "
                                << FormatTime(t.time) << "\n"
                                << e.raw;
      EXPECT_EQ(e.level, t.level) << "line " << i + 1;
      EXPECT_EQ(e.request_id, t.request) << "line " << i + 1;
      EXPECT_EQ(e.trace_id, t.trace) << "line " << i + 1;
      EXPECT_EQ(e.span_id, t.span) << "line " << i + 1;
    }
  }
}

TEST(FieldInferenceTest, KnownNamesThatFitAreKept) {
  std::string text;
  for (int i = 0; i < 20; ++i)
    text += fmt::format(
        "{{\"ts\":\"2026-05-29T14:11:{:02}Z\",\"level\":\"info\",\"msg\":\"m\",\"when\":\"2020-01-"
        "{:02}T00:00:00Z\"}}\n",
        i, i + 1);
  std::unique_ptr<LogFormat> json = NewJsonLinesFormat();
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  FieldInference fi = InferFields(*json, text, ctx);
  EXPECT_TRUE(fi.found.empty());
  EXPECT_EQ(fi.names, nullptr);
}

// 16 hex digits under a key named for neither: a request id when the file has no trace id (a
// span id belongs with one), a span id beside a trace id.
TEST(FieldInferenceTest, SixteenHexIsASpanOnlyBesideATrace) {
  auto infer = [](bool with_trace) {
    std::string text;
    for (int i = 0; i < 40; ++i)
      text += fmt::format(
          "{{\"eventTime\":\"2026-01-18T13:55:{:02}.357+05:30\",\"severity\":30,\"message\":"
          "\"request {}\",{}\"ctx_id\":\"a7a8ee564023cd{:02x}\"}}\n",
          i, i % 2 ? "completed" : "started",
          with_trace ? fmt::format("\"tid\":\"4bf92f3577b34da6a3ce929d0e0e{:04x}\",", i / 2) : "",
          i / 2);
    std::unique_ptr<LogFormat> json = NewJsonLinesFormat();
    Arena arena;
    ParseContext ctx;
    ctx.arena = &arena;
    FieldInference fi = InferFields(*json, text, ctx);
    FieldRole role = FieldRole::kNone;
    for (const InferredField& f : fi.found)
      if (f.key == "ctx_id") role = f.role;
    return role;
  };
  EXPECT_EQ(infer(false), FieldRole::kRequestId);
  EXPECT_EQ(infer(true), FieldRole::kSpanId);
}

TEST(FieldInferenceTest, EcsAndOpenTelemetryNames) {
  std::string text;
  for (int i = 0; i < 12; ++i)
    text += fmt::format(
        "{{\"@timestamp\":\"2026-05-29T15:11:{:02}.5+01:00\",\"log\":{{\"level\":\"WARN\"}},"
        "\"service\":{{\"name\":\"pay\"}},\"trace\":{{\"id\":\"4BF92F3577B34DA6A3CE929D0E0E{:04}\"}"
        "},"
        "\"attributes\":{{\"Request-ID\":\"r-{}\"}},\"message\":\"x\"}}\n",
        i, i, i / 3);
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f =
      LoadLogFile(InputFile::FromString(text, "ecs.json"), 0, registry, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const Event& e = (*f)->events[4];
  EXPECT_EQ(FormatTime(e.time, 1), "2026-05-29T14:11:04.5Z");
  EXPECT_EQ(e.level, Level::kWarn);
  EXPECT_EQ(e.service, "pay");
  EXPECT_EQ(e.trace_id, "4BF92F3577B34DA6A3CE929D0E0E0004");
  EXPECT_EQ(e.request_id, "r-1");
}

TEST(FieldInferenceTest, LogfmtTimeUnderUnknownKey) {
  // The nine-line request whose time sits under a key no list names.
  std::string text;
  for (int i = 0; i < 9; ++i)
    text += fmt::format("at=2026-05-29T14:11:0{}.{}Z lvl=info req=req-7 msg=\"step {}\"\n", i,
                        100 + i, i);
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f =
      LoadLogFile(InputFile::FromString(text, "svc.log"), 0, registry, {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->stats.without_time, 0u);
  ASSERT_EQ((*f)->events.size(), 9u);
  EXPECT_EQ(FormatTime((*f)->events[8].time, 3), "2026-05-29T14:11:08.108Z");
  ASSERT_FALSE((*f)->inferred_fields.empty());
  EXPECT_EQ((*f)->inferred_fields[0].key, "at");
}

// Pino and bunyan write numeric levels; under a key no list names, the numbers themselves
// (several of 10 .. 60) make it the level.
TEST(FieldInferenceTest, PinoNumericLevelsUnderAnUnknownKey) {
  std::string text;
  const int sev[] = {30, 20, 30, 50, 30, 40, 30, 30};
  for (int i = 0; i < 8; ++i)
    text += fmt::format("{{\"when\":{}.{},\"sev\":{},\"log\":\"step {}\",\"requestId\":\"r{}\"}}\n",
                        1782026280 + i, 100 + i, sev[i], i, i / 2);
  FormatRegistry registry;
  Result<std::unique_ptr<LogFile>> f =
      LoadLogFile(InputFile::FromString(text, "svc.log"), 0, registry, {});
  ASSERT_TRUE(f.ok());
  ASSERT_EQ((*f)->events.size(), 8u);
  EXPECT_EQ((*f)->events[3].level, Level::kError);
  EXPECT_EQ((*f)->events[5].level, Level::kWarn);
  EXPECT_EQ((*f)->events[1].level, Level::kDebug);
  // One constant number is no level: a key holding only 30 stays an attribute.
  std::string constant;
  for (int i = 0; i < 8; ++i)
    constant += fmt::format("{{\"when\":{}.5,\"shard\":30,\"log\":\"step\"}}\n", 1782026280 + i);
  Result<std::unique_ptr<LogFile>> c =
      LoadLogFile(InputFile::FromString(constant, "svc.log"), 0, registry, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->events[0].level, Level::kUnknown);
  EXPECT_EQ((*c)->events[0].Attribute("shard"), "30");
}

TEST(FieldInferenceTest, UnreadableHeadFindsNothing) {
  std::unique_ptr<LogFormat> json = NewJsonLinesFormat();
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  EXPECT_TRUE(InferFields(*json, "not json\n\x01\x02\n", ctx).found.empty());
  EXPECT_TRUE(InferFields(*json, "", ctx).found.empty());
}

}  // namespace
}  // namespace inquest
