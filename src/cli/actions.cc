// inquest actions: the action-item tracker over the store (src/store/): list, add, update,
// done, review, and sync (src/cli/actions_sync.cc).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <span>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/actions_sync.h"
#include "cli/command.h"
#include "cli/common.h"
#include "postmortem/lint.h"
#include "store/review.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
namespace {

using store::ActionItem;
using store::ActionStatus;

// Widest ACTION column in text output when stdout is not a terminal (a terminal's width wins).
constexpr size_t kMaxActionWidth = 72;

// Flags every subcommand shares: where the store is and what time it is.
struct StoreFlags {
  std::string db;
  std::string config;
  std::string now_text;
  TimePoint now = kNoTime;
  store::StoreSettings settings;

  void Add(CLI::App& app) {
    app.add_option("--db", db,
                   "the store: a SQLite file or postgresql://... (default: INQUEST_DB, [store] url "
                   "in inquest.toml, else ~/.local/share/inquest/inquest.db)");
    app.add_option("--config", config, "inquest.toml to read (default: searched)");
    app.add_option("--now", now_text,
                   "act as if it were this time (UTC): what is overdue or decaying, and the time "
                   "recorded for changes; for reproducible reports");
  }

  Result<std::unique_ptr<store::Store>> Open() {
    INQ_ASSIGN_OR_RETURN(settings, store::LoadStoreSettings(config, db));
    store::StoreOptions options;
    if (!now_text.empty()) {
      INQ_ASSIGN_OR_RETURN(now, ParseUserTime(now_text));
      options.clock = [t = now] { return t; };
    } else {
      now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
    }
    return store::OpenStore(settings.spec, options);
  }
};

std::string Day(TimePoint t) { return t == kNoTime ? "" : FormatTime(t, 0).substr(0, 10); }

// --due: a date (or a time, whose day is taken), or "none" to clear.
Result<TimePoint> ParseDue(std::string_view text) {
  if (EqualsIgnoreCase(TrimSpace(text), "none")) return kNoTime;
  INQ_ASSIGN_OR_RETURN(TimePoint t, ParseUserTime(text));
  int64_t days = t / store::kNanosPerDay - (t % store::kNanosPerDay < 0 ? 1 : 0);
  return days * store::kNanosPerDay;
}

Result<int64_t> ParseId(std::string_view text) {
  std::string_view t = TrimSpace(text);
  if (!t.empty() && t[0] == '#') t.remove_prefix(1);
  std::optional<int64_t> id = ParseInt(t);
  if (!id || *id < 1) {
    return Status::InvalidArgument(fmt::format("'{}' is not an action item id", text));
  }
  return *id;
}

void WriteItemJson(JsonWriter& w, const ActionItem& a, TimePoint now, bool history = true) {
  w.BeginObject();
  w.Key("id");
  w.Int(a.id);
  w.Key("incident");
  if (a.incident_id) {
    w.Int(a.incident_id);
  } else {
    w.Null();
  }
  w.Field("action", a.action);
  w.Field("owner", a.owner);
  w.Key("due");
  if (a.due == kNoTime) {
    w.Null();
  } else {
    w.String(Day(a.due));
  }
  w.Field("status", store::ActionStatusName(a.status));
  w.Field("class", store::ActionClassName(a.action_class));
  w.Field("ticket", a.ticket_url);
  w.Field("source_key", a.source_key);
  w.Key("overdue");
  w.Bool(store::IsOverdue(a, now));
  w.FieldTime("created", a.created);
  w.FieldTime("updated", a.updated);
  w.FieldTime("status_changed", a.status_changed);
  if (history && !a.history.empty()) {
    w.Key("history");
    w.BeginArray();
    for (const store::StatusChange& c : a.history) {
      w.BeginObject();
      w.FieldTime("at", c.at);
      w.Key("from");
      if (c.from) {
        w.String(store::ActionStatusName(*c.from));
      } else {
        w.Null();
      }
      w.Field("to", store::ActionStatusName(c.to));
      w.Field("note", c.note);
      if (c.is_text_change()) {
        w.Field("old_text", c.old_text.value_or(""));
        w.Field("new_text", *c.new_text);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void PrintItems(const std::vector<ActionItem>& items, OutputFormat format, TimePoint now,
                bool history) {
  if (format == OutputFormat::kJson) {
    JsonWriter w;
    w.BeginObject();
    w.Key("items");
    w.BeginArray();
    for (const ActionItem& a : items) WriteItemJson(w, a, now);
    w.EndArray();
    w.EndObject();
    Emit(w.Take());
    fmt::print("\n");  // a blank line after the document, as before
    return;
  }
  auto due_text = [&](const ActionItem& a) {
    std::string d = a.due == kNoTime ? "-" : Day(a.due);
    if (store::IsOverdue(a, now)) {
      d += fmt::format(" ({}d late)", store::Elapsed(a.due, now) / store::kNanosPerDay);
    }
    return d;
  };
  if (format == OutputFormat::kMd) {
    fmt::print("| # | Status | Due | Owner | Class | Incident | Action | Ticket |\n");
    fmt::print("|---|---|---|---|---|---|---|---|\n");
    for (const ActionItem& a : items) {
      fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} |\n", a.id,
                 store::ActionStatusName(a.status), due_text(a), MarkdownCell(a.owner),
                 store::ActionClassName(a.action_class),
                 a.incident_id ? fmt::format("#{}", a.incident_id) : "", MarkdownCell(a.action),
                 MarkdownCell(a.ticket_url));
    }
    return;
  }
  if (items.empty()) {
    fmt::print("no action items\n");
    return;
  }
  struct Row {
    std::string id, status, due, owner, cls, incident, action;
  };
  std::vector<Row> rows;
  Row head{"#", "STATUS", "DUE", "OWNER", "CLASS", "INCIDENT", "ACTION"};
  rows.push_back(head);
  for (const ActionItem& a : items) {
    rows.push_back({std::to_string(a.id), std::string(store::ActionStatusName(a.status)),
                    due_text(a), a.owner.empty() ? "-" : SanitizeForTerminal(a.owner),
                    a.action_class == store::ActionClass::kUnknown
                        ? "-"
                        : std::string(store::ActionClassName(a.action_class)),
                    a.incident_id ? fmt::format("#{}", a.incident_id) : "-",
                    SanitizeForTerminal(a.action)});
  }
  size_t w[6] = {};
  for (const Row& r : rows) {
    const std::string* cols[6] = {&r.id, &r.status, &r.due, &r.owner, &r.cls, &r.incident};
    for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], cols[i]->size());
  }
  size_t used = 0;
  for (size_t x : w) used += x + 2;
  size_t term = TerminalWidth(1);
  size_t action_width = term > used + 10 ? term - used : kMaxActionWidth;
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    std::string action = r.action;
    if (action.size() > action_width) action = action.substr(0, action_width - 3) + "...";
    fmt::print("{:>{}}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", r.id, w[0], r.status, w[1],
               r.due, w[2], r.owner, w[3], r.cls, w[4], r.incident, w[5], action);
    if (history && k > 0) {
      for (const store::StatusChange& c : items[k - 1].history) {
        if (c.is_text_change()) {
          fmt::print("{:>{}}  {} text: \"{}\" -> \"{}\"{}\n", "", w[0], FormatTime(c.at, 0),
                     SanitizeForTerminal(c.old_text.value_or("")), SanitizeForTerminal(*c.new_text),
                     c.note.empty() ? "" : "  " + SanitizeForTerminal(c.note));
          continue;
        }
        fmt::print("{:>{}}  {} {} -> {}{}\n", "", w[0], FormatTime(c.at, 0),
                   c.from ? store::ActionStatusName(*c.from) : "(created)",
                   store::ActionStatusName(c.to),
                   c.note.empty() ? "" : "  " + SanitizeForTerminal(c.note));
      }
    }
  }
}

