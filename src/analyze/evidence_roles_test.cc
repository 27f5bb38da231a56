// Bundles written by other tools, generated with a seed: an ECS-style application log whose
// messages mention deploys and config, a CSV change export with shuffled columns and quoted
// commas and newlines holding the real trigger, a help-desk ticket export and an Alertmanager
// webhook. Every file must be taken for what it is, the CSV trigger ranked first, and the
// customer ticket before the first alert seen as detection by a customer.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "analyze/analysis.h"

namespace inquest {
namespace {

constexpr int64_t kBase = 1780063200;  // 2026-05-29T14:00:00Z
constexpr int kOnsetMinute = 12;

std::string Iso(int64_t s, int ms = 0, bool plus_one = false) {
  std::string t = FormatTime(((plus_one ? s + 3600 : s) * 1000 + ms) * 1000000, 3);
  return plus_one ? t.substr(0, t.size() - 1) + "+01:00" : t;
}

void Write(const std::filesystem::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

std::filesystem::path MakeBundle(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("inquest-roles-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "exports");
  // The application log: 20 minutes at ~4 lines a second; errors from the onset.
  std::string log;
  const char* msgs[] = {"request ok", "deploy hook finished for v2.3.1",
                        "config reloaded from /etc/checkout.yaml", "flag cart_v2 evaluated"};
  for (int i = 0; i < 20 * 60 * 4; ++i) {
    int64_t s = kBase + i / 4;
    bool err = s >= kBase + kOnsetMinute * 60 && pick(0, 9) < 4;
    log += fmt::format(
        R"({{"@timestamp":"{}","log.level":"{}","message":"{}","service.name":"checkout",)"
        R"("trace.id":"{:016x}{:016x}","ecs.version":"8.11.0"}})"
        "\n",
        Iso(s, (i % 4) * 250, true), err ? "error" : "info",
        err ? "request failed: db: acquire conn: context deadline exceeded" : msgs[pick(0, 3)],
        rng(), rng());
  }
  Write(dir / "app.json", log);
  // The change export: the trigger 90 s before the onset, decoys earlier.
  std::vector<std::string> cols = {"Deployed At", "Application", "Release", "Description",
                                   "Change ID"};
  std::vector<size_t> order = {0, 1, 2, 3, 4};
  std::shuffle(order.begin(), order.end(), rng);
  struct Row {
    int64_t t;
    std::string app, rel, desc, id;
  };
  std::vector<Row> rows = {
      {kBase - 5 * 3600, "checkout", "v2.316", "\"routine, weekly\"", "CHG-1"},
      {kBase - 3600, "search", "v3.1.0", "\"rerank, canary\"", "CHG-2"},
      {kBase + kOnsetMinute * 60 - 90, "checkout", "v2.317",
       "\"db pool max_open 50 -> 5, \"\"tuning\"\"\nrequested by perf\"", "CHG-3"},
      {kBase + kOnsetMinute * 60 - 600, "cart", "v1.2.0", "cart", "CHG-4"}};
  std::string csv;
  for (size_t i = 0; i < order.size(); ++i) csv += (i ? "," : "") + cols[order[i]];
  csv += "\n";
  for (const Row& r : rows) {
    std::vector<std::string> cells = {Iso(r.t), r.app, r.rel, r.desc, r.id};
    for (size_t i = 0; i < order.size(); ++i) csv += (i ? "," : "") + cells[order[i]];
    csv += "\n";
  }
  Write(dir / "exports" / "export-1.csv", csv);
  // The help desk: a customer ticket a minute after the onset, seven before the alert.
  Write(
      dir / "exports" / "export-2.json",
      fmt::format(R"({{"id":4411,"created_at":"{}","subject":"Checkout spins, card charged?",)"
                  R"("status":"open","priority":"urgent","requester":{{"email":"c@example.com"}},)"
                  R"("via":{{"channel":"email"}}}})"
                  "\n",
                  Iso(kBase + (kOnsetMinute + 1) * 60)));
  Write(dir / "exports" / "export-3.json",
        fmt::format(R"({{"receiver":"pager","status":"firing","alerts":[{{"status":"firing",)"
                    R"("labels":{{"alertname":"CheckoutErrors","service":"checkout"}},)"
                    R"("annotations":{{"summary":"5xx above 5%"}},"startsAt":"{}",)"
                    R"("endsAt":"0001-01-01T00:00:00Z"}}],"version":"4"}})"
                    "\n",
                    Iso(kBase + (kOnsetMinute + 8) * 60)));
  return dir;
}

TEST(EvidenceRolesTest, ForeignBundlesAreReadForWhatTheyAre) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    std::filesystem::path dir = MakeBundle(seed);
    AnalyzeOptions opts;
    opts.dir = dir.string();
    Result<Analysis> r = AnalyzeBundle(opts, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const Analysis& a = *r;
    std::map<std::string, std::string> taken;
    for (const InputReport& in : a.inputs) taken[in.relative] = TakenForName(in.kind, in.detection);
    EXPECT_EQ(taken["app.json"], "log");
    EXPECT_EQ(taken["exports/export-1.csv"], "changes");
    EXPECT_EQ(taken["exports/export-2.json"], "ticket records");
    EXPECT_EQ(taken["exports/export-3.json"], "alert records");
    ASSERT_FALSE(a.ranked.empty());
    EXPECT_NE(a.ranked[0].change.what.find("max_open"), std::string::npos)
        << "seed " << seed << ": " << a.ranked[0].change.what << " " << a.ranked[0].change.source;
    EXPECT_EQ(a.ranked[0].change.source.substr(0, 20), "exports/export-1.csv");
    ASSERT_GE(a.first_signal, 0);
    const Signal& first = a.signals[a.first_signal];
    EXPECT_EQ(first.kind, Signal::Kind::kTicket);
    EXPECT_TRUE(first.from_customer);
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace inquest
