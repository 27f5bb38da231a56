// An inferred layout as a LogFormat (reading records) and as an inquest.toml user format.
#include <fmt/format.h>
#include <re2/re2.h>

#include "base/strings.h"
#include "logs/layout.h"
#include "logs/layout_columns.h"
#include "logs/message_fields.h"

namespace inquest {
namespace {

size_t SkipSpaces(std::string_view s, size_t i) {
  while (i < s.size() && IsBlank(s[i])) ++i;
  return i;
}
// The punctuation that closes the field a time ended inside ("12:00:00,123]:" keeps nothing
// after the time), up to a space or to text: "13:27:27.237|INFO|web17|..." keeps "INFO|..."
// for the message rather than dropping it with the field.
size_t SkipFieldRest(std::string_view s, size_t i) {
  auto text = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80 || c == '"' || c == '\'' || c == '[' || c == '(' ||
           c == '<' || c == '{';
  };
  while (i < s.size() && !IsBlank(s[i]) && !text(s[i])) ++i;
  return i;
}

class InferredFormat final : public LogFormat {
 public:
  explicit InferredFormat(InferredLayout layout)
      : layout_(std::move(layout)),
        description_(fmt::format("inferred from the file's first lines: {}{}", layout_.Describe(),
                                 layout_.notes.empty() ? "" : " (" + layout_.notes + ")")) {}
  std::string_view name() const override { return "inferred"; }
  std::string_view description() const override { return description_; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    if (layout_.delimiter) return ParseDelimited(line, ctx, event, why);
    size_t pos = 0;
    bool after_time = false;
    size_t field_no = 0;
    for (const LayoutColumn& col : layout_.columns) {
      if (col.kind == ColumnKind::kTime || col.kind == ColumnKind::kOtherTime) {
        const TimePattern& p = col.kind == ColumnKind::kTime ? layout_.time : *layout_.other_time;
        size_t at = SkipSpaces(line, pos);
        size_t lead = col.kind == ColumnKind::kTime ? layout_.time_lead : layout_.other_lead;
        char close = 0;
        if (lead && col.kind == ColumnKind::kTime && layout_.level_lead) {
          Level l;
          if (at >= line.size() || !LevelOfField(line.substr(at, 1), &l)) {
            *why = fmt::format("no one-letter level before the time after {} fields", field_no);
            return LineKind::kMalformed;
          }
          event->level = l;
        } else if (lead) {
          close = at < line.size() ? BracketCloseOf(line[at]) : 0;
          if (!close && col.kind == ColumnKind::kTime) {
            *why = fmt::format("no bracketed time after {} fields", field_no);
            return LineKind::kMalformed;
          }
          if (!close) lead = 0;
        }
        ParsedTime pt;
        if (!p.Parse(line.substr(at + lead), ctx.time, &pt)) {
          if (col.kind == ColumnKind::kOtherTime && after_time) break;
          if (col.kind == ColumnKind::kTime) {
            *why = fmt::format("no time of the inferred layout ({}) after {} fields", p.Describe(),
                               field_no);
            return LineKind::kMalformed;
          }
          pos = at;  // a missing local time before the epoch: the epoch decides
          continue;
        }
        pos = at + lead + pt.consumed;
        if (close) {
          // The rest of the brackets belongs to the time's field ("[time thread-1]").
          size_t c = line.find(close, pos);
          if (c != std::string_view::npos) pos = c + 1;
        }
        if (col.kind == ColumnKind::kTime) {
          event->time = pt.time;
          event->zone_assumed = pt.zone_assumed;
          event->year_assumed = pt.year_assumed;
          after_time = true;
        }
        pos = SkipFieldRest(line, pos);
        ++field_no;
        continue;
      }
      size_t next = pos;
      std::string_view f = NextField(line, &next);
      if (!after_time) {
        if (f.empty()) {
          *why = fmt::format("the line ends before the time (after {} fields)", field_no);
          return LineKind::kMalformed;
        }
        Apply(col, f, event);
      } else {
        if (f.empty() || !FieldFits(col.kind, col.literal, f)) break;
        Apply(col, f, event);
      }
      pos = next;
      ++field_no;
    }
    event->message = line.substr(SkipSpaces(line, pos));
    ReadMessageFields(event->message, *ctx.fields, event);
    return LineKind::kRecord;
  }