int RunList(int argc, char** argv) {
  CLI::App app("list action items, filtered", "actions list");
  StoreFlags sf;
  FormatFlags format;
  std::string owner, incident;
  std::vector<std::string> statuses;
  bool overdue = false, history = false, open_only = false;
  sf.Add(app);
  format.Add(app, /*with_log_format=*/false);
  app.add_option("--owner", owner, "only this owner's items ('' for items without an owner)");
  app.add_option("--incident", incident, "only this incident's items (its id)");
  app.add_option("--status", statuses,
                 "only items in this status: open, in-progress, done, wont-do (repeatable)");
  app.add_flag("--open", open_only, "only items not closed (open or in progress)");
  app.add_flag("--overdue", overdue, "only items past their due date and not closed");
  app.add_flag("--history", history, "show each item's status history");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("actions list", s);
  store::ActionFilter f;
  if (app.count("--owner")) f.owner = owner;
  if (!incident.empty()) {
    Result<int64_t> id = ParseId(incident);
    if (!id.ok()) return Fail("actions list", id.status());
    f.incident_id = *id;
  }
  for (const std::string& s : statuses) {
    Result<ActionStatus> st = store::ParseActionStatus(s);
    if (!st.ok()) return Fail("actions list", st.status());
    f.statuses.push_back(*st);
  }
  if (open_only) {
    f.statuses.push_back(ActionStatus::kOpen);
    f.statuses.push_back(ActionStatus::kInProgress);
  }
  f.with_history = history;
  Result<std::unique_ptr<store::Store>> st = sf.Open();
  if (!st.ok()) return Fail("actions list", st.status());
  f.overdue_only = overdue;
  f.now = sf.now;
  Result<std::vector<ActionItem>> items = (*st)->ListActions(f);
  if (!items.ok()) return Fail("actions list", items.status());
  PrintItems(*items, format.output, sf.now, history);
  return 0;
}

