// JSON lines: one JSON object per line, parsed with simdjson On Demand.
//
// Roles (time, level, message, service, host, request/trace/span id) are discovered through
// ctx.fields after flattening nested objects ("http.request_id"); every other key becomes an
// attribute. Arrays are kept as their raw JSON text; numbers, booleans and null as their raw
// text. Text views point into the line; only strings with a backslash escape are decoded, into
// ctx.arena, and only nested keys ("a.b") are joined there.
//
// Thread-safety: the format object is immutable and may be shared; each thread parses with its
// own simdjson parser and scratch buffers (thread_local), reused for every line, so the parse of
// a line allocates nothing once those buffers have grown to the longest line seen.
//
// Padding: simdjson reads up to SIMDJSON_PADDING bytes past the end of its input. When the
// caller says that many bytes of the same buffer follow the line (ParseLineInBuffer), the line
// is parsed in place; otherwise it is copied into the thread's padded scratch buffer, and views
// are translated back to the caller's line.
#include <simdjson.h>

#include <array>
#include <string>

#include "base/strings.h"
#include "logs/formats.h"

namespace inquest {
namespace {

// The members of an OTLP AnyValue as OTLP/JSON writes them; the value is its parent's.
bool IsAnyValueKey(std::string_view key) {
  return key == "stringValue" || key == "intValue" || key == "doubleValue" || key == "boolValue" ||
         key == "bytesValue";
}

namespace od = simdjson::ondemand;

// Objects nested deeper than this are kept as raw JSON text rather than flattened.
constexpr int kMaxFlattenDepth = 16;

struct Candidate {
  std::string_view key;
  std::string_view text;  // decoded string, or raw number / bool text
  int priority = 0;
  bool is_string = false;
  bool set = false;
};

struct ThreadState {
  od::parser parser;
  std::string padded;  // a copy of the line plus SIMDJSON_PADDING bytes, when needed
  std::string key;     // the flattened key being built
  bool repairing = false;
};

ThreadState& State() {
  thread_local ThreadState state;
  return state;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class Walker {
 public:
  Walker(const ParseContext& ctx, Event* event, const char* base, std::string_view line,
         std::string* key)
      : ctx_(ctx), event_(event), base_(base), line_(line), key_(*key) {}

  // Translates a view into the parsed buffer to the same bytes of the caller's line.
  std::string_view Map(std::string_view s) const {
    if (base_ == line_.data() || s.empty()) return s;
    return {line_.data() + (s.data() - base_), s.size()};
  }

  simdjson::error_code Object(od::object obj, size_t prefix_len, int depth) {
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return err;
      // The key, raw: find its closing quote, noting escapes.
      const char* k = field.key().raw();
      const char* end = line_end_in_buffer();
      const char* p = k;
      bool escaped = false;
      while (p < end && *p != '"') {
        if (*p == '\\') {
          escaped = true;
          ++p;
        }
        ++p;
      }
      std::string_view key(k, static_cast<size_t>(std::min(p, end) - k));
      if (escaped) {
        std::string_view unescaped;
        if (auto err = field.unescaped_key().get(unescaped)) return err;
        key = ctx_.arena->Copy(unescaped);
      } else {
        key = Map(key);
      }
      std::string_view full = key;
      bool joined = prefix_len > 0;
      if (joined) {
        key_.resize(prefix_len);
        // OTLP/JSON wraps values as {"stringValue": ...}: "body.stringValue" is the body.
        if (IsAnyValueKey(key)) {
          full = std::string_view(key_).substr(0, prefix_len - 1);
        } else {
          key_.append(key);
          full = key_;
        }
      }
      od::value value = field.value();
      od::json_type type;
      if (auto err = value.type().get(type)) return err;
      if (type == od::json_type::object && depth < kMaxFlattenDepth) {
        if (!joined) {
          key_.assign(key);
        }
        key_.push_back('.');
        size_t len = key_.size();
        od::object inner;
        if (auto err = value.get_object().get(inner)) return err;
        if (auto err = Object(inner, len, depth + 1)) return err;
        continue;
      }
      std::string_view text;
      bool is_string = false;
      if (type == od::json_type::string) {
        std::string_view token = TrimRight(value.raw_json_token());
        std::string_view inner = token.size() >= 2 ? token.substr(1, token.size() - 2) : token;
        if (inner.find('\\') != std::string_view::npos) {
          std::string_view decoded;
          if (auto err = value.get_string().get(decoded)) return err;
          text = ctx_.arena->Copy(decoded);
        } else {
          text = Map(inner);
        }
        is_string = true;
      } else if (type == od::json_type::object) {
        od::object o;
        if (auto err = value.get_object().get(o)) return err;
        if (auto err = o.raw_json().get(text)) return err;
        text = Map(TrimRight(text));
      } else if (type == od::json_type::array) {
        od::array a;
        if (auto err = value.get_array().get(a)) return err;
        if (auto err = a.raw_json().get(text)) return err;
        text = Map(TrimRight(text));
      } else {
        text = Map(TrimRight(value.raw_json_token()));
      }
      Store(full, joined, text, is_string, type == od::json_type::null);
    }
    return simdjson::SUCCESS;
  }

  void Finish() {
    for (size_t r = 1; r < kFieldRoleCount; ++r) {
      Candidate& c = roles_[r];
      if (!c.set) continue;
      switch (static_cast<FieldRole>(r)) {
        case FieldRole::kTime: {
          ParsedTime pt;
          bool ok = c.is_string ? ParseTimeValue(c.text, ctx_.time, &pt) : ParseEpoch(c.text, &pt);
          if (ok) {
            event_->time = pt.time;
            event_->zone_assumed = pt.zone_assumed;
            event_->year_assumed = pt.year_assumed;
          } else {
            event_->attrs.push_back({c.key, c.text});
          }
          break;
        }
        case FieldRole::kLevel: {
          Level l = ParseLevel(c.text);
          if (l == Level::kUnknown && !c.is_string) l = PinoLevel(c.text);
          if (l == Level::kUnknown) event_->attrs.push_back({c.key, c.text});
          event_->level = l;
          break;
        }
        case FieldRole::kMessage:
          event_->message = c.text;
          break;
        case FieldRole::kService:
          event_->service = c.text;
          break;
        case FieldRole::kHost:
          event_->host = c.text;
          break;
        case FieldRole::kRequestId:
          event_->request_id = c.text;
          break;
        case FieldRole::kTraceId:
          event_->trace_id = c.text;
          break;
        case FieldRole::kSpanId:
          event_->span_id = c.text;
          break;
        case FieldRole::kNone:
          break;
      }
    }
  }

  void set_buffer_end(const char* end) { buffer_end_ = end; }

 private:
  const char* line_end_in_buffer() const { return buffer_end_; }

  void Store(std::string_view full, bool joined, std::string_view text, bool is_string,
             bool is_null) {
    FieldNames::Lookup found = is_null ? FieldNames::Lookup() : ctx_.fields->Find(full);
    FieldRole role = found.role;
    if (role != FieldRole::kNone) {
      Candidate& c = roles_[static_cast<size_t>(role)];
      int prio = found.priority;
      if (!c.set || prio < c.priority) {
        if (c.set) event_->attrs.push_back({c.key, c.text});
        c.key = joined ? ctx_.arena->Copy(full) : full;
        c.text = text;
        c.priority = prio;
        c.is_string = is_string;
        c.set = true;
        return;
      }
    }
    event_->attrs.push_back({joined ? ctx_.arena->Copy(full) : full, text});
  }

  const ParseContext& ctx_;
  Event* event_;
  const char* base_;
  std::string_view line_;
  std::string& key_;
  const char* buffer_end_ = nullptr;
  std::array<Candidate, kFieldRoleCount> roles_{};
};

class JsonLinesFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "jsonl"; }
  std::string_view description() const override {
    return "JSON lines: one JSON object per line (time, level, message... found by key name)";
  }
  bool allows_continuations() const override { return false; }
  bool keyed_fields() const override { return true; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    return ParseLineInBuffer(line, 0, ctx, event, why);
  }