 private:
  // A delimited line: the columns in order, each one field; the message is the rest.
  LineKind ParseDelimited(std::string_view line, const ParseContext& ctx, Event* event,
                          std::string* why) const {
    const char d = layout_.delimiter;
    size_t pos = 0, field_no = 0, message_at = line.size();
    bool after_time = false;
    for (const LayoutColumn& col : layout_.columns) {
      size_t start = pos;
      std::string_view f;
      if (!NextDelimitedField(line, &pos, d, &f)) {
        if (after_time) break;
        *why = fmt::format("the line ends before the time (after {} '{}'-separated fields)",
                           field_no, d);
        return LineKind::kMalformed;
      }
      if (col.kind == ColumnKind::kTime || col.kind == ColumnKind::kOtherTime) {
        const TimePattern& p = col.kind == ColumnKind::kTime ? layout_.time : *layout_.other_time;
        size_t lead = col.kind == ColumnKind::kTime ? layout_.time_lead : layout_.other_lead;
        if (lead && col.kind == ColumnKind::kTime && layout_.level_lead) {
          Level l;
          if (!f.empty() && LevelOfField(f.substr(0, 1), &l)) event->level = l;
        }
        if (lead && (f.empty() || (!layout_.level_lead && !BracketCloseOf(f.front())))) lead = 0;
        ParsedTime pt;
        bool ok = lead <= f.size() && p.Parse(f.substr(lead), ctx.time, &pt);
        if (col.kind == ColumnKind::kTime) {
          if (!ok) {
            *why = fmt::format("no time of the inferred layout ({}) in field {}", p.Describe(),
                               field_no + 1);
            return LineKind::kMalformed;
          }
          event->time = pt.time;
          event->zone_assumed = pt.zone_assumed;
          event->year_assumed = pt.year_assumed;
          after_time = true;
        }
        ++field_no;
        message_at = std::min(pos, line.size());
        continue;
      }
      if (after_time && !f.empty() && !Fits(col, f)) {
        message_at = start;  // a record without this column: the message starts here
        break;
      }
      Apply(col, f, event, /*delimited=*/true);
      ++field_no;
      message_at = std::min(pos, line.size());
    }
    event->message = line.substr(SkipSpaces(line, message_at));
    ReadMessageFields(event->message, *ctx.fields, event);
    return LineKind::kRecord;
  }

  // Whether a delimited field fits its column: the delimiters already mark a host or a
  // component, so plain words do.
  static bool Fits(const LayoutColumn& col, std::string_view f) {
    if (col.kind == ColumnKind::kComponent || col.kind == ColumnKind::kHost)
      return IsDelimitedComponent(f) || FieldFits(col.kind, col.literal, f);
    return FieldFits(col.kind, col.literal, f);
  }

  static void Apply(const LayoutColumn& col, std::string_view f, Event* event,
                    bool delimited = false) {
    std::string_view a, b;
    Level l;
    switch (col.kind) {
      case ColumnKind::kLevel:
        if (LevelOfField(f, &l)) event->level = l;
        break;
      case ColumnKind::kPid:
        if (PidOfField(f, &a)) event->attrs.push_back({"pid", a});
        break;
      case ColumnKind::kHost:
        if (IsHostField(f)) event->host = f;
        break;
      case ColumnKind::kComponent:
        if (ComponentOfField(f, &a, &b)) {
          event->attrs.push_back({"component", a});
          if (!b.empty()) {
            // "pricing[20793]:" is a syslog program tag: the program is the service.
            event->attrs.push_back({"pid", b});
            event->service = a;
          }
        } else if (delimited && IsDelimitedComponent(f)) {
          event->attrs.push_back({"component", StripField(f)});
        }
        break;
      default:
        break;
    }
  }

  InferredLayout layout_;
  std::string description_;
};

// Level and pid columns in emitted regexes, in any of the forms the column tests accept.
constexpr std::string_view kLevelRegex =
    "[\\[(<]?(?:\\w+=)?[ \\t]*(?P<level>[A-Za-z]+)[ \\t]*[\\])>]?:?";
constexpr std::string_view kPidRegex = "[\\[(]?(?:(?:pid|PID|process)[=:])?(?P<pid>\\d+)[\\])]?:?";

// A TOML basic string.
std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The regex of a delimited layout: each column one field between delimiters.
std::string DelimitedRegex(const InferredLayout& layout, std::vector<std::string>* notes) {
  std::string d = RE2::QuoteMeta(std::string(1, layout.delimiter));
  std::string any = "[^" + d + "]*?";
  std::string re = "^[ \\t]*";
  bool first = true;
  for (const LayoutColumn& col : layout.columns) {
    if (!first) re += "[ \\t]*" + d + "[ \\t]*";
    first = false;
    switch (col.kind) {
      case ColumnKind::kTime:
        if (layout.level_lead) {
          bool level_column =
              std::any_of(layout.columns.begin(), layout.columns.end(),
                          [](const LayoutColumn& c) { return c.kind == ColumnKind::kLevel; });
          re += level_column ? "[A-Za-z]" : "(?P<level>[A-Za-z])";
        } else if (layout.time_lead) {
          re += "[\\[(<{]";
        }
        re += "(?P<time>" + layout.time.Regex() + ")" + any;
        break;
      case ColumnKind::kOtherTime:
        notes->push_back("the local time beside the epoch is matched but not read");
        re += any;
        break;
      case ColumnKind::kLevel:
        re += kLevelRegex;
        break;
      case ColumnKind::kPid:
        re += kPidRegex;
        break;
      case ColumnKind::kHost:
        re += "(?P<host>" + any + ")";
        break;
      case ColumnKind::kComponent:
        re += "(?P<component>" + any + ")";
        break;
      case ColumnKind::kSeparator:
        re += RE2::QuoteMeta(col.literal);
        break;
      case ColumnKind::kSkip:
        re += any;
        break;
    }
  }
  return re + "(?:[ \\t]*" + d + "[ \\t]*(?P<message>.*))?$";
}

}  // namespace