// The fields `add` and `update` share.
struct ItemFlags {
  std::string owner, due, cls, ticket, status, text;
  void Add(CLI::App& app) {
    app.add_option("--owner", owner, "who owns it: a person or a role, not \"the team\"");
    app.add_option("--due", due, "due date (YYYY-MM-DD), or none");
    app.add_option("--class", cls, "prevent, detect or mitigate");
    app.add_option("--ticket", ticket, "the ticket's URL in the real tracker");
    app.add_option("--status", status, "open, in-progress, done or wont-do");
  }
  // Fills `u` from the flags given on the command line.
  Status Apply(const CLI::App& app, store::ActionUpdate* u) const {
    if (app.count("--owner")) u->owner = std::string(TrimSpace(owner));
    if (app.count("--due")) {
      INQ_ASSIGN_OR_RETURN(TimePoint d, ParseDue(due));
      u->due = d;
    }
    if (app.count("--class")) {
      INQ_ASSIGN_OR_RETURN(store::ActionClass c, store::ParseActionClass(cls));
      u->action_class = c;
    }
    if (app.count("--ticket")) u->ticket_url = std::string(TrimSpace(ticket));
    if (app.count("--status")) {
      INQ_ASSIGN_OR_RETURN(ActionStatus s, store::ParseActionStatus(status));
      u->status = s;
    }
    return Status::Ok();
  }
};

// The rules of `pm lint` an item recorded here is held to, as in a document's table: an owner
// who is a person or role, a real due date, specific wording.
constexpr std::string_view kItemRules[] = {"action-owner", "action-due", "action-vague"};

// What `pm lint` would say of the item in a document. Empty when it passes.
std::vector<LintFinding> ItemProblems(const ActionItem& a) {
  inquest::ActionItem row;
  row.action = a.action;
  row.owner = a.owner;
  row.due = a.due == kNoTime ? "" : Day(a.due);
  row.status = std::string(store::ActionStatusName(a.status));
  row.from_table = row.has_owner_column = row.has_due_column = row.has_status_column = true;
  std::vector<LintFinding> out;
  for (LintFinding& f : LintActionItem(row, LintConfig{}))
    if (std::find(std::begin(kItemRules), std::end(kItemRules), f.rule) != std::end(kItemRules))
      out.push_back(std::move(f));
  return out;
}

// Says the item's problems on stderr. Without --force they refuse the change (false).
bool AcceptItem(const ActionItem& a, bool force, std::string_view command) {
  std::vector<LintFinding> problems = ItemProblems(a);
  for (const LintFinding& f : problems)
    fmt::print(stderr, "inquest {}: {}{} [{}]; {}\n", command, force ? "warning: " : "", f.message,
               f.rule, f.hint);
  if (!problems.empty() && !force)
    fmt::print(stderr,
               "inquest {}: not recorded: fix the item, or record it as it is with --force\n",
               command);
  return problems.empty() || force;
}

void PrintChanged(const ActionItem& a, OutputFormat format, TimePoint now, std::string_view verb) {
  if (format == OutputFormat::kJson) {
    JsonWriter w;
    WriteItemJson(w, a, now);
    Emit(w.Take());
    fmt::print("\n");  // a blank line after the document, as before
    return;
  }
  fmt::print("{} action item {}: {} [{}]\n", verb, a.id, SanitizeForTerminal(a.action),
             store::ActionStatusName(a.status));
}

