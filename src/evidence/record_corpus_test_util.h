// A seeded generator of evidence files for the record-role tests: change exports (JSON lines
// with varied field names, CSV with shuffled columns and quoted commas and newlines, flag
// histories), application logs that mention deploys, config and flags, and alert, page,
// ticket and chat exports in the shapes their tools write. Each file comes with its truth.
#ifndef INQUEST_EVIDENCE_RECORD_CORPUS_TEST_UTIL_H_
#define INQUEST_EVIDENCE_RECORD_CORPUS_TEST_UTIL_H_

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/time.h"

namespace inquest::testing {

enum class Truth { kLog, kChanges, kAlert, kPage, kTicket, kChat };

struct GeneratedFile {
  std::string name;  // what the generator made, for failure messages
  std::string data;
  Truth truth;
  bool log_format_fits = false;  // one JSON object per line: a JSON-lines log reader reads it
};

class RecordCorpus {
 public:
  explicit RecordCorpus(uint32_t seed) : rng_(seed) {}

  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng_)];
  }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Int(0, 1) == 1; }

  // A time in one of the written forms exports use, `t` seconds after a base.
  std::string Time(int64_t t, int form) {
    const int64_t base = 1780063200;  // 2026-05-29T14:00:00Z
    int64_t s = base + t;
    switch (form % 5) {
      case 0:
        return FormatTime(s * kNanosPerSecond, 0);
      case 1:
        return FormatTime(s * kNanosPerSecond, 3);
      case 2:
        return fmt::format("{}", s);
      case 3:
        return fmt::format("{}", s * 1000 + Int(0, 999));
      default: {
        // "+01:00": the local time one hour ahead.
        std::string z = FormatTime((s + 3600) * kNanosPerSecond, 0);
        return z.substr(0, z.size() - 1) + "+01:00";
      }
    }
  }
  std::string Q(const std::string& s) { return "\"" + s + "\""; }
  std::string Hex(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "0123456789abcdef"[Int(0, 15)];
    return out;
  }
  std::string Service() {
    return Pick(std::vector<std::string>{"checkout", "payments-api", "inventory", "search", "recs",
                                         "auth-service", "cart"});
  }

  GeneratedFile ChangesJsonLines();
  GeneratedFile ChangesCsv();
  GeneratedFile FlagHistory();
  GeneratedFile GitLog();
  GeneratedFile AppLogJson();
  GeneratedFile AlertmanagerWebhook();
  GeneratedFile AlertmanagerApi();
  GeneratedFile AlertLines();
  GeneratedFile PagerDutyLogEntries();
  GeneratedFile OpsgenieLogs();
  GeneratedFile TicketsJson();
  GeneratedFile TicketsCsv();
  GeneratedFile SlackExport();

  // Every generator once.
  std::vector<GeneratedFile> All() {
    return {ChangesJsonLines(),    ChangesCsv(),          FlagHistory(),     GitLog(),
            AppLogJson(),          AlertmanagerWebhook(), AlertmanagerApi(), AlertLines(),
            PagerDutyLogEntries(), OpsgenieLogs(),        TicketsJson(),     TicketsCsv(),
            SlackExport()};
  }

 private:
  std::mt19937 rng_;
};

