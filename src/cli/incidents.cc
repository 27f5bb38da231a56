// inquest incidents list|show: what the store holds, per incident: its times, SEV, document and
// action items with their whole history (src/store/).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <memory>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"
#include "store/metrics.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
// Named, so that the unity build's batches never mix these helpers with another command's.
namespace incidents_cmd {
namespace {

using store::ActionItem;
using store::ActionStatus;
using store::Incident;

// Widest TITLE column in `list` when stdout is not a terminal (a terminal's width wins).
constexpr size_t kMaxTitleWidth = 60;

struct Flags {
  std::string db;
  std::string config;
  std::string format = "text";
  bool json = false;

  void Add(CLI::App& app) {
    app.add_option("--db", db,
                   "the store: a SQLite file or postgresql://... (default: INQUEST_DB, [store] url "
                   "in inquest.toml, else ~/.local/share/inquest/inquest.db)");
    app.add_option("--config", config, "inquest.toml to read (default: searched)");
    app.add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
    app.add_flag("--json", json, "the same as --format json");
  }
  bool Json() const { return json || format == "json"; }

  Result<std::unique_ptr<store::Store>> Open() const {
    INQ_ASSIGN_OR_RETURN(store::StoreSettings settings, store::LoadStoreSettings(config, db));
    return store::OpenStore(settings.spec, {});
  }
};

struct ItemCounts {
  int total = 0, open = 0, done = 0, wont_do = 0;
  void Add(const ActionItem& a) {
    ++total;
    if (a.status == ActionStatus::kDone) {
      ++done;
    } else if (a.status == ActionStatus::kWontDo) {
      ++wont_do;
    } else {
      ++open;
    }
  }
};

// "2026-05-29 14:11:00 UTC", "-" for none.
std::string Shown(TimePoint t) {
  if (t == kNoTime) return "-";
  std::string s = FormatTime(t, 0);  // 2026-05-29T14:11:00Z
  return s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
}

std::string Duration(std::optional<int64_t> d) { return d ? store::CompactDuration(*d) : "-"; }

// Which times the TTR of `i` comes from.
std::string_view TtrSource(const Incident& i) {
  return i.mitigated != kNoTime ? "mitigated - started"
                                : "resolved - started, no mitigation stated";
}

void WriteSeconds(JsonWriter& w, std::string_view key, std::optional<int64_t> d) {
  w.Key(key);
  if (d) {
    w.Double(static_cast<double>(*d) / kNanosPerSecond, 0);
  } else {
    w.Null();
  }
}

void WriteIncidentJson(JsonWriter& w, const Incident& i, const ItemCounts& c) {
  w.BeginObject();
  w.Key("id");
  w.Int(i.id);
  w.Field("key", i.key);
  w.Field("title", i.title);
  w.Field("sev", i.sev);
  w.Key("services");
  w.BeginArray();
  for (const std::string& s : i.services) w.String(s);
  w.EndArray();
  w.FieldTime("started", i.started);
  w.FieldTime("detected", i.detected);
  w.FieldTime("acknowledged", i.acknowledged);
  w.FieldTime("mitigated", i.mitigated);
  w.FieldTime("resolved", i.resolved);
  WriteSeconds(w, "time_to_detect_s", store::TimeToDetect(i));
  WriteSeconds(w, "time_to_recover_s", store::TimeToRecover(i));
  w.Field("trigger", i.trigger_category);
  w.Field("document", i.document_path);
  w.Key("items");
  w.BeginObject();
  w.Key("total");
  w.Int(c.total);
  w.Key("open");
  w.Int(c.open);
  w.Key("done");
  w.Int(c.done);
  w.Key("wont_do");
  w.Int(c.wont_do);
  w.EndObject();
  w.FieldTime("created", i.created);
  w.FieldTime("updated", i.updated);
  w.EndObject();
}

void WriteDefinitions(JsonWriter& w) {
  w.Key("definitions");
  w.BeginObject();
  w.Field("time_to_detect", store::kTtdDefinition);
  w.Field("time_to_recover", store::kTtrDefinition);
  w.EndObject();
}

// --- list ------------------------------------------------------------------------------------

int RunList(int argc, char** argv) {
  CLI::App app(
      "one row per stored incident: key, SEV, start, time to detect and recover, action items "
      "open and done, title",
      "incidents list");
  Flags flags;
  std::string since_text, sev;
  flags.Add(app);
  app.add_option("--since", since_text, "only incidents that started at or after this time");
  app.add_option("--sev", sev, "only incidents of this SEV, as stored (e.g. SEV-2)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  store::IncidentFilter filter;
  if (!since_text.empty()) {
    Result<TimePoint> t = ParseUserTime(since_text);
    if (!t.ok()) return Fail("incidents list", t.status());
    filter.since = *t;
  }
  if (app.count("--sev")) filter.sev = sev;
  Result<std::unique_ptr<store::Store>> st = flags.Open();
  if (!st.ok()) return Fail("incidents list", st.status());
  Result<std::vector<Incident>> incidents = (*st)->ListIncidents(filter);
  if (!incidents.ok()) return Fail("incidents list", incidents.status());
  Result<std::vector<ActionItem>> items = (*st)->ListActions({});
  if (!items.ok()) return Fail("incidents list", items.status());
  std::map<int64_t, ItemCounts> counts;
  for (const ActionItem& a : *items) counts[a.incident_id].Add(a);

  if (flags.Json()) {
    JsonWriter w;
    w.BeginObject();
    w.Key("incidents");
    w.BeginArray();
    for (const Incident& i : *incidents) WriteIncidentJson(w, i, counts[i.id]);
    w.EndArray();
    WriteDefinitions(w);
    w.EndObject();
    Emit(w.Take());
    fmt::print("\n");  // a blank line after the document, as before
    return 0;
  }
  if (incidents->empty()) {
    fmt::print("no incidents in the store\n");
    return 0;
  }
  using Row = std::vector<std::string>;
  std::vector<Row> rows = {
      {"#", "KEY", "SEV", "DATE", "START", "TTD", "TTR", "OPEN", "DONE", "ITEMS", "TITLE"}};
  for (const Incident& i : *incidents) {
    const ItemCounts& c = counts[i.id];
    std::string started = FormatTime(i.started, 0);
    rows.push_back({std::to_string(i.id), SanitizeForTerminal(i.key),
                    i.sev.empty() ? "-" : SanitizeForTerminal(i.sev),
                    i.started == kNoTime ? "-" : started.substr(0, 10),
                    i.started == kNoTime ? "-" : started.substr(11, 5),
                    Duration(store::TimeToDetect(i)), Duration(store::TimeToRecover(i)),
                    std::to_string(c.open), std::to_string(c.done), std::to_string(c.total),
                    SanitizeForTerminal(i.title)});
  }
  constexpr size_t kCols = 10;  // every column but the title
  size_t width[kCols] = {};
  for (const Row& r : rows) {
    for (size_t k = 0; k < kCols; ++k) width[k] = std::max(width[k], r[k].size());
  }
  size_t used = 0;
  for (size_t x : width) used += x + 2;
  size_t term = TerminalWidth(1);
  size_t title_width = term > used + 10 ? term - used : kMaxTitleWidth;
  for (const Row& r : rows) {
    std::string line;
    for (size_t k = 0; k < kCols; ++k) {
      // Numbers right-aligned, text left-aligned.
      bool number = k == 0 || k >= 5;
      line += number ? fmt::format("{:>{}}  ", r[k], width[k])
                     : fmt::format("{:<{}}  ", r[k], width[k]);
    }
    std::string title = r[kCols];
    if (title.size() > title_width) title = title.substr(0, title_width - 3) + "...";
    fmt::print("{}{}\n", line, title);
  }
  fmt::print("\n{}. {}.\n", store::kTtdDefinition, store::kTtrDefinition);
  return 0;
}

// --- show ------------------------------------------------------------------------------------

// The incident a user names: its number ("3", "#3"), its key ("id:inc-...", "doc:/path"), or
// its incident id without the "id:" ("inc-20260529-1411-3fa9c2", "INC-2291").
Result<Incident> FindIncident(store::Store* st, std::string_view arg) {
  std::string_view t = TrimSpace(arg);
  std::string_view number = t.starts_with('#') ? t.substr(1) : t;
  if (std::optional<int64_t> n = ParseInt(number); n && *n > 0) {
    Result<Incident> i = st->GetIncident(*n);
    if (i.ok() || i.status().code() != StatusCode::kNotFound) return i;
  }
  for (const std::string& key : {std::string(t), "id:" + std::string(t)}) {
    INQ_ASSIGN_OR_RETURN(std::optional<Incident> i, st->FindIncidentByKey(key));
    if (i) return std::move(*i);
  }
  return Status::NotFound(
      fmt::format("no incident '{}' in the store (give its number from 'inquest incidents "
                  "list', its key, or its incident id)",
                  t));
}

std::string_view HistoryKind(const store::StatusChange& c) {
  if (!c.from) return "created";
  if (c.is_text_change()) return "text";
  if (*c.from != c.to) return "status";
  return "note";
}

void WriteItemJson(JsonWriter& w, const ActionItem& a) {
  w.BeginObject();
  w.Key("id");
  w.Int(a.id);
  w.Field("key", a.source_key);
  w.Field("action", a.action);
  w.Field("owner", a.owner);
  w.Key("due");
  if (a.due == kNoTime) {
    w.Null();
  } else {
    w.String(FormatTime(a.due, 0).substr(0, 10));
  }
  w.Field("status", store::ActionStatusName(a.status));
  w.Field("class", store::ActionClassName(a.action_class));
  w.Field("ticket", a.ticket_url);
  w.FieldTime("created", a.created);
  w.FieldTime("updated", a.updated);
  w.FieldTime("status_changed", a.status_changed);
  w.Key("history");
  w.BeginArray();
  for (const store::StatusChange& c : a.history) {
    w.BeginObject();
    w.FieldTime("at", c.at);
    w.Field("kind", HistoryKind(c));
    w.Key("from");
    if (c.from) {
      w.String(store::ActionStatusName(*c.from));
    } else {
      w.Null();
    }
    w.Field("to", store::ActionStatusName(c.to));
    if (c.is_text_change()) {
      w.Field("old_text", c.old_text.value_or(""));
      w.Field("new_text", *c.new_text);
    }
    w.Field("note", c.note);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void PrintShowText(const Incident& i, const std::vector<ActionItem>& items) {
  fmt::print("Incident {}: {}\n", i.id, SanitizeForTerminal(i.title));
  auto field = [](std::string_view name, std::string_view value) {
    fmt::print("  {:<14}{}\n", std::string(name) + ":", value.empty() ? "-" : value);
  };
  field("Key", SanitizeForTerminal(i.key));
  field("SEV", SanitizeForTerminal(i.sev));
  field("Services", SanitizeForTerminal(fmt::format("{}", fmt::join(i.services, ", "))));
  field("Trigger", SanitizeForTerminal(i.trigger_category));
  field("Document", SanitizeForTerminal(i.document_path));
  field("Started", Shown(i.started));
  field("Detected", Shown(i.detected));
  field("Acknowledged", Shown(i.acknowledged));
  field("Mitigated", Shown(i.mitigated));
  field("Resolved", Shown(i.resolved));
  std::optional<int64_t> ttd = store::TimeToDetect(i), ttr = store::TimeToRecover(i);
  field("TTD", ttd ? fmt::format("{} (detected - started)", Duration(ttd)) : "-");
  field("TTR", ttr ? fmt::format("{} ({})", Duration(ttr), TtrSource(i)) : "-");
  field("Stored", fmt::format("{}, updated {}", Shown(i.created), Shown(i.updated)));

  ItemCounts c;
  for (const ActionItem& a : items) c.Add(a);
  fmt::print("\nAction items: {} ({} open, {} done, {} won't do)\n", c.total, c.open, c.done,
             c.wont_do);
  for (const ActionItem& a : items) {
    std::vector<std::string> parts = {fmt::format("#{}", a.id)};
    if (!a.source_key.empty()) parts.push_back(SanitizeForTerminal(a.source_key));
    parts.push_back(std::string(store::ActionStatusName(a.status)));
    parts.push_back("owner: " + (a.owner.empty() ? "-" : SanitizeForTerminal(a.owner)));
    parts.push_back("due: " + (a.due == kNoTime ? "-" : FormatTime(a.due, 0).substr(0, 10)));
    parts.push_back("ticket: " + (a.ticket_url.empty() ? "-" : SanitizeForTerminal(a.ticket_url)));
    if (a.action_class != store::ActionClass::kUnknown) {
      parts.push_back("class: " + std::string(store::ActionClassName(a.action_class)));
    }
    fmt::print("\n  {}\n", fmt::join(parts, "  "));
    fmt::print("    {}\n", SanitizeForTerminal(a.action));
    for (const store::StatusChange& h : a.history) {
      std::string what;
      if (!h.from) {
        what = fmt::format("created ({})", store::ActionStatusName(h.to));
      } else if (h.is_text_change()) {
        what = fmt::format("text '{}' -> '{}'", SanitizeForTerminal(h.old_text.value_or("")),
                           SanitizeForTerminal(*h.new_text));
      } else if (*h.from != h.to) {
        what = fmt::format("status {} -> {}", store::ActionStatusName(*h.from),
                           store::ActionStatusName(h.to));
      } else {
        what = "note";
      }
      fmt::print("    {}  {}{}\n", Shown(h.at), what,
                 h.note.empty() ? "" : "  " + SanitizeForTerminal(h.note));
    }
  }
}

int RunShow(int argc, char** argv) {
  CLI::App app(
      "one incident: its times, SEV, source document, and its action items with status, owner, "
      "due date, ticket and whole history (text and status changes, with times)",
      "incidents show");
  Flags flags;
  std::string which;
  flags.Add(app);
  app.add_option("incident", which,
                 "the incident's number (from 'incidents list'), its key, or its incident id")
      ->required();
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  Result<std::unique_ptr<store::Store>> st = flags.Open();
  if (!st.ok()) return Fail("incidents show", st.status());
  Result<Incident> incident = FindIncident(st->get(), which);
  if (!incident.ok()) return Fail("incidents show", incident.status());
  store::ActionFilter f;
  f.incident_id = incident->id;
  f.with_history = true;
  Result<std::vector<ActionItem>> items = (*st)->ListActions(f);
  if (!items.ok()) return Fail("incidents show", items.status());
  if (!flags.Json()) {
    PrintShowText(*incident, *items);
    return 0;
  }
  ItemCounts c;
  for (const ActionItem& a : *items) c.Add(a);
  JsonWriter w;
  w.BeginObject();
  w.Key("incident");
  WriteIncidentJson(w, *incident, c);
  w.Key("items");
  w.BeginArray();
  for (const ActionItem& a : *items) WriteItemJson(w, a);
  w.EndArray();
  WriteDefinitions(w);
  w.EndObject();
  Emit(w.Take());
  fmt::print("\n");  // a blank line after the document, as before
  return 0;
}

constexpr Command kSubs[] = {
    {"list", "one row per incident: key, SEV, start, TTD, TTR, items open and done", RunList},
    {"show", "one incident: times, SEV, document, items with their whole history", RunShow},
};

}  // namespace
}  // namespace incidents_cmd

int RunIncidents(int argc, char** argv) {
  using namespace incidents_cmd;
  return RunSubcommands("incidents", kSubs, argc, argv);
}

}  // namespace inquest::cli