  LineKind ParseLineInBuffer(std::string_view line, size_t readable_after, const ParseContext& ctx,
                             Event* event, std::string* why) const override {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] != '{') {
      *why = "not a JSON object";
      return LineKind::kMalformed;
    }
    ThreadState& st = State();
    const char* base = line.data();
    simdjson::padded_string_view view;
    if (readable_after >= simdjson::SIMDJSON_PADDING) {
      view = simdjson::padded_string_view(line.data(), line.size(), line.size() + readable_after);
    } else {
      st.padded.assign(line);
      st.padded.append(simdjson::SIMDJSON_PADDING, ' ');
      base = st.padded.data();
      view = simdjson::padded_string_view(base, line.size(), st.padded.size());
    }
    od::document doc;
    if (auto err = st.parser.iterate(view).get(doc)) {
      if (err == simdjson::UTF8_ERROR && !st.repairing) return ParseRepaired(line, ctx, event, why);
      return Fail(err, why);
    }
    od::object obj;
    if (auto err = doc.get_object().get(obj)) return Fail(err, why);
    Walker walker(ctx, event, base, line, &st.key);
    walker.set_buffer_end(base + line.size());
    if (auto err = walker.Object(obj, 0, 0)) return Fail(err, why);
    const char* trailing = nullptr;
    if (!doc.current_location().get(trailing)) {
      *why = "characters after the JSON object";
      return LineKind::kMalformed;
    }
    walker.Finish();
    return LineKind::kRecord;
  }

 private:
  // A line with invalid UTF-8 (a log writer that cut a multi-byte character, or Latin-1 text)
  // is still a record: the bad bytes become U+FFFD in a copy kept in ctx.arena, and the record
  // says so in the attribute kRepairedAttr.
  LineKind ParseRepaired(std::string_view line, const ParseContext& ctx, Event* event,
                         std::string* why) const {
    std::string fixed = SanitizeUtf8(line);
    size_t size = fixed.size();
    fixed.append(simdjson::SIMDJSON_PADDING, ' ');
    std::string_view copy = ctx.arena->Copy(fixed);
    ThreadState& st = State();
    st.repairing = true;  // a second UTF-8 error would be ours: do not recurse
    LineKind kind =
        ParseLineInBuffer(copy.substr(0, size), simdjson::SIMDJSON_PADDING, ctx, event, why);
    st.repairing = false;
    if (kind == LineKind::kRecord)
      event->attrs.push_back({kRepairedAttr, "invalid UTF-8 replaced with U+FFFD"});
    return kind;
  }

  static LineKind Fail(simdjson::error_code err, std::string* why) {
    why->assign("invalid JSON: ");
    why->append(simdjson::error_message(err));
    return LineKind::kMalformed;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewJsonLinesFormat() { return std::make_unique<JsonLinesFormat>(); }

}  // namespace inquest
