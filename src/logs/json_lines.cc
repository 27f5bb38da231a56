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

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

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

// The position of the first '"' or '\\' in [p, end), or end. Reads whole 32-byte blocks, up to
// 31 bytes past `end`: callers pass a line that simdjson parses, with SIMDJSON_PADDING readable
// bytes after it.
inline const char* FindQuoteOrBackslash(const char* p, const char* end) {
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  for (; p < end; p += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    uint32_t m = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash))));
    if (m != 0) return std::min(p + __builtin_ctz(m), end);
  }
  return end;
#else
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
#endif
}

// The last ISO 8601 time value parsed with an explicit zone ("2026-05-29T09:00:00.001Z"), to
// read the next one by difference: consecutive records of a log mostly share everything up to
// the minute, and a time whose text differs from the last only in the digits of its seconds and
// fraction is the last time plus the difference of those digits (the zone, given in the same
// text, is the same, and no date or clock check can differ for seconds 00-59). Anything else is
// parsed in full.
class IsoTimeCache {
 public:
  bool Lookup(std::string_view s, ParsedTime* out) const {
    if (s.size() != size_ || memcmp(s.data(), text_, kSecondsAt) != 0) return false;
    int sec;
    int64_t frac;
    if (!Variable(s, &sec, &frac)) return false;
    size_t suffix = kSecondsAt + 2 + (frac_digits_ > 0 ? frac_digits_ + 1 : 0);
    if (memcmp(s.data() + suffix, text_ + suffix, size_ - suffix) != 0) return false;
    *out = parsed_;
    out->time += (sec - sec_) * kNanosPerSecond + (frac - frac_);
    return true;
  }

  // Remembers `s` parsed as `pt` (by ParseTimeValue), when it has the shape Lookup can reuse.
  void Remember(std::string_view s, const ParsedTime& pt) {
    size_ = 0;
    if (pt.zone_assumed || pt.year_assumed || pt.consumed != s.size() || s.size() > kMaxText ||
        s.size() < kSecondsAt + 2)
      return;
    // The shape ParseIso8601, which ParseTimeValue tries first, takes: "dddd-dd-dd?dd:dd:".
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})
      if (s[i] < '0' || s[i] > '9') return;
    if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') return;
    size_t i = kSecondsAt + 2;
    frac_digits_ = 0;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      size_t j = i + 1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j == i + 1 || j - i - 1 > 9) return;
      frac_digits_ = j - i - 1;
    } else if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      return;
    }
    memcpy(text_, s.data(), s.size());
    size_ = s.size();
    if (!Variable(s, &sec_, &frac_)) {
      size_ = 0;
      return;
    }
    parsed_ = pt;
  }

 private:
  static constexpr size_t kSecondsAt = 17;  // "yyyy-MM-ddTHH:mm:" then the seconds
  static constexpr size_t kMaxText = 40;

  // The seconds (00-59) and the fraction in nanoseconds of `s`, laid out as the remembered
  // text (its fraction digits in the same places); false when they are not digits there.
  bool Variable(std::string_view s, int* sec, int64_t* frac) const {
    char a = s[kSecondsAt], b = s[kSecondsAt + 1];
    if (a < '0' || a > '5' || b < '0' || b > '9') return false;
    *sec = (a - '0') * 10 + (b - '0');
    int64_t v = 0;
    if (frac_digits_ > 0) {
      size_t at = kSecondsAt + 2;
      if (s[at] != text_[at]) return false;
      for (size_t i = at + 1; i <= at + frac_digits_; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
      }
      for (size_t i = frac_digits_; i < 9; ++i) v *= 10;
    }
    *frac = v;
    return true;
  }

  char text_[kMaxText];
  size_t size_ = 0;  // 0: nothing remembered
  size_t frac_digits_ = 0;
  int sec_ = 0;
  int64_t frac_ = 0;
  ParsedTime parsed_;
};

// What the keys of the last lines looked up to, by their place in the line's top-level object:
// the lines of a log repeat their keys in the same order, and a key that matches the one seen
// at its place (its bytes, then a closing quote) needs neither the search for its end nor the
// lookup. Valid for the FieldNames table with id `fields_id` only.
struct KeyMemo {
  static constexpr size_t kPlaces = 32;
  struct Place {
    uint64_t head = 0, tail = 0;  // PaddedKeyWords of the key (at most 16 bytes, no escape)
    uint32_t size = 0;
    bool set = false;
    FieldNames::Lookup found;
  };
  uint64_t fields_id = 0;
  std::array<Place, kPlaces> at;
};

// The last level text read and its level: the records of a log share a handful of levels.
class LevelMemo {
 public:
  Level Read(std::string_view text, bool is_string) {
    if (text.size() == size_ && is_string == is_string_ &&
        std::equal(text.begin(), text.end(), text_))
      return level_;
    Level l = ParseLevel(text);
    if (l == Level::kUnknown && !is_string) l = PinoLevel(text);
    if (text.size() <= sizeof(text_)) {
      std::copy(text.begin(), text.end(), text_);
      size_ = text.size();
      is_string_ = is_string;
      level_ = l;
    }
    return l;
  }

 private:
  char text_[16];
  size_t size_ = sizeof(text_) + 1;  // nothing remembered
  bool is_string_ = false;
  Level level_ = Level::kUnknown;
};

