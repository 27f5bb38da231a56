// inquest metrics: time to detect and recover per SEV, action-item completion of the last N
// post-mortems, the prevent/detect/mitigate balance and the trigger categories (src/store/).
#include "store/metrics.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <memory>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
namespace {

using store::DurationStats;

std::string Cell(const DurationStats& d, int64_t DurationStats::*field) {
  return d.n ? store::CompactDuration(d.*field) : "-";
}

std::string ClassName(store::ActionClass c) {
  return c == store::ActionClass::kUnknown ? "unclassified"
                                           : std::string(store::ActionClassName(c));
}

void WriteDurationJson(JsonWriter& w, std::string_view key, const DurationStats& d) {
  w.Key(key);
  w.BeginObject();
  w.Key("n");
  w.Int(d.n);
  w.Key("missing");
  w.Int(d.missing);
  auto seconds = [&](std::string_view k, int64_t v) {
    w.Key(k);
    if (d.n) {
      w.Double(static_cast<double>(v) / kNanosPerSecond, 0);
    } else {
      w.Null();
    }
  };
  seconds("median_s", d.median);
  seconds("p90_s", d.p90);
  seconds("mean_s", d.mean);
  seconds("max_s", d.max);
  w.EndObject();
}

void PrintJson(const store::Metrics& m) {
  JsonWriter w;
  w.BeginObject();
  w.FieldTime("since", m.since);
  w.Key("incidents");
  w.Int(m.incidents);
  w.Key("per_sev");
  w.BeginArray();
  for (const store::SevMetrics& s : m.per_sev) {
    w.BeginObject();
    w.Field("sev", s.sev);
    w.Key("incidents");
    w.Int(s.incidents);
    WriteDurationJson(w, "time_to_detect", s.ttd);
    WriteDurationJson(w, "time_to_recover", s.ttr);
    w.EndObject();
  }
  w.EndArray();
  WriteDurationJson(w, "time_to_detect", m.ttd_all);
  WriteDurationJson(w, "time_to_recover", m.ttr_all);
  w.Key("definitions");
  w.BeginObject();
  w.Field("time_to_detect", store::kTtdDefinition);
  w.Field("time_to_recover", store::kTtrDefinition);
  w.EndObject();
  w.Field("mean_note", store::kMeanNote);
  const store::Completion& c = m.completion;
  w.Key("completion");
  w.BeginObject();
  w.Key("last_n");
  w.Int(c.last_n);
  w.Key("incidents");
  w.BeginArray();
  for (int64_t id : c.incident_ids) w.Int(id);
  w.EndArray();
  w.Key("items");
  w.Int(c.items);
  w.Key("done");
  w.Int(c.done);
  w.Key("wont_do");
  w.Int(c.wont_do);
  w.Key("not_closed");
  w.Int(c.open);
  w.Key("rate");
  if (c.rate < 0) {
    w.Null();
  } else {
    w.Double(c.rate, 3);
  }
  w.Key("theater");
  w.Bool(c.theater);
  w.EndObject();
  w.Key("balance");
  w.BeginObject();
  for (const auto& [cls, n] : m.balance) {
    w.Key(ClassName(cls));
    w.Int(n);
  }
  w.EndObject();
  w.Key("missing_classes");
  w.BeginArray();
  for (store::ActionClass cls : m.missing_classes) w.String(store::ActionClassName(cls));
  w.EndArray();
  w.Key("triggers");
  w.BeginArray();
  for (const auto& [name, n] : m.triggers) {
    w.BeginObject();
    w.Field("category", name.empty() ? "unknown" : name);
    w.Key("incidents");
    w.Int(n);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  Emit(w.Take());
  fmt::print("\n");  // a blank line after the document, as before
}

// Text and Markdown share the words; Markdown gets tables and headings.
void PrintReport(const store::Metrics& m, bool md) {
  std::string since = m.since == kNoTime ? "" : " since " + FormatTime(m.since, 0).substr(0, 10);
  if (md) fmt::print("# Incident metrics\n\n");
  fmt::print("{} incident{}{}.\n\n", m.incidents, m.incidents == 1 ? "" : "s", since);
  if (md) {
    fmt::print("## Time to detect and to recover\n\n");
    fmt::print(
        "| SEV | Incidents | TTD median | TTD p90 | TTD mean | TTR median | TTR p90 | TTR mean "
        "|\n|---|---|---|---|---|---|---|---|\n");
  } else {
    fmt::print("{:<8} {:>9}  {:>10} {:>8} {:>9}  {:>10} {:>8} {:>9}\n", "SEV", "INCIDENTS",
               "TTD MEDIAN", "P90", "(MEAN)", "TTR MEDIAN", "P90", "(MEAN)");
  }
  auto row = [&](std::string_view sev, int n, const DurationStats& d, const DurationStats& r) {
    if (md) {
      fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} |\n", MarkdownCell(sev), n,
                 Cell(d, &DurationStats::median), Cell(d, &DurationStats::p90),
                 Cell(d, &DurationStats::mean), Cell(r, &DurationStats::median),
                 Cell(r, &DurationStats::p90), Cell(r, &DurationStats::mean));
    } else {
      fmt::print("{:<8} {:>9}  {:>10} {:>8} {:>9}  {:>10} {:>8} {:>9}\n", SanitizeForTerminal(sev),
                 n, Cell(d, &DurationStats::median), Cell(d, &DurationStats::p90),
                 "(" + Cell(d, &DurationStats::mean) + ")", Cell(r, &DurationStats::median),
                 Cell(r, &DurationStats::p90), "(" + Cell(r, &DurationStats::mean) + ")");
    }
  };
  for (const store::SevMetrics& s : m.per_sev) {
    row(s.sev.empty() ? "no SEV" : s.sev, s.incidents, s.ttd, s.ttr);
  }
  row("all", m.incidents, m.ttd_all, m.ttr_all);
  fmt::print("\n{}. {}.\n", store::kTtdDefinition, store::kTtrDefinition);
  fmt::print("{}\n", store::kMeanNote);
  if (m.ttd_all.missing || m.ttr_all.missing) {
    fmt::print(
        "Left out for lack of times: {} incidents without a start or detection time, {} without "
        "a start or recovery (mitigated or resolved) time.\n",
        m.ttd_all.missing, m.ttr_all.missing);
  }

