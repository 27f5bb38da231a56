// inquest pm import DOC...: post-mortem documents into the store; importing a document again
// updates its incident and items instead of duplicating them (src/store/import.h).
#include "cli/pm_import.h"

#include <fmt/format.h>

#include <memory>

#include "base/strings.h"
#include "cli/common.h"
#include "postmortem/document.h"
#include "report/json_writer.h"
#include "store/import.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
namespace {

void PrintResult(const store::ImportPlan& plan, const store::ImportResult& r, bool json,
                 JsonWriter* w) {
  if (json) {
    w->BeginObject();
    w->Field("document", plan.incident.document_path);
    w->Key("incident");
    w->Int(r.incident_id);
    w->Field("key", plan.incident.key);
    w->Key("created");
    w->Bool(r.incident_created);
    w->Key("actions_added");
    w->Int(r.actions_added);
    w->Key("actions_updated");
    w->Int(r.actions_updated);
    w->Key("actions_unchanged");
    w->Int(r.actions_unchanged);
    w->Key("actions_missing_from_document");
    w->BeginArray();
    for (int64_t id : r.actions_missing_from_document) w->Int(id);
    w->EndArray();
    w->EndObject();
    return;
  }
  fmt::print("{} incident {}: {}{}; action items: {} added, {} updated, {} unchanged\n",
             r.incident_created ? "imported" : "updated", r.incident_id,
             SanitizeForTerminal(plan.incident.title),
             plan.incident.sev.empty() ? "" : " (" + plan.incident.sev + ")", r.actions_added,
             r.actions_updated, r.actions_unchanged);
  if (!r.actions_missing_from_document.empty()) {
    std::string ids;
    for (int64_t id : r.actions_missing_from_document) {
      ids += fmt::format("{}{}", ids.empty() ? "" : ", ", id);
    }
    fmt::print(
        "  no longer in the document, kept in the store: {} (close them with 'inquest actions "
        "update ID --status wont-do' if they were dropped)\n",
        ids);
  }
}

}  // namespace

int RunPmImport(int argc, char** argv) {
  CLI::App app(
      "store post-mortem documents' incidents and action items; importing a document again "
      "updates instead of duplicating",
      "pm import");
  std::vector<std::string> docs;
  std::string db, config, now_text;
  FormatFlags format;
  app.add_option("documents", docs, "post-mortem Markdown files")->required();
  app.add_option("--db", db, "the store: a SQLite file or postgresql://... (see 'actions')");
  app.add_option("--config", config, "inquest.toml to read (default: searched)");
  app.add_option("--now", now_text, "record changes at this time (UTC) instead of now");
  format.Add(app, /*with_log_format=*/false);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("pm import", s);
  store::StoreOptions options;
  if (!now_text.empty()) {
    Result<TimePoint> t = ParseUserTime(now_text);
    if (!t.ok()) return Fail("pm import", t.status());
    options.clock = [now = *t] { return now; };
  }
  Result<store::StoreSettings> settings = store::LoadStoreSettings(config, db);
  if (!settings.ok()) return Fail("pm import", settings.status());

  // Read every document first: a store is opened only when there is something to import.
  std::vector<store::ImportPlan> plans;
  Status first_error;
  auto report = [&](const Status& s) {
    fmt::print(stderr, "inquest pm import: {}\n", s.ToString());
    if (first_error.ok()) first_error = s;
  };
  for (const std::string& path : docs) {
    Result<PmDocument> doc = ReadPmDocument(path);
    if (!doc.ok()) {
      report(doc.status());
      continue;
    }
    Result<store::ImportPlan> plan = store::PlanImport(*doc);
    if (!plan.ok()) {
      report(plan.status());
      continue;
    }
    for (const std::string& w : plan->warnings) {
      fmt::print(stderr, "inquest pm import: {}\n", SanitizeForTerminal(w));
    }
    plans.push_back(std::move(plan).value());
  }
  bool json = format.output == OutputFormat::kJson;
  JsonWriter w;
  if (json) {
    w.BeginObject();
    w.Key("imports");
    w.BeginArray();
  }
  if (!plans.empty()) {
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(settings->spec, options);
    if (!st.ok()) return Fail("pm import", st.status());
    for (store::ImportPlan& plan : plans) {
      Status target = store::FindImportTarget(st->get(), &plan);
      if (!target.ok()) return Fail("pm import", target);
      Result<store::ImportResult> r = (*st)->Import(plan.incident, plan.actions);
      if (!r.ok()) {
        report(r.status());
        continue;
      }
      PrintResult(plan, *r, json, &w);
    }
  }
  if (json) {
    w.EndArray();
    w.EndObject();
    fmt::print("{}\n", w.Take());
  }
  return first_error.ok() ? 0 : first_error.ExitCode();
}

}  // namespace inquest::cli