inline GeneratedFile RecordCorpus::ChangesJsonLines() {
  // Field names vary per file; a file keeps its names (an export is written by one tool).
  std::string tk = Pick(std::vector<std::string>{"time", "ts", "timestamp", "created_at",
                                                 "occurred", "happenedAt", "event_time"});
  std::string sk = Pick(std::vector<std::string>{"service", "app", "component", "svc", "system"});
  std::string kk = Pick(std::vector<std::string>{"type", "kind", "action", "change_type", "op"});
  std::string vk = Pick(std::vector<std::string>{"version", "tag", "release", "image", "build"});
  std::string dk = Pick(std::vector<std::string>{"summary", "description", "note", "details"});
  int form = Int(0, 4);
  GeneratedFile f{"changes-jsonl", "", Truth::kChanges, true};
  int64_t t = Int(0, 600);
  int n = Int(4, 30);
  for (int i = 0; i < n; ++i) {
    t += Int(120, 7200);
    std::string svc = Service();
    std::string ver =
        fmt::format("{}{}.{}.{}", Coin() ? "v" : "", Int(1, 3), Int(0, 40), Int(0, 9));
    if (vk == "image") ver = fmt::format("registry.local/{}:{}", svc, ver);
    std::string kind = Pick(std::vector<std::string>{
        "deploy", "rollback", "config_change", "flag_update", "migration", "deployment", "scale"});
    std::string line = fmt::format("{{{}: {}, {}: {}, {}: {}", Q(tk),
                                   form >= 2 && form <= 3 ? Time(t, form) : Q(Time(t, form)), Q(sk),
                                   Q(svc), Q(kk), Q(kind));
    if (kind == "deploy" || kind == "rollback" || kind == "deployment" || Coin())
      line += fmt::format(", {}: {}", Q(vk), Q(ver));
    if (kind == "flag_update")
      line += fmt::format(", \"rollout\": \"{}%\"", Pick(std::vector<int>{5, 10, 25, 50, 100}));
    if (Coin())
      line += fmt::format(", {}: {}", Q(dk),
                          Q(fmt::format("{} {} by {}, ticket CHG-{}", kind, svc,
                                        Pick(std::vector<std::string>{"deploy-bot", "alice", "ci"}),
                                        Int(100, 999))));
    if (Coin())
      line +=
          fmt::format(", \"actor\": {}", Q(Pick(std::vector<std::string>{"deploy-bot", "bob"})));
    f.data += line + "}\n";
  }
  return f;
}

inline GeneratedFile RecordCorpus::ChangesCsv() {
  std::vector<std::string> cols = {
      Pick(std::vector<std::string>{"Time", "When (UTC)", "occurred", "Deployed At", "date"}),
      Pick(std::vector<std::string>{"Service", "Application", "target", "System"}),
      Pick(std::vector<std::string>{"Type", "Change Type", "Category", "action"}),
      Pick(std::vector<std::string>{"Version", "Release", "tag", "artifact"}),
      Pick(std::vector<std::string>{"Description", "Summary", "Notes", "Change"}),
      Pick(std::vector<std::string>{"Commit", "SHA", "revision"})};
  std::vector<size_t> order = {0, 1, 2, 3, 4, 5};
  std::shuffle(order.begin(), order.end(), rng_);
  GeneratedFile f{"changes-csv", "", Truth::kChanges, false};
  for (size_t i = 0; i < order.size(); ++i) f.data += (i ? "," : "") + cols[order[i]];
  f.data += Coin() ? "\r\n" : "\n";
  int64_t t = Int(0, 600);
  int n = Int(3, 25);
  int form = Pick(std::vector<int>{0, 1, 4});
  for (int i = 0; i < n; ++i) {
    t += Int(300, 9000);
    std::string svc = Service();
    std::string kind =
        Pick(std::vector<std::string>{"deploy", "Deployment", "rollback", "config", "infra"});
    std::vector<std::string> cells = {
        Time(t, form), svc, kind, fmt::format("v{}.{}.{}", Int(1, 3), Int(0, 40), Int(0, 9)),
        // Quoted commas, quotes and a newline inside a field.
        Coin() ? fmt::format("\"{} of {}, batch {}\nsecond line with \"\"quotes\"\"\"", kind, svc,
                             Int(1, 9))
               : fmt::format("\"{} {}, ok\"", kind, svc),
        Hex(Pick(std::vector<int>{7, 12, 40}))};
    for (size_t k = 0; k < order.size(); ++k) f.data += (k ? "," : "") + cells[order[k]];
    f.data += "\n";
  }
  return f;
}

inline GeneratedFile RecordCorpus::FlagHistory() {
  bool csv = Coin();
  std::string flag = Pick(std::vector<std::string>{"new_checkout_flow", "search.semantic_rerank",
                                                   "cart-v2", "pricing_cache"});
  std::string svc = Service();
  GeneratedFile f{csv ? "flags-csv" : "flags-jsonl", "", Truth::kChanges, !csv};
  if (csv) f.data = "flag,percentage,changed_at,service,actor\n";
  int64_t t = Int(0, 600);
  int form = Pick(std::vector<int>{0, 1});
  for (int pct : {10, 50, 100}) {
    t += Int(600, 3600);
    if (csv)
      f.data += fmt::format("{},{}%,{},{},{}\n", flag, pct, Time(t, form), svc, "flag-bot");
    else
      f.data +=
          fmt::format("{{\"flag\": {}, \"rollout_percent\": {}, \"at\": {}, \"project\": {}}}\n",
                      Q(flag), pct, Q(Time(t, form)), Q(svc));
  }
  return f;
}

