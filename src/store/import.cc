// Post-mortem document -> store records (store/import.h).
#include "store/import.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <climits>
#include <map>

#include "base/stable_hash.h"
#include "base/strings.h"
#include "postmortem/pm_time.h"
#include "store/item_identity.h"

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

// The markup people leave in table cells for "nothing here", and the question a draft leaves
// for the author ("_Fill in: role or person_", postmortem/document.h): `pm lint` reports it;
// the store keeps no answer until there is one.
bool IsBlank(std::string_view s) {
  std::string l = ToLower(TrimSpace(s));
  if (l.empty() || l == "-" || l == "—" || l == "n/a" || l == "none" || l == "tbd" || l == "?") {
    return true;
  }
  size_t text = l.find_first_not_of("_*");
  return l.compare(text == std::string::npos ? l.size() : text, kFillInMarker.size(),
                   ToLower(kFillInMarker)) == 0;
}

// "2026-05-29" of a time, "" for none.
std::string StartDay(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0).substr(0, 10); }

// The incident id as written, without the markup people put around ids ("`INC-7`", "**7**");
// "" when it is blank or a placeholder.
std::string IncidentIdOf(const PmField& f) {
  std::string_view t = TrimSpace(f.text);
  while (!t.empty() && (t.front() == '`' || t.front() == '*' || t.front() == '_')) {
    t.remove_prefix(1);
  }
  while (!t.empty() && (t.back() == '`' || t.back() == '*' || t.back() == '_')) t.remove_suffix(1);
  t = TrimSpace(t);
  return IsBlank(t) ? "" : std::string(t);
}

// Whether `stored`, imported without an incident id, is the incident of the plan's document
// by title and date (an earlier import of the same file is assumed): the old "pm:" key, or
// the same title and start day.
bool SameTitleAndDate(const Incident& stored, const ImportPlan& plan) {
  if (stored.key.starts_with("pm:")) return stored.key == plan.legacy_key;
  return ToLower(TrimSpace(stored.title)) == ToLower(TrimSpace(plan.incident.title)) &&
         StartDay(stored.started) == StartDay(plan.incident.started);
}

bool HasIncidentId(const Incident& i) { return i.key.starts_with("id:"); }

// Of the incidents `pick` accepts, the most recently updated one; nullptr when none.
template <typename Pred>
const Incident* Latest(const std::vector<Incident>& all, Pred pick) {
  const Incident* best = nullptr;
  for (const Incident& i : all) {
    if (pick(i) &&
        (!best || i.updated > best->updated || (i.updated == best->updated && i.id > best->id))) {
      best = &i;
    }
  }
  return best;
}

}  // namespace

int ImportPlan::LineOf(std::string_view source_key) const {
  for (size_t i = 0; i < actions.size() && i < action_lines.size(); ++i) {
    if (actions[i].source_key == source_key) return action_lines[i];
  }
  return 0;
}

std::string SuggestIncidentId(const PmDocument& doc, TimePoint started) {
  std::string when;
  if (started != kNoTime) {
    std::string t = FormatTime(started, 0);  // 2026-05-29T14:11:00Z
    when = t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2) + "-" + t.substr(11, 2) +
           t.substr(14, 2) + "-";
  } else if (TimePoint d = DueDate(TrimSpace(doc.date.text)); d != kNoTime) {
    std::string t = FormatTime(d, 0);
    when = t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2) + "-";
  }
  return fmt::format("inc-{}{:06x}", when, StableHash64(doc.source) & 0xffffff);
}

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
  if (DueDate(date) == kNoTime && in.started != kNoTime) date = StartDay(in.started);
  if (!TrimSpace(doc.title.text).empty() && DueDate(date) != kNoTime) {
    plan.legacy_key = fmt::format("pm:{}@{}", ToLower(in.title), date);
  }
  plan.incident_id = IncidentIdOf(doc.incident_id);
  if (!plan.incident_id.empty()) {
    in.key = "id:" + plan.incident_id;
  } else {
    in.key = "doc:" + in.document_path;
    plan.warnings.push_back(fmt::format(
        "{}: no 'Incident:' line in the header, so this document is matched only to earlier "
        "imports of this same file, never by its title and date; add one under the title "
        "(e.g. 'Incident: {}') so that a moved or copied document still updates its incident",
        doc.incident_id.present() ? Where(doc, doc.incident_id.line) : doc.path,
        SuggestIncidentId(doc, in.started)));
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
      a.action = std::string(kNoActionText);
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
    plan.action_lines.push_back(d.line);
  }
  return plan;
}

Status FindImportTarget(Store* store, ImportPlan* plan) {
  Incident& in = plan->incident;
  in.id = 0;
  plan->matched_by = "new";
  INQ_ASSIGN_OR_RETURN(std::optional<Incident> same_key, store->FindIncidentByKey(in.key));
  if (same_key) {
    in.id = same_key->id;
    plan->matched_by = plan->incident_id.empty() ? "same file" : "incident id";
    if (!plan->incident_id.empty() && !same_key->document_path.empty() &&
        same_key->document_path != in.document_path &&
        ToLower(TrimSpace(same_key->title)) != ToLower(TrimSpace(in.title))) {
      plan->warnings.push_back(fmt::format(
          "{}: incident {} ('{}', Incident: {}) was imported from {} with another title; this "
          "document updates it. If it is another incident, give it its own 'Incident:' id",
          in.document_path, same_key->id, same_key->title, plan->incident_id,
          same_key->document_path));
    }
    return Status::Ok();
  }
  INQ_ASSIGN_OR_RETURN(std::vector<Incident> all, store->ListIncidents({}));
  auto same_file = [&](const Incident& i) {
    return !i.document_path.empty() && i.document_path == in.document_path;
  };
  if (!plan->incident_id.empty()) {
    const Incident* earlier = Latest(all, [&](const Incident& i) {
      return same_file(i) && !HasIncidentId(i) && SameTitleAndDate(i, *plan);
    });
    if (earlier) {
      in.id = earlier->id;  // re-keyed "id:<incident id>" by the import
      plan->matched_by = "adopted";
    }
    return Status::Ok();
  }
  const Incident* earlier = Latest(all, [&](const Incident& i) {
    return same_file(i) && !HasIncidentId(i) && i.key == plan->legacy_key;
  });
  if (!earlier) {
    earlier = Latest(all, [&](const Incident& i) { return same_file(i) && !HasIncidentId(i); });
  }
  if (earlier) {
    in.id = earlier->id;
    in.key = earlier->key;
    plan->matched_by = "same file";
    return Status::Ok();
  }
  if (const Incident* with_id =
          Latest(all, [&](const Incident& i) { return same_file(i) && HasIncidentId(i); })) {
    plan->warnings.push_back(fmt::format(
        "{}: incident {} was imported from this file with 'Incident: {}'; this document has no "
        "'Incident:' line, so it is stored as a new incident. Add that line to update incident "
        "{} instead",
        in.document_path, with_id->id, with_id->key.substr(3), with_id->id));
  }
  return Status::Ok();
}

}  // namespace inquest::store