std::unique_ptr<LogFormat> NewInferredFormat(InferredLayout layout) {
  return std::make_unique<InferredFormat>(std::move(layout));
}

std::string LayoutAsUserFormat(const InferredLayout& layout, std::string_view name) {
  std::string re = "^";
  std::vector<std::string> notes;
  if (layout.delimiter) {
    re = DelimitedRegex(layout, &notes);
  } else {
    bool first = true, has_pid = false;
    int components = 0;
    for (const LayoutColumn& col : layout.columns) has_pid |= col.kind == ColumnKind::kPid;
    for (const LayoutColumn& col : layout.columns) {
      re += first ? "[ \\t]*" : "[ \\t]+";
      first = false;
      switch (col.kind) {
        case ColumnKind::kTime: {
          bool level_column = false;
          for (const LayoutColumn& c : layout.columns) level_column |= c.kind == ColumnKind::kLevel;
          if (layout.level_lead)
            re += level_column ? "[A-Za-z]" : "(?P<level>[A-Za-z])";
          else if (layout.time_lead)
            re += "[\\[(<{]";
          re += "(?P<time>" + layout.time.Regex() + ")";
          if (layout.time_close) re += RE2::QuoteMeta(std::string(1, layout.time_close));
          re += "[^ \\t]*";
          break;
        }
        case ColumnKind::kOtherTime:
          re += "(?:" + (layout.other_time ? layout.other_time->Regex() : "\\S+") + ")[^ \\t]*";
          notes.push_back("the local time beside the epoch is matched but not read");
          break;
        case ColumnKind::kSeparator:
          re += RE2::QuoteMeta(col.literal);
          break;
        case ColumnKind::kSkip:
          re += col.bracketed ? "\\[[^\\]]*(?:\\][^\\]\\s]*)*\\][^ \\t]*" : "[^ \\t]+";
          break;
        case ColumnKind::kHost:
          re += "(?P<host>[^ \\t]+)";
          break;
        case ColumnKind::kLevel:
          re += kLevelRegex;
          break;
        case ColumnKind::kPid:
          re += kPidRegex;
          break;
        case ColumnKind::kComponent: {
          std::string group = components++ ? fmt::format("component{}", components) : "component";
          if (col.bracketed)
            re += fmt::format("\\[(?P<{}>[^\\]]*(?:\\][^\\]\\s]*)*)\\]:?", group);
          else
            re += fmt::format("(?P<{}>[^ \\t\\[]+?)(?:[\\[(]{}[\\])])?:?", group,
                              has_pid ? "\\d+" : "(?P<pid>\\d+)");
          has_pid = true;
          break;
        }
      }
    }
    re += "(?:[ \\t]+(?P<message>.*))?$";
  }
  std::string time_format = layout.time.UserTimeFormat();
  std::string out = fmt::format("# Inferred layout: {}\n", layout.Describe());
  if (!layout.notes.empty()) out += fmt::format("# {}\n", layout.notes);
  if (time_format.empty()) {
    notes.push_back(fmt::format(
        "the time ({}) has parts this syntax cannot say (AM/PM, an optional or named zone); "
        "times are read by the built-in parsers",
        layout.time.Describe()));
  }
  for (const std::string& n : notes) out += "# " + n + "\n";
  out += fmt::format("[formats.{}]\n", name);
  out +=
      fmt::format("description = {}\n", TomlString(fmt::format("inferred: {}", layout.Describe())));
  out += "regex = " + TomlString(re) + "\n";
  if (!time_format.empty()) out += "time-format = " + TomlString(time_format) + "\n";
  return out;
}

}  // namespace inquest