inline GeneratedFile RecordCorpus::GitLog() {
  GeneratedFile f{"git-log", "", Truth::kChanges, false};
  for (int i = 0; i < Int(2, 6); ++i)
    f.data += fmt::format(
        "commit {}\nAuthor: Dev <dev@example.com>\nDate:   Fri May 29 1{}:0{}:12 2026 +0200\n\n  "
        "  fix({}): handle empty carts (#{})\n\n",
        Hex(40), Int(0, 5), Int(0, 9), Service(), Int(1000, 9999));
  return f;
}

inline GeneratedFile RecordCorpus::AppLogJson() {
  // ECS-style nested names, or flat ones; messages that mention deploys, config and flags;
  // a version field of the logging schema; many rows per second.
  bool ecs = Coin();
  GeneratedFile f{ecs ? "app-log-ecs" : "app-log-flat", "", Truth::kLog, true};
  int64_t ms = Int(0, 1000);
  int n = Int(25, 80);
  std::string svc = Service();
  for (int i = 0; i < n; ++i) {
    ms += Int(1, 400);
    std::string level = Pick(std::vector<std::string>{"info", "info", "warn", "error", "debug"});
    std::string msg = Pick(std::vector<std::string>{
        "request failed: db: acquire conn: context deadline exceeded",
        "deploy finished for v2.3.1 on canary", "config reloaded from /etc/app/config.yaml",
        "flag new_checkout_flow evaluated to true for 50% of sessions", "GET /api/cart 200",
        "rollback requested by operator"});
    std::string ts = FormatTime((1780063200000LL + ms) * 1000000, 3);
    if (ecs)
      f.data += fmt::format(
          "{{\"@timestamp\":{},\"log.level\":{},\"message\":{},\"service.name\":{},"
          "\"service.version\":\"2.3.1\",\"trace.id\":{},\"ecs.version\":\"8.11.0\","
          "\"event.action\":{}}}\n",
          Q(ts), Q(level), Q(msg), Q(svc), Q(Hex(32)),
          Q(Pick(std::vector<std::string>{"request", "deploy", "config-reload"})));
    else
      f.data += fmt::format(
          "{{\"ts\":{},\"lvl\":{},\"msg\":{},\"request_id\":{},\"version\":\"v2.3.1\","
          "\"duration_ms\":{}}}\n",
          Q(ts), Q(level), Q(msg), Q(Hex(16)), Int(1, 900));
  }
  return f;
}

inline GeneratedFile RecordCorpus::AlertmanagerWebhook() {
  GeneratedFile f{"alertmanager-webhook", "", Truth::kAlert, false};
  bool pretty = Coin();
  std::string nl = pretty ? "\n  " : "";
  std::string alerts;
  int n = Int(1, 4);
  for (int i = 0; i < n; ++i) {
    bool firing = Coin();
    alerts += fmt::format(
        "{}{{\"status\": {}, \"labels\": {{\"alertname\": {}, \"service\": {}, \"severity\": "
        "\"critical\"}}, \"annotations\": {{\"summary\": \"error rate above 5% for 1m\"}}, "
        "\"startsAt\": {}, \"endsAt\": {}, \"generatorURL\": \"http://prom/graph\", "
        "\"fingerprint\": {}}}",
        i ? "," + nl : nl, Q(firing ? "firing" : "resolved"),
        Q(Pick(std::vector<std::string>{"HighErrorRate", "CheckoutLatency", "PoolSaturated"})),
        Q(Service()), Q(Time(Int(0, 900), 0)),
        firing ? Q("0001-01-01T00:00:00Z") : Q(Time(Int(1000, 2000), 0)), Q(Hex(16)));
  }
  f.data = fmt::format(
      "{{\"receiver\": \"oncall\", \"status\": \"firing\", \"alerts\": [{}],{}\"groupLabels\": "
      "{{\"alertname\": \"HighErrorRate\"}}, \"commonLabels\": {{}}, \"externalURL\": "
      "\"http://am\", \"version\": \"4\", \"groupKey\": \"{{}}:{{}}\"}}\n",
      alerts, nl);
  return f;
}