struct ThreadState {
  od::parser parser;
  std::string padded;  // a copy of the line plus SIMDJSON_PADDING bytes, when needed
  std::string key;     // the flattened key being built
  bool repairing = false;
  IsoTimeCache time;
  KeyMemo keys;
  LevelMemo level;
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
         ThreadState* st)
      : ctx_(ctx),
        event_(event),
        base_(base),
        line_(line),
        key_(st->key),
        time_(st->time),
        level_(st->level),
        memo_(st->keys) {
    if (memo_.fields_id != ctx.fields->id()) {
      memo_ = KeyMemo();
      memo_.fields_id = ctx.fields->id();
    }
  }

  // Translates a view into the parsed buffer to the same bytes of the caller's line.
  std::string_view Map(std::string_view s) const {
    if (base_ == line_.data() || s.empty()) return s;
    return {line_.data() + (s.data() - base_), s.size()};
  }

  simdjson::error_code Object(od::object obj, size_t prefix_len, int depth) {
    size_t place = 0;  // of the field in the top-level object
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return err;
      const char* k = field.key().raw();
      const char* end = line_end_in_buffer();
      KeyMemo::Place* memo =
          prefix_len == 0 && place < KeyMemo::kPlaces ? &memo_.at[place] : nullptr;
      ++place;
      bool remembered = false;
      if (memo && memo->set) {
        uint64_t head, tail;
        PaddedKeyWords({k, memo->size}, &head, &tail);
        remembered = head == memo->head && tail == memo->tail && k + memo->size < end &&
                     k[memo->size] == '"';
      }
      // The key, raw: find its closing quote, noting escapes.
      const char* p = remembered ? k + memo->size : FindQuoteOrBackslash(k, end);
      bool escaped = false;
      if (p < end && *p == '\\') {
        escaped = true;
        while (p < end && *p != '"') {
          if (*p == '\\') ++p;
          ++p;
        }
      }
      std::string_view key(k, static_cast<size_t>(std::min(p, end) - k));
      const std::string_view in_buffer = key;  // padded: simdjson's input
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
      FieldNames::Lookup found;
      if (remembered) {
        found = memo->found;
      } else if (joined || escaped) {
        found = ctx_.fields->Find(full);
      } else {
        found = ctx_.fields->FindPadded(in_buffer);
        if (memo && in_buffer.size() <= 16) {
          PaddedKeyWords(in_buffer, &memo->head, &memo->tail);
          memo->size = static_cast<uint32_t>(in_buffer.size());
          memo->found = found;
          memo->set = true;
        }
      }
      if (type == od::json_type::null) {  // null names no role: an attribute
        found.role = FieldRole::kNone;
        found.priority = FieldNames::Lookup().priority;
      }
      // An attribute nobody reads: its value is not even looked at (On Demand skips it).
      if (found.role == FieldRole::kNone && !found.wanted) continue;
      std::string_view text;
      bool is_string = false;
      if (type == od::json_type::string) {
        // Up to the closing quote, unless a backslash comes first: then decode.
        const char* open = value.raw_json_token().data();
        const char* close = FindQuoteOrBackslash(open + 1, end);
        if (close < end && *close == '"') {
          text = Map(std::string_view(open + 1, static_cast<size_t>(close - open - 1)));
        } else {
          std::string_view decoded;
          if (auto err = value.get_string().get(decoded)) return err;
          text = ctx_.arena->Copy(decoded);
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
      Store(found, full, joined, text, is_string);
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
          bool ok;
          if (!c.is_string) {
            ok = ParseEpoch(c.text, &pt);
          } else if (time_.Lookup(c.text, &pt)) {
            ok = true;
          } else {
            ok = ParseTimeValue(c.text, ctx_.time, &pt);
            if (ok) time_.Remember(c.text, pt);
          }
          if (ok) {
            event_->time = pt.time;
            event_->zone_assumed = pt.zone_assumed;
            event_->year_assumed = pt.year_assumed;
          } else {
            AddAttr(c.key, c.text);
          }
          break;
        }
        case FieldRole::kLevel: {
          Level l = level_.Read(c.text, c.is_string);
          if (l == Level::kUnknown) AddAttr(c.key, c.text);
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

  // An attribute from a role's key whose value lost to another key of the role or did not
  // parse.
  void AddAttr(std::string_view key, std::string_view text) {
    if (ctx_.fields->Find(key).wanted) event_->attrs.push_back({key, text});
  }

  // A value whose key has role found.role, or an attribute (kNone, wanted).
  void Store(FieldNames::Lookup found, std::string_view full, bool joined, std::string_view text,
             bool is_string) {
    FieldRole role = found.role;
    if (role != FieldRole::kNone) {
      Candidate& c = roles_[static_cast<size_t>(role)];
      int prio = found.priority;
      if (!c.set || prio < c.priority) {
        if (c.set) AddAttr(c.key, c.text);
        c.key = joined ? ctx_.arena->Copy(full) : full;
        c.text = text;
        c.priority = prio;
        c.is_string = is_string;
        c.set = true;
        return;
      }
      if (!found.wanted) return;
    }
    event_->attrs.push_back({joined ? ctx_.arena->Copy(full) : full, text});
  }

  const ParseContext& ctx_;
  Event* event_;
  const char* base_;
  std::string_view line_;
  std::string& key_;
  IsoTimeCache& time_;
  LevelMemo& level_;
  KeyMemo& memo_;
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
    size_t start = 0;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    if (start == line.size() || line[start] != '{') {
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
    Walker walker(ctx, event, base, line, &st);
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