int RunAdd(int argc, char** argv) {
  CLI::App app("add an action item", "actions add");
  StoreFlags sf;
  FormatFlags format;
  ItemFlags item;
  std::string incident;
  sf.Add(app);
  format.Add(app, /*with_log_format=*/false);
  item.Add(app);
  app.add_option("text", item.text, "what will be done, specific and measurable")->required();
  app.add_option("--incident", incident, "the incident it follows up (its id)");
  bool force = false;
  app.add_flag("--force", force,
               "record it even when it breaks pm lint's action-item rules (owner, due, wording)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("actions add", s);
  store::ActionUpdate u;
  if (Status s = item.Apply(app, &u); !s.ok()) return Fail("actions add", s);
  ActionItem a;
  a.action = std::string(TrimSpace(item.text));
  a.owner = u.owner.value_or("");
  a.due = u.due.value_or(kNoTime);
  a.action_class = u.action_class.value_or(store::ActionClass::kUnknown);
  a.ticket_url = u.ticket_url.value_or("");
  a.status = u.status.value_or(ActionStatus::kOpen);
  if (!incident.empty()) {
    Result<int64_t> id = ParseId(incident);
    if (!id.ok()) return Fail("actions add", id.status());
    a.incident_id = *id;
  }
  if (!AcceptItem(a, force, "actions add")) return 2;
  Result<std::unique_ptr<store::Store>> st = sf.Open();
  if (!st.ok()) return Fail("actions add", st.status());
  Result<int64_t> id = (*st)->AddAction(a);
  if (!id.ok()) return Fail("actions add", id.status());
  Result<ActionItem> added = (*st)->GetAction(*id);
  if (!added.ok()) return Fail("actions add", added.status());
  PrintChanged(*added, format.output, sf.now, "added");
  return 0;
}

int RunUpdate(int argc, char** argv) {
  CLI::App app("change an action item; a status change is kept in its history", "actions update");
  StoreFlags sf;
  FormatFlags format;
  ItemFlags item;
  std::string id_text, note;
  sf.Add(app);
  format.Add(app, /*with_log_format=*/false);
  item.Add(app);
  app.add_option("id", id_text, "the item's id")->required();
  app.add_option("--text", item.text, "new wording of the action");
  app.add_option("--note", note, "why, recorded with a status change");
  bool force = false;
  app.add_flag("--force", force,
               "record it even when it breaks pm lint's action-item rules (owner, due, wording)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("actions update", s);
  Result<int64_t> id = ParseId(id_text);
  if (!id.ok()) return Fail("actions update", id.status());
  store::ActionUpdate u;
  if (Status s = item.Apply(app, &u); !s.ok()) return Fail("actions update", s);
  if (app.count("--text")) u.action = std::string(TrimSpace(item.text));
  u.note = note;
  if (!u.action && !u.owner && !u.due && !u.action_class && !u.ticket_url && !u.status) {
    return Fail("actions update",
                Status::InvalidArgument("nothing to change: give --status, --owner, --due, "
                                        "--class, --ticket or --text"));
  }
  Result<std::unique_ptr<store::Store>> st = sf.Open();
  if (!st.ok()) return Fail("actions update", st.status());
  // A change to what the item says, who owns it or when it is due is held to the same rules
  // as a new item; a status change alone is not.
  if (u.action || u.owner || u.due) {
    Result<ActionItem> before = (*st)->GetAction(*id);
    if (!before.ok()) return Fail("actions update", before.status());
    ActionItem would = *before;
    if (u.action) would.action = *u.action;
    if (u.owner) would.owner = *u.owner;
    if (u.due) would.due = *u.due;
    if (!AcceptItem(would, force, "actions update")) return 2;
  }
  Result<ActionItem> after = (*st)->UpdateAction(*id, u);
  if (!after.ok()) return Fail("actions update", after.status());
  PrintChanged(*after, format.output, sf.now, "updated");
  return 0;
}

int RunDone(int argc, char** argv) {
  CLI::App app("mark action items done", "actions done");
  StoreFlags sf;
  FormatFlags format;
  std::vector<std::string> ids;
  std::string note;
  sf.Add(app);
  format.Add(app, /*with_log_format=*/false);
  app.add_option("ids", ids, "the items' ids")->required();
  app.add_option("--note", note, "recorded with the status change (e.g. the PR that landed it)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("actions done", s);
  std::vector<int64_t> parsed;
  for (const std::string& t : ids) {
    Result<int64_t> id = ParseId(t);
    if (!id.ok()) return Fail("actions done", id.status());
    parsed.push_back(*id);
  }
  Result<std::unique_ptr<store::Store>> st = sf.Open();
  if (!st.ok()) return Fail("actions done", st.status());
  store::ActionUpdate u;
  u.status = ActionStatus::kDone;
  u.note = note;
  // Each item is its own transaction: one unknown id does not undo the others, and is
  // reported.
  Status first_error;
  for (int64_t id : parsed) {
    Result<ActionItem> after = (*st)->UpdateAction(id, u);
    if (!after.ok()) {
      fmt::print(stderr, "inquest actions done: {}\n", after.status().ToString());
      if (first_error.ok()) first_error = after.status();
      continue;
    }
    PrintChanged(*after, format.output, sf.now, "done:");
  }
  return first_error.ok() ? 0 : first_error.ExitCode();
}

void WriteReviewJson(const store::Review& r) {
  JsonWriter w;
  w.BeginObject();
  w.FieldTime("now", r.now);
  w.Key("decay_days");
  w.Int(r.decay_days);
  auto ids = [&](std::string_view key, const std::vector<int64_t>& v) {
    w.Key(key);
    w.BeginArray();
    for (int64_t id : v) w.Int(id);
    w.EndArray();
  };
  ids("overdue", r.overdue);
  ids("decaying", r.decaying);
  ids("no_owner", r.no_owner);
  ids("no_due", r.no_due);
  ids("no_ticket", r.no_ticket);
  auto counts = [&](const store::ItemCounts& c) {
    w.Key("total");
    w.Int(c.total);
    w.Key("not_closed");
    w.Int(c.open);
    w.Key("overdue");
    w.Int(c.overdue);
    w.Key("decaying");
    w.Int(c.decaying);
    w.Key("done");
    w.Int(c.done);
    w.Key("wont_do");
    w.Int(c.wont_do);
  };
  w.Key("per_owner");
  w.BeginArray();
  for (const auto& [owner, c] : r.per_owner) {
    w.BeginObject();
    w.Field("owner", owner);
    counts(c);
    w.EndObject();
  }
  w.EndArray();
  w.Key("per_incident");
  w.BeginArray();
  for (const auto& [id, c] : r.per_incident) {
    w.BeginObject();
    w.Key("incident");
    if (id) {
      w.Int(id);
    } else {
      w.Null();
    }
    auto it = r.incidents.find(id);
    w.Field("title", it == r.incidents.end() ? "" : it->second.title);
    counts(c);
    w.EndObject();
  }
  w.EndArray();
  w.Key("recurrences");
  w.BeginArray();
  for (const store::Recurrence& rec : r.recurrences) {
    w.BeginObject();
    w.Key("incident");
    w.Int(rec.later_id);
    w.Key("repeats");
    w.Int(rec.earlier_id);
    w.Key("shared_services");
    w.BeginArray();
    for (const std::string& s : rec.shared_services) w.String(s);
    w.EndArray();
    w.Field("shared_trigger", rec.shared_trigger);
    ids("items_not_done", rec.earlier_items_not_done);
    w.EndObject();
  }
  w.EndArray();
  w.Key("items");
  w.BeginArray();
  for (const ActionItem& a : r.items) WriteItemJson(w, a, r.now, /*history=*/false);
  w.EndArray();
  w.EndObject();
  Emit(w.Take());
  fmt::print("\n");  // a blank line after the document, as before
}

int RunReview(int argc, char** argv) {
  CLI::App app(
      "the two-week follow-up as a Markdown agenda: overdue items, silent decay, items without "
      "owner, date or ticket, counts per owner and incident, recurrences. Exits 1 when there is "
      "something to act on",
      "actions review");
  StoreFlags sf;
  FormatFlags format;
  format.format = "md";
  int decay_days = 0;
  sf.Add(app);
  format.Add(app, /*with_log_format=*/false);
  app.add_option("--decay-days", decay_days,
                 "silent decay after this many days without a status change (default 14, or "
                 "[store] decay_days)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("actions review", s);
  Result<std::unique_ptr<store::Store>> st = sf.Open();
  if (!st.ok()) return Fail("actions review", st.status());
  store::ReviewOptions o;
  o.now = sf.now;
  o.decay_days = app.count("--decay-days") ? decay_days : sf.settings.decay_days;
  Result<store::Review> r = store::BuildReview(st->get(), o);
  if (!r.ok()) return Fail("actions review", r.status());
  if (format.output == OutputFormat::kJson) {
    WriteReviewJson(*r);
  } else {
    fmt::print("{}", store::ReviewMarkdown(*r));
  }
  return store::NeedsAttention(*r) ? 1 : 0;
}

constexpr Command kSubs[] = {
    {"list", "list action items (--owner, --incident, --status, --open, --overdue)", RunList},
    {"add", "add an action item", RunAdd},
    {"update", "change an item's status, owner, due date, class, ticket or text", RunUpdate},
    {"done", "mark items done", RunDone},
    {"review", "the two-week follow-up agenda (Markdown)", RunReview},
    {"sync", "create tickets in GitHub or Jira and pull their status back", RunActionsSync},
};

}  // namespace

int RunActions(int argc, char** argv) { return RunSubcommands("actions", kSubs, argc, argv); }

}  // namespace inquest::cli