inline GeneratedFile RecordCorpus::AlertmanagerApi() {
  GeneratedFile f{"alertmanager-api-v2", "[\n", Truth::kAlert, false};
  int n = Int(1, 5);
  for (int i = 0; i < n; ++i)
    f.data += fmt::format(
        "{}  {{\"annotations\": {{\"description\": \"p99 above 2s\"}}, \"endsAt\": {}, "
        "\"fingerprint\": {}, \"receivers\": [{{\"name\": \"pager\"}}], \"startsAt\": {}, "
        "\"status\": {{\"inhibitedBy\": [], \"silencedBy\": [], \"state\": \"active\"}}, "
        "\"updatedAt\": {}, \"labels\": {{\"alertname\": \"LatencyHigh\", \"job\": {}}}}}\n",
        i ? "," : "", Q(Time(3000, 0)), Q(Hex(16)), Q(Time(Int(0, 900), 1)), Q(Time(1000, 1)),
        Q(Service()));
  f.data += "]\n";
  return f;
}

inline GeneratedFile RecordCorpus::AlertLines() {
  // Alerts re-exported as JSON lines with their own names.
  std::string tk = Pick(std::vector<std::string>{"fired_at", "starts", "time", "triggeredAt"});
  GeneratedFile f{"alert-lines", "", Truth::kAlert, true};
  for (int i = 0; i < Int(2, 10); ++i)
    f.data += fmt::format(
        "{{{}: {}, \"alert\": {}, \"state\": {}, \"severity\": \"warning\", \"labels\": "
        "{{\"team\": \"core\"}}}}\n",
        Q(tk), Q(Time(Int(0, 3600), 0)), Q("DiskFillingUp"),
        Q(Pick(std::vector<std::string>{"firing", "resolved", "pending"})));
  return f;
}

inline GeneratedFile RecordCorpus::PagerDutyLogEntries() {
  bool incidents = Coin();
  GeneratedFile f{incidents ? "pagerduty-incidents" : "pagerduty-log-entries", "", Truth::kPage,
                  false};
  std::string items;
  for (int i = 0; i < Int(1, 6); ++i) {
    if (incidents)
      items += fmt::format(
          "{}{{\"id\": {}, \"incident_number\": {}, \"title\": \"checkout errors\", "
          "\"status\": {}, \"urgency\": \"high\", \"created_at\": {}, \"service\": {{\"id\": "
          "\"PSVC1\", \"summary\": {}}}, \"escalation_policy\": {{\"id\": \"PEP1\"}}}}",
          i ? ",\n" : "", Q("Q" + Hex(6)), Int(100, 999),
          Q(Pick(std::vector<std::string>{"triggered", "acknowledged", "resolved"})),
          Q(Time(Int(0, 900), 0)), Q(Service()));
    else
      items += fmt::format(
          "{}{{\"id\": {}, \"type\": {}, \"summary\": {}, \"created_at\": {}, \"agent\": "
          "{{\"type\": \"service_reference\"}}, \"channel\": {{\"type\": \"api\"}}, "
          "\"incident\": {{\"id\": \"PINC1\", \"summary\": \"checkout errors\"}}}}",
          i ? ",\n" : "", Q("R" + Hex(8)),
          Q(Pick(std::vector<std::string>{"trigger_log_entry", "acknowledge_log_entry",
                                          "notify_log_entry", "resolve_log_entry"})),
          Q(Pick(std::vector<std::string>{"Triggered through the API", "Acknowledged by Ann",
                                          "Notified Bob by SMS"})),
          Q(Time(Int(0, 900), 0)));
  }
  f.data = fmt::format("{{\"{}\": [\n{}\n], \"limit\": 25, \"offset\": 0, \"more\": false}}\n",
                       incidents ? "incidents" : "log_entries", items);
  return f;
}

inline GeneratedFile RecordCorpus::OpsgenieLogs() {
  GeneratedFile f{"opsgenie-logs", "", Truth::kPage, false};
  std::string items;
  for (int i = 0; i < Int(2, 6); ++i)
    items += fmt::format(
        "{}{{\"offset\": \"{}_{}\", \"log\": {}, \"type\": \"system\", \"owner\": "
        "\"ann@example.com\", \"createdAt\": {}}}",
        i ? ",\n" : "", Int(1000, 9999), Int(1000, 9999),
        Q(Pick(std::vector<std::string>{"Alert acknowledged via web", "Alert created via API",
                                        "Alert escalated to next", "Notified ann via sms"})),
        Q(Time(Int(0, 900), 1)));
  f.data =
      fmt::format("{{\"data\": [\n{}\n], \"took\": 0.01, \"requestId\": \"{}\"}}\n", items, Hex(8));
  return f;
}

