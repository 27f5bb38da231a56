// Post-mortem document -> store records (store/import.h).
#include "store/import.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <climits>
#include <map>

#include "base/strings.h"
#include "postmortem/pm_time.h"

namespace inquest::store {
namespace {

// Keywords per trigger category, checked in order: the first category with a keyword in the
// trigger sentence wins. Deploys come first because a deploy that changed a config is, for
// the follow-up, a deploy-process problem.
struct CategoryWords {
  std::string_view category;
  std::vector<std::string_view> words;
};
const std::vector<CategoryWords>& Categories() {
  static const std::vector<CategoryWords> kCategories = {
      {"deploy", {"deploy", "rollout", "roll-out", "release", "rolled out", "upgrade", "push"}},
      {"config", {"config", "flag", "ttl", "setting", "toggle", "parameter", "dns record"}},
      {"expiry", {"expir", "certificate", "cert ", "renew", "leap"}},
      {"capacity", {"traffic", "load", "capacity", "quota", "limit", "spike", "surge", "exhaust"}},
      {"dependency",
       {"dependency", "upstream", "third-party", "third party", "provider", "vendor"}},
      {"data", {"migration", "schema", "data", "backfill", "index"}},
      {"security", {"attack", "ddos", "breach", "credential", "vulnerab"}},
      {"infrastructure",
       {"hardware", "disk", "network", "power", "outage of", "zone", "region", "kernel", "node",
        "bgp"}},
  };
  return kCategories;
}

std::string Where(const PmDocument& doc, int line) {
  return line > 0 ? fmt::format("{}:{}", doc.path, line) : doc.path;
}

std::string AbsolutePath(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf)) return buf;
  return path;
}

// 00:00 UTC of the date written at the start of `text`, or kNoTime.
TimePoint DueDate(std::string_view text) {
  PmTimeText t = ReadPmTime(text);
  if (!t.has_date || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return kNoTime;
  if (t.year < kMinYear || t.year > kMaxYear) return kNoTime;
  return DaysFromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) *
         kNanosPerDay;
}

// The markup people leave in table cells for "nothing here".
bool IsBlank(std::string_view s) {
  std::string l = ToLower(TrimSpace(s));
  return l.empty() || l == "-" || l == "—" || l == "n/a" || l == "none" || l == "tbd" || l == "?";
}

}  // namespace

std::string TriggerCategory(std::string_view trigger) {
  std::string t = ToLower(TrimSpace(trigger));
  if (t.empty()) return "";
  for (const CategoryWords& c : Categories()) {
    for (std::string_view w : c.words) {
      if (t.find(w) != std::string::npos) return std::string(c.category);
    }
  }
  return "other";
}

