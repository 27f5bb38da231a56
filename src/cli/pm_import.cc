// inquest pm import DOC...: post-mortem documents into the store; importing a document again
// updates its incident and items instead of duplicating them (src/store/import.h). --dry-run
// shows what an import would change and writes nothing.
#include "cli/pm_import.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cmath>
#include <memory>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/common.h"
#include "postmortem/document.h"
#include "store/import.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
// Named, so that the unity build's batches never mix these helpers with another command's.
namespace pm_import_cmd {
namespace {

using store::ItemChange;

// Longest text quoted in a change line; the rest is cut with "...". Action texts are a line
// or two; a summary can be a page.
constexpr size_t kMaxQuoted = 100;

std::string Quoted(std::string_view s) {
  if (s.empty()) return "(none)";
  std::string t = SanitizeForTerminal(s);
  for (char& c : t) {
    if (c == '\n') c = ' ';
  }
  if (t.size() > kMaxQuoted) t = t.substr(0, kMaxQuoted - 3) + "...";
  return "'" + t + "'";
}

int Percent(double share) { return static_cast<int>(std::lround(share * 100)); }

std::string MatchedBy(const store::ImportPlan& plan) {
  if (plan.matched_by == "incident id") return "matched on its incident id";
  if (plan.matched_by == "same file") return "an earlier import of this file";
  if (plan.matched_by == "adopted") {
    return fmt::format("imported earlier from this file without an incident id; keyed {} now",
                       plan.incident.key);
  }
  return plan.matched_by;
}

// The warning for an item whose id now names a different item (ItemChange::kReplaced).
std::string ReplacedWarning(const store::ImportPlan& plan, const ItemChange& c, bool dry_run) {
  int line = plan.LineOf(c.source_key);
  std::string where = line > 0 ? fmt::format("{}:{}", plan.incident.document_path, line)
                               : plan.incident.document_path;
  std::string msg = fmt::format(
      "{}: {} now reads {}, which shares {}% of its significant words with what it said before "
      "({}): taken for a different item, {} a new item; item #{} {} its ticket, status and "
      "notes (close it with 'inquest actions update {} --status wont-do' if it was dropped)",
      where, c.source_key, Quoted(c.changes.empty() ? "" : c.changes[0].to), Percent(c.overlap),
      Quoted(c.old_text), dry_run ? "would be stored as" : "stored as", c.replaced_id,
      dry_run ? "would keep" : "keeps", c.replaced_id);
  if (c.source_key.starts_with("row ")) {
    msg += "; give the table an ID column so that items keep their identity when rows move";
  }
  return msg;
}

void PrintChanges(const store::ImportPlan& plan, const store::ImportResult& r) {
  for (const store::FieldChange& f : r.incident_changes) {
    fmt::print("  incident {}: {} -> {}\n", f.field, Quoted(f.from), Quoted(f.to));
  }
  for (const ItemChange& c : r.items) {
    switch (c.kind) {
      case ItemChange::Kind::kUnchanged:
        break;
      case ItemChange::Kind::kAdded: {
        const store::ActionItem* a = nullptr;
        for (const store::ActionItem& x : plan.actions) {
          if (x.source_key == c.source_key) a = &x;
        }
        fmt::print("  {} added: {}\n", c.source_key, Quoted(a ? a->action : ""));
        break;
      }
      case ItemChange::Kind::kUpdated:
        for (const store::FieldChange& f : c.changes) {
          fmt::print("  {} {}: {} -> {}\n", c.source_key, f.field, Quoted(f.from), Quoted(f.to));
        }
        break;
      case ItemChange::Kind::kReplaced:
        fmt::print("  {} replaced: {} -> {} (a different item; item #{} {} as it is)\n",
                   c.source_key, Quoted(c.old_text),
                   Quoted(c.changes.empty() ? "" : c.changes[0].to), c.replaced_id,
                   r.dry_run ? "would be kept" : "kept");
        break;
      case ItemChange::Kind::kMissing:
        fmt::print("  {} no longer in the document: item #{} {}\n", c.source_key, c.id,
                   r.dry_run ? "would be kept" : "kept");
        break;
    }
  }
}

void WriteFieldChanges(JsonWriter* w, const std::vector<store::FieldChange>& changes) {
  w->BeginArray();
  for (const store::FieldChange& f : changes) {
    w->BeginObject();
    w->Field("field", f.field);
    w->Field("from", f.from);
    w->Field("to", f.to);
    w->EndObject();
  }
  w->EndArray();
}

void WriteJson(const store::ImportPlan& plan, const store::ImportResult& r, JsonWriter* w) {
  w->BeginObject();
  w->Field("document", plan.incident.document_path);
  w->Key("incident");
  if (r.incident_id) {
    w->Int(r.incident_id);
  } else {
    w->Null();
  }
  w->Field("key", r.incident_key);
  w->Field("matched_by", plan.matched_by);
  w->Key("created");
  w->Bool(r.incident_created);
  w->Key("dry_run");
  w->Bool(r.dry_run);
  w->Key("actions_added");
  w->Int(r.actions_added);
  w->Key("actions_updated");
  w->Int(r.actions_updated);
  w->Key("actions_unchanged");
  w->Int(r.actions_unchanged);
  w->Key("actions_replaced");
  w->Int(r.actions_replaced);
  w->Key("actions_missing_from_document");
  w->BeginArray();
  for (int64_t id : r.actions_missing_from_document) w->Int(id);
  w->EndArray();
  w->Key("incident_changes");
  WriteFieldChanges(w, r.incident_changes);
  w->Key("items");
  w->BeginArray();
  for (const ItemChange& c : r.items) {
    w->BeginObject();
    w->Field("key", c.source_key);
    w->Key("line");
    w->Int(plan.LineOf(c.source_key));
    w->Field("change", store::ItemChangeName(c.kind));
    w->Key("id");
    if (c.id) {
      w->Int(c.id);
    } else {
      w->Null();
    }
    if (c.kind == ItemChange::Kind::kReplaced) {
      w->Key("replaced_id");
      w->Int(c.replaced_id);
      w->Field("old_text", c.old_text);
      w->FieldDouble("word_overlap", c.overlap, 2);
    }
    w->Key("changes");
    WriteFieldChanges(w, c.changes);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

void PrintText(const store::ImportPlan& plan, const store::ImportResult& r) {
  std::string what;
  if (r.dry_run) {
    what = r.incident_created ? "dry run: would import a new incident"
                              : fmt::format("dry run: would update incident {} ({})", r.incident_id,
                                            MatchedBy(plan));
  } else {
    what =
        fmt::format("{} incident {}", r.incident_created ? "imported" : "updated", r.incident_id);
  }
  fmt::print("{}: {}{}; action items: {} added, {} updated, {} unchanged{}\n", what,
             SanitizeForTerminal(plan.incident.title),
             plan.incident.sev.empty() ? "" : " (" + plan.incident.sev + ")", r.actions_added,
             r.actions_updated, r.actions_unchanged,
             r.actions_replaced ? fmt::format(", {} replaced", r.actions_replaced) : "");
  if (!r.dry_run && plan.matched_by == "adopted") {
    fmt::print("  incident {} was imported from this file without an incident id; keyed {} now\n",
               r.incident_id, SanitizeForTerminal(plan.incident.key));
  }
  // A new incident's items are all added: the counts say it, except in a dry run.
  if (!r.incident_created || r.dry_run) PrintChanges(plan, r);
  if (!r.dry_run && !r.actions_missing_from_document.empty()) {
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

// A dry run reads the store without creating it: a SQLite file that does not exist yet is as
// good as an empty store in memory.
std::string DryRunSpec(const std::string& spec) {
  if (spec.starts_with("postgresql://") || spec.starts_with("postgres://") || spec == ":memory:") {
    return spec;
  }
  std::string path = spec;
  if (path.empty()) {
    Result<std::string> p = store::DefaultStorePath(/*create_folder=*/false);
    if (!p.ok()) return spec;
    path = *p;
  }
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? spec : ":memory:";
}

}  // namespace
}  // namespace pm_import_cmd

int RunPmImport(int argc, char** argv) {
  using namespace pm_import_cmd;
  CLI::App app(
      "store post-mortem documents' incidents and action items; importing a document again "
      "updates instead of duplicating (matched on its 'Incident:' id, else on the same file)",
      "pm import");
  std::vector<std::string> docs;
  std::string db, config, now_text;
  bool dry_run = false;
  FormatFlags format;
  app.add_option("documents", docs, "post-mortem Markdown files")->required();
  app.add_option("--db", db, "the store: a SQLite file or postgresql://... (see 'actions')");
  app.add_option("--config", config, "inquest.toml to read (default: searched)");
  app.add_option("--now", now_text, "record changes at this time (UTC) instead of now");
  app.add_flag("--dry-run", dry_run,
               "show what the import would change (incident fields, items added, changed, "
               "replaced or gone) and write nothing");
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

  auto warn = [](std::string_view w) {
    fmt::print(stderr, "inquest pm import: {}\n", SanitizeForTerminal(w));
  };
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
    for (const std::string& w : plan->warnings) warn(w);
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
    std::string spec = dry_run ? DryRunSpec(settings->spec) : settings->spec;
    Result<std::unique_ptr<store::Store>> st = store::OpenStore(spec, options);
    if (!st.ok()) return Fail("pm import", st.status());
    store::ImportOptions import_options;
    import_options.dry_run = dry_run;
    for (store::ImportPlan& plan : plans) {
      size_t warned = plan.warnings.size();
      Status target = store::FindImportTarget(st->get(), &plan);
      if (!target.ok()) return Fail("pm import", target);
      for (size_t i = warned; i < plan.warnings.size(); ++i) warn(plan.warnings[i]);
      Result<store::ImportResult> r = (*st)->Import(plan.incident, plan.actions, import_options);
      if (!r.ok()) {
        report(r.status());
        continue;
      }
      for (const ItemChange& c : r->items) {
        if (c.kind == ItemChange::Kind::kReplaced) warn(ReplacedWarning(plan, c, dry_run));
      }
      if (json) {
        WriteJson(plan, *r, &w);
      } else {
        PrintText(plan, *r);
      }
    }
    if (dry_run && !json) fmt::print("dry run: nothing was written\n");
  }
  if (json) {
    w.EndArray();
    w.EndObject();
    Emit(w.Take());
    fmt::print("\n");  // a blank line after the document, as before
  }
  return first_error.ok() ? 0 : first_error.ExitCode();
}

}  // namespace inquest::cli