  const store::Completion& c = m.completion;
  fmt::print("{}", md ? "\n## Action-item completion\n\n" : "\n");
  fmt::print("Last {} post-mortems ({} incidents): ", c.last_n, c.incident_ids.size());
  if (c.rate < 0) {
    fmt::print("no action items to rate.\n");
  } else {
    fmt::print("{} of {} items done ({:.0f}%), {} won't do, {} not closed.\n", c.done,
               c.items - c.wont_do, c.rate * 100, c.wont_do, c.open);
  }
  if (c.theater) {
    fmt::print(
        "{} almost none of the action items landed. \"If it's near zero, your "
        "post-mortem process is theater, no matter how good the writing is.\" Ticket the items, "
        "give them owners, and run the two-week review (inquest actions review).\n",
        md ? "**THEATER:**" : "THEATER:");
  }

  fmt::print("{}", md ? "\n## Prevent / detect / mitigate\n\n" : "\nBalance: ");
  std::vector<std::string> parts;
  int classified = 0;
  for (store::ActionClass cls : {store::ActionClass::kPrevent, store::ActionClass::kDetect,
                                 store::ActionClass::kMitigate, store::ActionClass::kUnknown}) {
    auto it = m.balance.find(cls);
    int n = it == m.balance.end() ? 0 : it->second;
    if (cls != store::ActionClass::kUnknown) classified += n;
    if (n || cls != store::ActionClass::kUnknown)
      parts.push_back(fmt::format("{} {}", ClassName(cls), n));
  }
  fmt::print("{}\n", fmt::join(parts, ", "));
  if (classified == 0) {
    fmt::print("No action item says whether it prevents, detects or mitigates.\n");
  } else if (!m.missing_classes.empty()) {
    std::vector<std::string_view> missing;
    for (store::ActionClass cls : m.missing_classes) missing.push_back(store::ActionClassName(cls));
    fmt::print(
        "No {} item. A healthy set has all three; a set that is all \"prevent\" usually has a "
        "detection gap nobody is filling.\n",
        fmt::join(missing, " or "));
  }

  fmt::print("{}", md ? "\n## Trigger categories\n\n" : "\nTriggers: ");
  parts.clear();
  for (const auto& [name, n] : m.triggers) {
    parts.push_back(fmt::format("{} {}", name.empty() ? "unknown" : name, n));
  }
  fmt::print("{}\n", parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", ")));
}

}  // namespace

int RunMetrics(int argc, char** argv) {
  CLI::App app(
      "time to detect and recover per SEV (median and p90), action-item completion of the last "
      "N post-mortems, the prevent/detect/mitigate balance, trigger categories",
      "metrics");
  std::string db, config, since_text;
  int last_n = 0;
  FormatFlags format;
  app.add_option("--db", db, "the store: a SQLite file or postgresql://... (see 'actions')");
  app.add_option("--config", config, "inquest.toml to read (default: searched)");
  app.add_option("--since", since_text, "only incidents that started at or after this time");
  app.add_option("--last", last_n,
                 "post-mortems in the completion rate (default 10, or [store] last_n)");
  format.Add(app, /*with_log_format=*/false);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("metrics", s);
  store::MetricsOptions o;
  if (!since_text.empty()) {
    Result<TimePoint> t = ParseUserTime(since_text);
    if (!t.ok()) return Fail("metrics", t.status());
    o.since = *t;
  }
  Result<store::StoreSettings> settings = store::LoadStoreSettings(config, db);
  if (!settings.ok()) return Fail("metrics", settings.status());
  o.last_n = app.count("--last") ? last_n : settings->last_n;
  Result<std::unique_ptr<store::Store>> st = store::OpenStore(settings->spec, {});
  if (!st.ok()) return Fail("metrics", st.status());
  Result<store::Metrics> m = store::ComputeMetrics(st->get(), o);
  if (!m.ok()) return Fail("metrics", m.status());
  if (format.output == OutputFormat::kJson) {
    PrintJson(*m);
  } else {
    PrintReport(*m, format.output == OutputFormat::kMd);
  }
  return 0;
}

}  // namespace inquest::cli