Result<ImportPlan> PlanImport(const PmDocument& doc) {
  if (TrimSpace(doc.title.text).empty() && doc.actions.empty()) {
    return Status::BadInput("not a post-mortem: no title (a level-1 heading) and no action items",
                            SourceLocation{doc.path});
  }
  ImportPlan plan;
  Incident& in = plan.incident;
  in.title = std::string(TrimSpace(doc.title.text));
  if (in.title.empty()) {
    in.title = doc.path;
    plan.warnings.push_back(
        fmt::format("{}: no title (a level-1 heading); the file name is used", doc.path));
  }
  in.sev = doc.sev.text;
  for (const PmField& s : doc.services) {
    std::string name(TrimSpace(s.text));
    if (!name.empty() &&
        std::find(in.services.begin(), in.services.end(), name) == in.services.end()) {
      in.services.push_back(std::move(name));
    }
  }
  in.started = doc.started.time;
  in.detected = doc.detected.time;
  in.acknowledged = doc.acknowledged.time;
  in.mitigated = doc.mitigated.time;
  in.resolved = doc.resolved.time;
  for (const PmTime* t :
       {&doc.started, &doc.detected, &doc.acknowledged, &doc.mitigated, &doc.resolved}) {
    if (t->field.present() && t->time == kNoTime && !IsBlank(t->field.text)) {
      plan.warnings.push_back(fmt::format("{}: '{}' is not a time inquest can read; left empty",
                                          Where(doc, t->field.line), t->field.text));
    }
  }
  in.trigger_category = TriggerCategory(doc.trigger.text);
  in.summary = doc.summary.text;
  in.document_path = AbsolutePath(doc.path);

  std::string date(TrimSpace(doc.date.text));
  if (date.size() > 10) date.resize(10);
  if (DueDate(date) == kNoTime && in.started != kNoTime)
    date = FormatTime(in.started, 0).substr(0, 10);
  if (!TrimSpace(doc.title.text).empty() && DueDate(date) != kNoTime) {
    in.key = fmt::format("pm:{}@{}", ToLower(in.title), date);
  } else {
    in.key = "doc:" + in.document_path;
  }

  // A table whose separator row does not match its header is no table to a Markdown parser:
  // its rows would be lost without a word. Refuse the document and say where.
  if (doc.actions.empty() && doc.actions_section >= 0 &&
      static_cast<size_t>(doc.actions_section) < doc.sections.size()) {
    const PmSection& sec = doc.sections[static_cast<size_t>(doc.actions_section)];
    for (int line = sec.line + 1; line <= sec.end_line; ++line) {
      if (TrimSpace(doc.Line(line)).starts_with("|")) {
        return Status::BadInput(
            fmt::format("the '{}' section has table rows but no table could be read: check that "
                        "the header, the separator row (|---|---|) and the rows have the same "
                        "number of cells",
                        sec.heading),
            SourceLocation{doc.path, static_cast<uint64_t>(line)});
      }
    }
  }

  std::map<std::string, int> line_of_key;
  int row = 0;
  for (const ::inquest::ActionItem& d : doc.actions) {
    ++row;
    ActionItem a;
    std::string id(TrimSpace(d.id));
    a.source_key = id.empty() ? fmt::format("row {}", row) : id;
    if (auto [it, fresh] = line_of_key.emplace(a.source_key, d.line); !fresh) {
      return Status::BadInput(fmt::format("action item id '{}' is used twice (lines {} and {}); "
                                          "ids must be unique for a re-import to update them",
                                          a.source_key, it->second, d.line),
                              SourceLocation{doc.path, static_cast<uint64_t>(d.line)});
    }
    a.action = std::string(TrimSpace(d.action));
    if (a.action.empty()) {
      plan.warnings.push_back(
          fmt::format("{}: action item without a text; stored as '(no text)'", Where(doc, d.line)));
      a.action = "(no text)";
    }
    if (!IsBlank(d.owner)) a.owner = std::string(TrimSpace(d.owner));
    if (!IsBlank(d.due)) {
      a.due = DueDate(d.due);
      if (a.due == kNoTime) {
        plan.warnings.push_back(fmt::format("{}: due '{}' is not a date; stored without one",
                                            Where(doc, d.line), TrimSpace(d.due)));
      }
    }
    if (!IsBlank(d.status)) {
      Result<ActionStatus> s = ParseActionStatus(d.status);
      if (s.ok()) {
        a.status = *s;
      } else {
        plan.warnings.push_back(
            fmt::format("{}: {}; stored as open", Where(doc, d.line), s.status().message()));
      }
    }
    if (!IsBlank(d.item_class)) {
      Result<ActionClass> c = ParseActionClass(d.item_class);
      if (c.ok()) {
        a.action_class = *c;
      } else {
        plan.warnings.push_back(fmt::format("{}: {}; stored without a class", Where(doc, d.line),
                                            c.status().message()));
      }
    }
    if (!IsBlank(d.ticket)) a.ticket_url = std::string(TrimSpace(d.ticket));
    plan.actions.push_back(std::move(a));
  }
  return plan;
}

Status FindImportTarget(Store* store, ImportPlan* plan) {
  INQ_ASSIGN_OR_RETURN(std::optional<Incident> same_key,
                       store->FindIncidentByKey(plan->incident.key));
  if (same_key) return Status::Ok();
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> all, store->ListIncidents({}));
  for (const Incident& i : all) {
    if (!i.document_path.empty() && i.document_path == plan->incident.document_path) {
      plan->incident.key = i.key;
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace inquest::store
