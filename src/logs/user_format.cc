// User-defined formats: an RE2 regular expression with named groups plus a time format.
#include "logs/user_format.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <vector>

#include "logs/text_scan.h"

namespace inquest {
namespace {

enum class TimeKind { kAny, kIso8601, kEpoch, kClf, kSyslog, kStrftime };

// Where a named group goes: the field of that role (see FieldRoleName), a few common aliases
// ("timestamp", "msg", "body"), else an attribute of the group's name (kNone).
FieldRole RoleOfGroup(std::string_view name) {
  if (name == "timestamp") return FieldRole::kTime;
  if (name == "body" || name == "msg") return FieldRole::kMessage;
  return FieldRoleNamed(name);
}

bool Digits(std::string_view s, size_t* i, int min, int max, int* out) {
  int v = 0, n = 0;
  while (n < max && *i < s.size() && s[*i] >= '0' && s[*i] <= '9') {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  if (n < min) return false;
  *out = v;
  return true;
}

class UserFormat final : public LogFormat {
 public:
  UserFormat(std::string name, std::string description, std::unique_ptr<RE2> re, TimeKind kind,
             std::string time_pattern)
      : name_(std::move(name)),
        description_(std::move(description)),
        re_(std::move(re)),
        time_kind_(kind),
        time_pattern_(std::move(time_pattern)) {
    groups_ = re_->NumberOfCapturingGroups();
    roles_.assign(static_cast<size_t>(groups_) + 1, FieldRole::kNone);
    names_.assign(static_cast<size_t>(groups_) + 1, std::string());
    named_.assign(static_cast<size_t>(groups_) + 1, false);
    for (const auto& [group_name, index] : re_->NamedCapturingGroups()) {
      roles_[index] = RoleOfGroup(group_name);
      names_[index] = group_name;
      named_[index] = true;
    }
  }

  std::string_view name() const override { return name_; }
  std::string_view description() const override { return description_; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    thread_local std::vector<re2::StringPiece> groups;
    groups.resize(static_cast<size_t>(groups_) + 1);
    if (!re_->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::ANCHOR_START,
                    groups.data(), groups_ + 1)) {
      *why = fmt::format("does not match the regex of format '{}'", name_);
      return LineKind::kMalformed;
    }
    for (int g = 1; g <= groups_; ++g) {
      if (!named_[g] || groups[g].data() == nullptr) continue;
      std::string_view v(groups[g].data(), groups[g].size());
      switch (roles_[g]) {
        case FieldRole::kTime:
          if (!ParseTime(v, ctx.time, event)) {
            *why = fmt::format("time '{}' does not fit the time format of '{}'", v.substr(0, 64),
                               name_);
            return LineKind::kMalformed;
          }
          break;
        case FieldRole::kLevel:
          event->level = ParseLevel(v);
          break;
        default:
          if (!SetTextField(roles_[g], v, event)) event->attrs.push_back({names_[g], v});
          break;
      }
    }
    return LineKind::kRecord;
  }

 private:
  bool ParseTime(std::string_view v, const TimeContext& tc, Event* event) const {
    ParsedTime pt;
    bool ok = false;
    switch (time_kind_) {
      case TimeKind::kAny:
        ok = ParseTimeValue(v, tc, &pt);
        break;
      case TimeKind::kIso8601:
        ok = ParseIso8601(v, tc, &pt) && pt.consumed == v.size();
        break;
      case TimeKind::kEpoch:
        ok = ParseEpoch(v, &pt) && pt.consumed == v.size();
        break;
      case TimeKind::kClf:
        if (v.size() > 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
        ok = ParseClf(v, tc, &pt) && pt.consumed == v.size();
        break;
      case TimeKind::kSyslog:
        ok = ParseSyslogTime(v, tc, &pt) && pt.consumed == v.size();
        break;
      case TimeKind::kStrftime:
        ok = ParseWithStrftime(v, time_pattern_, tc, &pt);
        break;
    }
    if (!ok) return false;
    event->time = pt.time;
    event->zone_assumed = pt.zone_assumed;
    event->year_assumed = pt.year_assumed;
    return true;
  }

  std::string name_;
  std::string description_;
  std::unique_ptr<RE2> re_;
  TimeKind time_kind_;
  std::string time_pattern_;
  int groups_ = 0;
  std::vector<FieldRole> roles_;
  std::vector<std::string> names_;
  std::vector<bool> named_;
};

}  // namespace

bool ParseWithStrftime(std::string_view s, std::string_view pattern, const TimeContext& ctx,
                       ParsedTime* out) {
  int year = -1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t frac = 0, offset_s = 0, epoch = -1;
  bool has_zone = false;
  size_t i = 0;
  for (size_t p = 0; p < pattern.size(); ++p) {
    char c = pattern[p];
    if (c == ' ') {
      // As in strptime, a space matches any run of spaces and tabs ("Jun  4" and "Jun 14").
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      continue;
    }
    if (c != '%' || p + 1 >= pattern.size()) {
      if (i >= s.size() || s[i] != c) return false;
      ++i;
      continue;
    }
    char spec = pattern[++p];
    int v = 0;
    switch (spec) {
      case 'Y':
        if (!Digits(s, &i, 4, 4, &year)) return false;
        break;
      case 'y':
        if (!Digits(s, &i, 2, 2, &v)) return false;
        year = v < 69 ? 2000 + v : 1900 + v;  // POSIX strptime's pivot
        break;
      case 'm':
        if (!Digits(s, &i, 1, 2, &month)) return false;
        break;
      case 'd':
        if (!Digits(s, &i, 1, 2, &day)) return false;
        break;
      case 'e':
        if (i < s.size() && s[i] == ' ') ++i;
        if (!Digits(s, &i, 1, 2, &day)) return false;
        break;
      case 'H':
        if (!Digits(s, &i, 1, 2, &hour)) return false;
        break;
      case 'M':
        if (!Digits(s, &i, 1, 2, &minute)) return false;
        break;
      case 'S':
        if (!Digits(s, &i, 1, 2, &second)) return false;
        break;
      case 'T':
        if (!Digits(s, &i, 2, 2, &hour) || i >= s.size() || s[i++] != ':' ||
            !Digits(s, &i, 2, 2, &minute) || i >= s.size() || s[i++] != ':' ||
            !Digits(s, &i, 2, 2, &second))
          return false;
        break;
      case 'F':
        if (!Digits(s, &i, 4, 4, &year) || i >= s.size() || s[i++] != '-' ||
            !Digits(s, &i, 1, 2, &month) || i >= s.size() || s[i++] != '-' ||
            !Digits(s, &i, 1, 2, &day))
          return false;
        break;
      case 'f': {
        size_t start = i;
        int64_t f = 0;
        while (i < s.size() && i - start < 9 && s[i] >= '0' && s[i] <= '9')
          f = f * 10 + (s[i++] - '0');
        if (i == start) return false;
        for (size_t k = i - start; k < 9; ++k) f *= 10;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;  // beyond nanoseconds
        frac = f;
        break;
      }
      case 'b':
      case 'h':
      case 'B': {
        if (i + 3 > s.size()) return false;
        month = MonthFromAbbrev(s.substr(i, 3));
        if (month == 0) return false;
        i += 3;
        while (spec == 'B' && i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
        break;
      }
      case 'z': {
        if (i < s.size() && s[i] == 'Z') {
          ++i;
          has_zone = true;
          break;
        }
        if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
        int sign = s[i++] == '-' ? -1 : 1;
        int hh, mm = 0;
        if (!Digits(s, &i, 2, 2, &hh)) return false;
        if (i < s.size() && s[i] == ':') ++i;
        Digits(s, &i, 2, 2, &mm);
        offset_s = sign * (hh * 3600 + mm * 60);
        has_zone = true;
        break;
      }
      case 'Z':
        if (s.substr(i).starts_with("UTC") || s.substr(i).starts_with("GMT")) {
          i += 3;
        } else if (i < s.size() && s[i] == 'Z') {
          ++i;
        } else {
          return false;
        }
        has_zone = true;
        break;
      case 's': {
        int64_t e = 0;
        size_t start = i;
        while (i < s.size() && i - start < 12 && s[i] >= '0' && s[i] <= '9')
          e = e * 10 + (s[i++] - '0');
        if (i == start) return false;
        epoch = e;
        break;
      }
      case 'a':
      case 'A': {
        // A weekday name, read and not checked against the date.
        size_t start = i;
        while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
        if (i - start < 3) return false;
        break;
      }
      case '%':
        if (i >= s.size() || s[i] != '%') return false;
        ++i;
        break;
      default:
        return false;
    }
  }
  if (i != s.size()) return false;
  ParsedTime pt;
  if (epoch >= 0) {
    if (epoch > (INT64_MAX - frac) / kNanosPerSecond) return false;  // past the year 2262
    pt.time = epoch * kNanosPerSecond + frac;
  } else {
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
      return false;
    if (year < 0) {
      year = ctx.default_year > 0 ? ctx.default_year : 1970;
      pt.year_assumed = true;
    }
    if (year < kMinYear || year > kMaxYear) return false;  // a TimePoint cannot hold it
    int64_t secs =
        DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60 + second;
    if (has_zone) {
      secs -= offset_s;
    } else {
      pt.zone_assumed = true;
      if (ctx.zone) secs -= ctx.zone->OffsetForLocal(secs);
    }
    pt.time = secs * kNanosPerSecond + frac;
  }
  pt.consumed = static_cast<uint32_t>(i);
  *out = pt;
  return true;
}

Result<std::unique_ptr<LogFormat>> NewUserFormat(std::string name, std::string_view regex,
                                                 std::string_view time_format,
                                                 std::string description) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(regex.data(), regex.size()), opts);
  if (!re->ok())
    return Status::InvalidArgument(fmt::format("format '{}': bad regex: {}", name, re->error()));
  bool has_time = false;
  for (const auto& [group_name, index] : re->NamedCapturingGroups())
    if (RoleOfGroup(group_name) == FieldRole::kTime) has_time = true;
  if (!has_time)
    return Status::InvalidArgument(
        fmt::format("format '{}': the regex has no (?P<time>...) group", name));
  TimeKind kind = TimeKind::kAny;
  std::string pattern;
  if (time_format.empty()) {
    kind = TimeKind::kAny;
  } else if (time_format == "iso8601") {
    kind = TimeKind::kIso8601;
  } else if (time_format == "epoch") {
    kind = TimeKind::kEpoch;
  } else if (time_format == "clf") {
    kind = TimeKind::kClf;
  } else if (time_format == "syslog") {
    kind = TimeKind::kSyslog;
  } else if (time_format.find('%') != std::string_view::npos) {
    kind = TimeKind::kStrftime;
    pattern = std::string(time_format);
  } else {
    return Status::InvalidArgument(fmt::format(
        "format '{}': time-format '{}' is neither strftime-style (%Y-%m-%d ...) nor one of "
        "iso8601, epoch, clf, syslog",
        name, time_format));
  }
  if (description.empty()) description = fmt::format("user format from inquest.toml: {}", regex);
  return std::unique_ptr<LogFormat>(std::make_unique<UserFormat>(
      std::move(name), std::move(description), std::move(re), kind, std::move(pattern)));
}

Status ApplyLogsConfig(const Config& config, FormatRegistry* registry, FieldNames* fields) {
  const std::string& file = config.path.empty() ? std::string("inquest.toml") : config.path;
  if (fields) {
    if (const toml::table* t = config.table["fields"].as_table()) {
      for (const auto& [key, node] : *t) {
        FieldRole role = FieldRoleNamed(key.str());
        if (role == FieldRole::kNone)
          return Status::InvalidArgument(fmt::format(
              "{}: [fields] {}: unknown role (time, level, message, service, host, request_id, "
              "trace_id, span_id)",
              file, key.str()));
        Result<std::vector<std::string>> keys =
            StringList(&node, fmt::format("{}: [fields] {}", file, key.str()));
        if (!keys.ok()) return keys.status();
        for (std::string& k : *keys) fields->Add(role, std::move(k));
      }
    }
  }
  if (registry) {
    if (const toml::table* formats = config.table["formats"].as_table()) {
      for (const auto& [key, node] : *formats) {
        const toml::table* f = node.as_table();
        std::string where = fmt::format("{}: [formats.{}]", file, key.str());
        if (!f) return Status::InvalidArgument(where + " must be a table");
        std::optional<std::string> regex = (*f)["regex"].value<std::string>();
        if (!regex) return Status::InvalidArgument(where + " needs a regex");
        std::string time_format = (*f)["time-format"].value_or(std::string());
        std::string description = (*f)["description"].value_or(std::string());
        Result<std::unique_ptr<LogFormat>> fmt_or =
            NewUserFormat(std::string(key.str()), *regex, time_format, description);
        if (!fmt_or.ok())
          return Status::InvalidArgument(fmt::format("{}: {}", where, fmt_or.status().message()));
        registry->Add(std::move(fmt_or).value());
      }
    }
  }
  return Status::Ok();
}

}  // namespace inquest
