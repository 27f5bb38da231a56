// Names of statuses and classes, the store's location rules and OpenStore.
#include "store/store.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "base/strings.h"
#include "store/connection.h"
#include "store/migrations.h"
#include "store/sql_store.h"

namespace inquest::store {

std::string_view ActionStatusName(ActionStatus s) {
  switch (s) {
    case ActionStatus::kOpen:
      return "open";
    case ActionStatus::kInProgress:
      return "in progress";
    case ActionStatus::kDone:
      return "done";
    case ActionStatus::kWontDo:
      return "won't do";
  }
  return "open";
}

Result<ActionStatus> ParseActionStatus(std::string_view text) {
  std::string s = ToLower(TrimSpace(text));
  for (char& c : s) {
    if (c == '-' || c == '_') c = ' ';
  }
  if (s == "open" || s == "todo" || s == "to do" || s == "not started" || s == "proposed" ||
      s == "planned" || s == "new" || s == "backlog") {
    return ActionStatus::kOpen;
  }
  if (s == "in progress" || s == "inprogress" || s == "doing" || s == "started") {
    return ActionStatus::kInProgress;
  }
  if (s == "done" || s == "closed" || s == "complete" || s == "completed" || s == "fixed") {
    return ActionStatus::kDone;
  }
  if (s == "won't do" || s == "wont do" || s == "won't" || s == "wontdo" || s == "wontfix" ||
      s == "won't fix" || s == "wont fix" || s == "dropped") {
    return ActionStatus::kWontDo;
  }
  return Status::InvalidArgument(fmt::format(
      "unknown status '{}' (expected open, in-progress, done or wont-do)", TrimSpace(text)));
}

bool IsClosed(ActionStatus s) { return s == ActionStatus::kDone || s == ActionStatus::kWontDo; }

std::string_view ActionClassName(ActionClass c) {
  switch (c) {
    case ActionClass::kPrevent:
      return "prevent";
    case ActionClass::kDetect:
      return "detect";
    case ActionClass::kMitigate:
      return "mitigate";
    case ActionClass::kUnknown:
      return "";
  }
  return "";
}

std::string_view ItemChangeName(ItemChange::Kind k) {
  switch (k) {
    case ItemChange::Kind::kAdded:
      return "added";
    case ItemChange::Kind::kUpdated:
      return "updated";
    case ItemChange::Kind::kUnchanged:
      return "unchanged";
    case ItemChange::Kind::kReplaced:
      return "replaced";
    case ItemChange::Kind::kMissing:
      return "missing";
  }
  return "";
}

Result<ActionClass> ParseActionClass(std::string_view text) {
  std::string s = ToLower(TrimSpace(text));
  if (s.empty()) return ActionClass::kUnknown;
  if (s == "prevent" || s == "prevention" || s == "preventive") return ActionClass::kPrevent;
  if (s == "detect" || s == "detection") return ActionClass::kDetect;
  if (s == "mitigate" || s == "mitigation") return ActionClass::kMitigate;
  return Status::InvalidArgument(fmt::format(
      "unknown action class '{}' (expected prevent, detect or mitigate)", TrimSpace(text)));
}

int64_t Elapsed(TimePoint a, TimePoint b) {
  int64_t d;
  if (!__builtin_sub_overflow(b, a, &d)) return d;
  return b > a ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

bool IsOverdue(const ActionItem& item, TimePoint now) {
  return !IsClosed(item.status) && item.due != kNoTime && now != kNoTime &&
         Elapsed(item.due, now) >= kNanosPerDay;
}

bool SqlIsNull(const SqlValue& v) { return std::holds_alternative<std::monostate>(v); }

int64_t SqlInt(const SqlValue& v) {
  if (const int64_t* n = std::get_if<int64_t>(&v)) return *n;
  if (const std::string* s = std::get_if<std::string>(&v)) return ParseInt(*s).value_or(0);
  return 0;
}

std::string SqlText(const SqlValue& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  if (const int64_t* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return {};
}

namespace {

// Creates each missing folder of `dir` (an absolute or relative path); the last one private
// (0700): it holds the store, and incidents name people and systems.
Status MakeFolders(const std::string& dir) {
  std::vector<std::string_view> parts;
  for (std::string_view part : Split(dir, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  std::string partial = !dir.empty() && dir[0] == '/' ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!partial.empty() && partial.back() != '/') partial += "/";
    partial += parts[i];
    mode_t mode = i + 1 == parts.size() ? 0700 : 0755;
    if (mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
      return Status::IoError(fmt::format("cannot create the store folder: {}", strerror(errno)),
                             partial);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> DefaultStorePath(bool create_folder) {
  std::string base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::string(home) + "/.local/share";
  } else {
    return Status::InvalidArgument(
        "neither XDG_DATA_HOME nor HOME is set: name the store with --db PATH");
  }
  std::string dir = base + "/inquest";
  if (create_folder) INQ_RETURN_IF_ERROR(MakeFolders(dir));
  return dir + "/inquest.db";
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& spec, const StoreOptions& options) {
  std::unique_ptr<Connection> conn;
  std::string location;
  if (spec.starts_with("postgresql://") || spec.starts_with("postgres://")) {
    INQ_ASSIGN_OR_RETURN(conn, OpenPostgres(spec));
    location = UrlWithoutPassword(spec);
  } else {
    if (spec.empty()) {
      INQ_ASSIGN_OR_RETURN(location, DefaultStorePath(/*create_folder=*/true));
    } else {
      location = spec;
      if (size_t slash = location.rfind('/'); slash != std::string::npos && slash > 0) {
        INQ_RETURN_IF_ERROR(MakeFolders(location.substr(0, slash)));
      }
    }
    INQ_ASSIGN_OR_RETURN(conn, OpenSqlite(location, options.busy_timeout_ms));
  }
  INQ_RETURN_IF_ERROR(Migrate(conn.get()));
  return std::unique_ptr<Store>(
      std::make_unique<SqlStore>(std::move(conn), std::move(location), options));
}

}  // namespace inquest::store