inline GeneratedFile RecordCorpus::TicketsJson() {
  int shape = Int(0, 2);
  GeneratedFile f{"", "", Truth::kTicket, false};
  std::string items;
  for (int i = 0; i < Int(1, 6); ++i) {
    std::string t = Q(Time(Int(0, 900), 0));
    if (shape == 0)  // Zendesk
      items += fmt::format(
          "{}{{\"id\": {}, \"created_at\": {}, \"subject\": \"Checkout fails, card charged\", "
          "\"description\": \"I tried three times\", \"status\": {}, \"priority\": \"high\", "
          "\"requester_id\": {}, \"via\": {{\"channel\": \"web\"}}, \"tags\": [\"checkout\"]}}",
          i ? ",\n" : "", Int(1000, 99999), t,
          Q(Pick(std::vector<std::string>{"new", "open", "pending", "solved"})), Int(1, 999));
    else if (shape == 1)  // Freshdesk
      items += fmt::format(
          "{}{{\"id\": {}, \"subject\": \"Order page shows error\", \"status\": 2, \"priority\": "
          "3, \"source\": 1, \"requester_id\": {}, \"created_at\": {}, \"updated_at\": {}, "
          "\"type\": \"Problem\"}}",
          i ? ",\n" : "", Int(1, 999), Int(1, 999), t, t);
    else  // Jira
      items += fmt::format(
          "{}{{\"key\": \"SUP-{}\", \"fields\": {{\"summary\": \"Customer cannot pay\", "
          "\"created\": {}, \"status\": {{\"name\": \"Open\"}}, \"issuetype\": {{\"name\": "
          "\"Bug\"}}, \"reporter\": {{\"emailAddress\": \"c@example.com\"}}}}}}",
          i ? ",\n" : "", Int(1, 9999), t);
  }
  f.name = shape == 0 ? "zendesk-json" : shape == 1 ? "freshdesk-json" : "jira-json";
  f.data = shape == 0   ? fmt::format("{{\"tickets\": [\n{}\n], \"count\": 1}}\n", items)
           : shape == 1 ? fmt::format("[\n{}\n]\n", items)
                        : fmt::format("{{\"startAt\": 0, \"issues\": [\n{}\n]}}\n", items);
  return f;
}

inline GeneratedFile RecordCorpus::TicketsCsv() {
  std::vector<std::string> cols = {"Ticket ID", "Subject",   "Status",
                                   "Priority",  "Requester", "Created at"};
  std::vector<size_t> order = {0, 1, 2, 3, 4, 5};
  std::shuffle(order.begin(), order.end(), rng_);
  GeneratedFile f{"tickets-csv", "", Truth::kTicket, false};
  for (size_t i = 0; i < order.size(); ++i) f.data += (i ? "," : "") + cols[order[i]];
  f.data += "\n";
  for (int i = 0; i < Int(2, 12); ++i) {
    std::vector<std::string> cells = {fmt::format("{}", Int(1000, 9999)),
                                      "\"Checkout spins, then \"\"something went wrong\"\"\"",
                                      Pick(std::vector<std::string>{"Open", "Pending", "Solved"}),
                                      Pick(std::vector<std::string>{"Urgent", "Normal"}),
                                      "jane@example.com",
                                      Time(Int(0, 900), 0)};
    for (size_t k = 0; k < order.size(); ++k) f.data += (k ? "," : "") + cells[order[k]];
    f.data += "\n";
  }
  return f;
}

inline GeneratedFile RecordCorpus::SlackExport() {
  GeneratedFile f{"slack-export", "[\n", Truth::kChat, false};
  for (int i = 0; i < Int(2, 8); ++i)
    f.data += fmt::format(
        "{}    {{\n        \"type\": \"message\",\n        \"user\": \"U0{}\",\n        "
        "\"text\": {},\n        \"ts\": \"{}.{:06d}\"\n    }}\n",
        i ? "," : "", Int(1000000, 9999999),
        Q(Pick(std::vector<std::string>{"is checkout down for anyone else?", "deploying v2.3.1 now",
                                        "rolling back", "seeing 500s on cart"})),
        1780063200 + Int(0, 900), Int(0, 999999));
  f.data += "]\n";
  return f;
}

}  // namespace inquest::testing

#endif  // INQUEST_EVIDENCE_RECORD_CORPUS_TEST_UTIL_H_
