#include "evidence/record_vocabulary.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {
namespace {

using R = RecordRole;

// Weights: a word that, on its own, names the record's role (1.0); one that leans towards it
// (0.5); one that is shared by several roles (0.3 each).
constexpr double kNames = 1.0;
constexpr double kLeans = 0.5;
constexpr double kShared = 0.3;

constexpr RoleWord kValueWords[] = {
    // What changed: the action of a change record.
    {"deploy", R::kChange, kNames},
    {"deployed", R::kChange, kNames},
    {"deploying", R::kChange, kNames},
    {"deployment", R::kChange, kNames},
    {"release", R::kChange, kNames},
    {"released", R::kChange, kNames},
    {"rollout", R::kChange, kNames},
    {"rollback", R::kChange, kNames},
    {"rolled", R::kChange, kLeans},
    {"revert", R::kChange, kNames},
    {"reverted", R::kChange, kNames},
    {"canary", R::kChange, kNames},
    {"promote", R::kChange, kLeans},
    {"promoted", R::kChange, kLeans},
    {"config", R::kChange, kNames},
    {"configuration", R::kChange, kNames},
    {"configmap", R::kChange, kNames},
    {"setting", R::kChange, kLeans},
    {"flag", R::kChange, kNames},
    {"toggle", R::kChange, kNames},
    {"toggled", R::kChange, kNames},
    {"experiment", R::kChange, kLeans},
    {"migration", R::kChange, kNames},
    {"migrate", R::kChange, kNames},
    {"migrated", R::kChange, kNames},
    {"schema", R::kChange, kLeans},
    {"merge", R::kChange, kNames},
    {"merged", R::kChange, kNames},
    {"scale", R::kChange, kNames},
    {"scaled", R::kChange, kNames},
    {"terraform", R::kChange, kNames},
    {"upgrade", R::kChange, kNames},
    {"upgraded", R::kChange, kNames},
    {"downgrade", R::kChange, kNames},
    {"helm", R::kChange, kLeans},
    {"failover", R::kChange, kNames},
    {"drain", R::kChange, kLeans},
    {"cordon", R::kChange, kNames},
    {"hotfix", R::kChange, kNames},
    {"backfill", R::kChange, kNames},
    {"purge", R::kChange, kLeans},
    {"invalidate", R::kChange, kLeans},
    {"infra", R::kChange, kLeans},
    {"code", R::kChange, kLeans},
    {"commit", R::kChange, kNames},
    {"pr", R::kChange, kLeans},
    {"pull", R::kChange, kShared},
    // The state of an alert.
    {"firing", R::kAlert, kNames},
    {"pending", R::kAlert, kShared},
    {"inhibited", R::kAlert, kNames},
    {"suppressed", R::kAlert, kLeans},
    {"unprocessed", R::kAlert, kNames},
    {"resolved", R::kAlert, kShared},
    // What happens to a page.
    {"trigger", R::kPage, kNames},
    {"triggered", R::kPage, kNames},
    {"acknowledge", R::kPage, kNames},
    {"acknowledged", R::kPage, kNames},
    {"unacknowledged", R::kPage, kNames},
    {"ack", R::kPage, kLeans},
    {"escalate", R::kPage, kNames},
    {"escalated", R::kPage, kNames},
    {"escalation", R::kPage, kNames},
    {"assigned", R::kPage, kShared},
    {"notified", R::kPage, kLeans},
    {"notify", R::kPage, kLeans},
    {"notification", R::kPage, kLeans},
    {"snoozed", R::kPage, kNames},
    {"incident", R::kPage, kLeans},
    {"resolved", R::kPage, kShared},
    {"alert", R::kAlert, kShared},
    {"alert", R::kPage, kShared},
    {"created", R::kPage, kShared},
    {"sms", R::kPage, kShared},
    {"call", R::kPage, kShared},
    // The life of a ticket and who opened it.
    {"open", R::kTicket, kLeans},
    {"opened", R::kTicket, kShared},
    {"new", R::kTicket, kShared},
    {"pending", R::kTicket, kShared},
    {"hold", R::kTicket, kLeans},
    {"solved", R::kTicket, kNames},
    {"closed", R::kTicket, kLeans},
    {"reopened", R::kTicket, kNames},
    {"progress", R::kTicket, kShared},
    {"todo", R::kTicket, kLeans},
    {"urgent", R::kTicket, kLeans},
    {"normal", R::kTicket, kShared},
    {"question", R::kTicket, kLeans},
    {"problem", R::kTicket, kLeans},
    {"customer", R::kTicket, kNames},
    {"support", R::kTicket, kLeans},
    {"phone", R::kTicket, kLeans},
    {"resolved", R::kTicket, kShared},
    // Chat messages.
    {"message", R::kChat, kNames},
    {"bot_message", R::kChat, kNames},
    {"thread_broadcast", R::kChat, kNames},
    {"channel_join", R::kChat, kNames},
    {"me_message", R::kChat, kNames},
};

constexpr RoleWord kKeyWords[] = {
    // Change records name what changed.
    {"version", R::kChange, kLeans},
    {"flag", R::kChange, kLeans},
    {"feature", R::kChange, kShared},
    {"rollout", R::kChange, kLeans},
    {"percent", R::kChange, kLeans},
    {"percentage", R::kChange, kLeans},
    {"commit", R::kChange, kLeans},
    {"sha", R::kChange, kLeans},
    {"revision", R::kChange, kLeans},
    {"deploy", R::kChange, kLeans},
    {"deployment", R::kChange, kLeans},
    {"deployed", R::kChange, kLeans},
    {"release", R::kChange, kLeans},
    {"change", R::kChange, kLeans},
    {"config", R::kChange, kShared},
    {"migration", R::kChange, kLeans},
    {"image", R::kChange, kShared},
    {"pipeline", R::kChange, kShared},
    {"pr", R::kChange, kShared},
    // Alerts.
    {"alertname", R::kAlert, kNames},
    {"alert", R::kAlert, kNames},
    {"labels", R::kAlert, kShared},
    {"annotations", R::kAlert, kLeans},
    {"starts", R::kAlert, kLeans},
    {"ends", R::kAlert, kShared},
    {"fingerprint", R::kAlert, kLeans},
    {"generator", R::kAlert, kLeans},
    {"receiver", R::kAlert, kShared},
    {"silenced", R::kAlert, kLeans},
    {"inhibited", R::kAlert, kLeans},
    {"rule", R::kAlert, kShared},
    // Pages.
    {"incident", R::kPage, kLeans},
    {"urgency", R::kPage, kLeans},
    {"escalation", R::kPage, kLeans},
    {"acknowledgement", R::kPage, kLeans},
    {"acknowledgements", R::kPage, kLeans},
    {"assignments", R::kPage, kShared},
    {"agent", R::kPage, kShared},
    {"oncall", R::kPage, kLeans},
    {"responders", R::kPage, kLeans},
    {"entry", R::kPage, kShared},
    {"owner", R::kPage, kShared},
    // Tickets.
    {"ticket", R::kTicket, kNames},
    {"requester", R::kTicket, kLeans},
    {"subject", R::kTicket, kLeans},
    {"priority", R::kTicket, kShared},
    {"assignee", R::kTicket, kShared},
    {"reporter", R::kTicket, kLeans},
    {"via", R::kTicket, kShared},
    {"customer", R::kTicket, kLeans},
    {"organization", R::kTicket, kShared},
    {"submitter", R::kTicket, kLeans},
    {"satisfaction", R::kTicket, kLeans},
    {"issuetype", R::kTicket, kLeans},
    // Chat.
    {"user", R::kChat, kShared},
    {"text", R::kChat, kShared},
    {"thread", R::kChat, kShared},
    {"reactions", R::kChat, kLeans},
    {"username", R::kChat, kShared},
    {"subtype", R::kChat, kLeans},
    {"blocks", R::kChat, kShared},
    {"edited", R::kChat, kShared},
    {"replies", R::kChat, kShared},
    // Logs.
    {"level", R::kLog, kLeans},
    {"lvl", R::kLog, kLeans},
    {"loglevel", R::kLog, kLeans},
    {"msg", R::kLog, kLeans},
    {"message", R::kLog, kShared},
    {"logger", R::kLog, kLeans},
    {"caller", R::kLog, kLeans},
    {"trace", R::kLog, kShared},
    {"span", R::kLog, kShared},
    {"request", R::kLog, kShared},
    {"method", R::kLog, kShared},
    {"latency", R::kLog, kShared},
    {"duration", R::kLog, kShared},
    {"pid", R::kLog, kShared},
    {"stack", R::kLog, kShared},
    {"exception", R::kLog, kLeans},
    {"func", R::kLog, kShared},
};

// Value words of a person's response to a page.
constexpr std::string_view kHumanResponseWords[] = {
    "acknowledge",    "acknowledged", "ack",       "acked",          "unacknowledge",
    "unacknowledged", "escalate",     "escalated", "snooze",         "snoozed",
    "reassign",       "reassigned",   "takeover",  "assignownership"};

// Log level words, lower case: the full and abbreviated forms loggers write.
constexpr std::string_view kLevelWords[] = {
    "trace",         "debug",  "dbug",  "dbg",      "info",   "inf",       "information",
    "informational", "notice", "warn",  "warning",  "wrn",    "error",     "err",
    "eror",          "fatal",  "crit",  "critical", "emerg",  "emergency", "panic",
    "severe",        "fine",   "finer", "finest",   "verbose"};
constexpr std::string_view kLevelLetters = "tdiwefc";

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c));
  });
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// "v2.317", "1.4.0", "1.4.0-rc1", "2.3.1+build5": digits and dots with a 'v' or two dots.
bool IsVersion(std::string_view s) {
  bool v = !s.empty() && (s[0] == 'v' || s[0] == 'V');
  if (v) s.remove_prefix(1);
  size_t end = s.find_first_of("-+");
  std::string_view core = s.substr(0, end);
  if (end != std::string_view::npos && end + 1 >= s.size()) return false;
  std::vector<std::string_view> parts = Split(core, '.');
  if (parts.size() > 4) return false;
  for (std::string_view p : parts)
    if (!IsDigits(p) || p.size() > 6) return false;
  return v ? !parts.empty() : parts.size() >= 3;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

bool IsHumanResponseWord(std::string_view lower_word) {
  return std::find(std::begin(kHumanResponseWords), std::end(kHumanResponseWords), lower_word) !=
         std::end(kHumanResponseWords);
}

std::string_view RecordRoleName(RecordRole r) {
  static constexpr std::array<std::string_view, kRecordRoleCount> kNamesOf = {
      "log",  "change", "alert", "page", "ticket", "chat",
      "span", "dump",   "core",  "heap", "metric", "profile"};
  return kNamesOf[static_cast<size_t>(r)];
}

std::span<const RoleWord> ValueWords() { return kValueWords; }
std::span<const RoleWord> KeyWords() { return kKeyWords; }

std::string_view ValueShapeName(ValueShape s) {
  static constexpr std::string_view kNamesOf[] = {"empty",  "time",     "version",   "percent",
                                                  "commit", "trace id", "ticket id", "level",
                                                  "number", "email",    "word",      "text"};
  return kNamesOf[static_cast<size_t>(s)];
}

bool IsLevelWord(std::string_view v, bool allow_letters) {
  if (v.size() == 1)
    return allow_letters && kLevelLetters.find(std::tolower(v[0])) != std::string_view::npos;
  if (v.size() > 13) return false;
  std::string l = ToLower(v);
  return std::find(std::begin(kLevelWords), std::end(kLevelWords), l) != std::end(kLevelWords);
}

ValueShape ShapeOfValue(std::string_view v) {
  v = TrimSpace(v);
  if (v.empty() || v == "[]" || v == "null") return ValueShape::kEmpty;
  if (v.find(' ') == std::string_view::npos || v.size() <= 35) {
    ParsedTime pt;
    // Plain small numbers ("3", "200") are counts, not epochs; ParseTimeValue takes only
    // epoch-length digit runs.
    if (ParseTimeValue(v, {}, &pt)) return ValueShape::kTime;
  }
  if (v.find(' ') != std::string_view::npos || v.size() > 64) {
    std::string_view pct = v;
    if (pct.ends_with('%')) {
      pct.remove_suffix(1);
      if (ParseDouble(TrimSpace(pct))) return ValueShape::kPercent;
    }
    return ValueShape::kText;
  }
  if (v.ends_with('%') && ParseDouble(v.substr(0, v.size() - 1))) return ValueShape::kPercent;
  if (IsVersion(v)) return ValueShape::kVersion;
  // An image reference: "registry/app:2.3.1", "app@v1.2".
  if (size_t sep = v.find_last_of(":@"); sep != std::string_view::npos && sep > 0 &&
                                         !std::isdigit(static_cast<unsigned char>(v[sep - 1])) &&
                                         IsVersion(v.substr(sep + 1)))
    return ValueShape::kVersion;
  if (ParseDouble(v)) return ValueShape::kNumber;
  if (IsUuid(v) || (IsHex(v) && (v.size() == 16 || v.size() == 32))) return ValueShape::kTraceId;
  if (IsHex(v) && v.size() >= 7 && v.size() <= 40 &&
      std::any_of(v.begin(), v.end(), [](char c) { return std::isalpha(c); }) &&
      std::any_of(v.begin(), v.end(), [](char c) { return std::isdigit(c); }))
    return ValueShape::kCommit;
  if (size_t dash = v.find('-'); dash != std::string_view::npos && dash >= 2 && dash <= 10 &&
                                 IsDigits(v.substr(dash + 1)) &&
                                 std::all_of(v.begin(), v.begin() + dash, [](char c) {
                                   return std::isupper(static_cast<unsigned char>(c)) ||
                                          std::isdigit(static_cast<unsigned char>(c));
                                 }))
    return ValueShape::kTicketId;
  if (IsLevelWord(v, false)) return ValueShape::kLevel;
  if (size_t at = v.find('@');
      at != std::string_view::npos && at > 0 && v.find('.', at) != std::string_view::npos)
    return ValueShape::kEmail;
  return ValueShape::kWord;
}

std::vector<std::string> WordTokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    // A hump: "startsAt" -> "starts" | "at"; "HTTPServer" stays one token per run.
    if (std::isupper(c) && !cur.empty() && std::islower(static_cast<unsigned char>(s[i - 1])))
      flush();
    cur += static_cast<char>(std::tolower(c));
  }
  flush();
  return out;
}

}  // namespace inquest
