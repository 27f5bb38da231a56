// logfmt: `key=value key="quoted value with \"escapes\"" bare_key`, as written by Go's logrus,
// Heroku and many others. Roles come from ctx.fields like JSON lines; the rest are attributes.
// Views point into the line; quoted values with escapes are decoded into ctx.arena.
#include <array>

#include "base/strings.h"
#include "logs/formats.h"

namespace inquest {
namespace {

// Decodes \" \\ \n \t \r; any other escaped byte stands for itself.
std::string_view Unescape(std::string_view s, Arena* arena) {
  char* out = arena->Allocate(s.size());
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char e = s[++i];
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
    }
    out[n++] = c;
  }
  return {out, n};
}

// An attribute from a role's key (its value lost to another key of the role, or did not parse),
// unless the reader does not want it (FieldNames::Projected).
void AddAttr(const ParseContext& ctx, std::string_view key, std::string_view value, Event* e) {
  if (ctx.fields->Find(key).wanted) e->attrs.push_back({key, value});
}

class LogfmtFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "logfmt"; }
  std::string_view description() const override {
    return "logfmt: key=value pairs, values optionally quoted";
  }
  bool keyed_fields() const override { return true; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    struct Candidate {
      std::string_view key, value;
      int priority = 0;
      bool set = false;
    };
    std::array<Candidate, kFieldRoleCount> roles{};
    size_t i = 0, n = line.size();
    size_t pairs = 0;
    while (i < n) {
      while (i < n && IsBlank(line[i])) ++i;
      if (i >= n) break;
      size_t k0 = i;
      while (i < n && !IsBlank(line[i]) && line[i] != '=' && line[i] != '"') ++i;
      std::string_view key = line.substr(k0, i - k0);
      if (key.empty()) {
        *why = "expected a key at column " + std::to_string(i + 1);
        return LineKind::kMalformed;
      }
      std::string_view value;
      if (i < n && line[i] == '=') {
        ++i;
        ++pairs;
        if (i < n && line[i] == '"') {
          size_t v0 = ++i;
          bool escaped = false;
          while (i < n && line[i] != '"') {
            if (line[i] == '\\') {
              escaped = true;
              ++i;
            }
            ++i;
          }
          if (i >= n) {
            *why = "unterminated quoted value of '" + std::string(key) + "'";
            return LineKind::kMalformed;
          }
          value = line.substr(v0, i - v0);
          if (escaped) value = Unescape(value, ctx.arena);
          ++i;  // closing quote
        } else {
          size_t v0 = i;
          while (i < n && !IsBlank(line[i])) ++i;
          value = line.substr(v0, i - v0);
        }
      } else if (i < n && line[i] == '"') {
        *why = "unexpected quote after '" + std::string(key) + "'";
        return LineKind::kMalformed;
      }
      FieldNames::Lookup found = ctx.fields->Find(key);
      if (found.role != FieldRole::kNone && !value.empty()) {
        Candidate& c = roles[static_cast<size_t>(found.role)];
        if (!c.set || found.priority < c.priority) {
          if (c.set) AddAttr(ctx, c.key, c.value, event);
          c = {key, value, found.priority, true};
          continue;
        }
      }
      if (found.wanted) event->attrs.push_back({key, value});
    }
    if (pairs == 0) {
      *why = "no key=value pair";
      return LineKind::kMalformed;
    }
    for (size_t r = 1; r < kFieldRoleCount; ++r) {
      const Candidate& c = roles[r];
      if (!c.set) continue;
      switch (static_cast<FieldRole>(r)) {
        case FieldRole::kTime: {
          ParsedTime pt;
          if (ParseTimeValue(c.value, ctx.time, &pt)) {
            event->time = pt.time;
            event->zone_assumed = pt.zone_assumed;
            event->year_assumed = pt.year_assumed;
          } else {
            AddAttr(ctx, c.key, c.value, event);
          }
          break;
        }
        case FieldRole::kLevel:
          event->level = ParseLevel(c.value);
          if (event->level == Level::kUnknown) event->level = PinoLevel(c.value);
          if (event->level == Level::kUnknown) AddAttr(ctx, c.key, c.value, event);
          break;
        default:
          SetTextField(static_cast<FieldRole>(r), c.value, event);
          break;
      }
    }
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewLogfmtFormat() { return std::make_unique<LogfmtFormat>(); }

}  // namespace inquest
