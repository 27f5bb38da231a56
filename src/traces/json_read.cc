#include "traces/json_read.h"

#include <fmt/format.h>

#include <limits>

#include "base/strings.h"

namespace inquest::traces_internal {

error_code KeyOf(od::field& field, Arena* arena, std::string_view* key) {
  const char* k = field.key().raw();
  const char* p = k;
  // The input is padded and the key was validated by simdjson: a closing quote follows.
  while (*p != '"' && *p != '\\') ++p;
  if (*p == '"') {
    *key = std::string_view(k, static_cast<size_t>(p - k));
    return simdjson::SUCCESS;
  }
  std::string_view unescaped;
  if (auto err = field.unescaped_key().get(unescaped)) return err;
  *key = arena->Copy(unescaped);
  return simdjson::SUCCESS;
}

error_code ReadText(od::value v, Arena* arena, std::string_view* out) {
  std::string_view tok = v.raw_json_token();
  if (tok.empty() || tok[0] != '"') return simdjson::INCORRECT_TYPE;
  size_t close = tok.find_last_of('"');
  if (close == 0) return simdjson::INCORRECT_TYPE;
  std::string_view inner = tok.substr(1, close - 1);
  if (inner.find('\\') == std::string_view::npos) {
    *out = inner;
    return simdjson::SUCCESS;
  }
  std::string_view s;
  if (auto err = v.get_string().get(s)) return err;
  *out = arena->Copy(s);
  return simdjson::SUCCESS;
}

error_code ReadInt(od::value v, int64_t* out) {
  od::json_type type;
  if (auto err = v.type().get(type)) return err;
  if (type == od::json_type::number) {
    int64_t i;
    if (!v.get_int64().get(i)) {
      *out = i;
      return simdjson::SUCCESS;
    }
    double d;
    if (auto err = v.get_double().get(d)) return err;
    if (!(d > -9.2e18 && d < 9.2e18)) return simdjson::NUMBER_OUT_OF_RANGE;
    *out = static_cast<int64_t>(d);
    return simdjson::SUCCESS;
  }
  if (type == od::json_type::string) {
    std::string_view s;
    if (auto err = v.get_string().get(s)) return err;
    std::optional<int64_t> i = ParseInt(s);
    if (!i) return simdjson::INCORRECT_TYPE;
    *out = *i;
    return simdjson::SUCCESS;
  }
  return simdjson::INCORRECT_TYPE;
}

error_code ValueText(od::value v, Arena* arena, std::string_view* out) {
  od::json_type type;
  if (auto err = v.type().get(type)) return err;
  switch (type) {
    case od::json_type::string:
      return ReadText(v, arena, out);
    case od::json_type::object: {
      od::object o;
      if (auto err = v.get_object().get(o)) return err;
      return o.raw_json().get(*out);
    }
    case od::json_type::array: {
      od::array a;
      if (auto err = v.get_array().get(a)) return err;
      return a.raw_json().get(*out);
    }
    default: {
      *out = TrimSpace(v.raw_json_token());
      return simdjson::SUCCESS;
    }
  }
}

uint64_t OffsetOf(od::value v, const ReadContext& ctx) {
  return static_cast<uint64_t>(v.raw_json_token().data() - ctx.base) + ctx.shift;
}

std::string_view JsonError(error_code e) { return simdjson::error_message(e); }

bool MicrosToTime(int64_t us, TimePoint* out) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000;
  if (us < -kLimit || us > kLimit) return false;
  *out = us * 1000;
  return true;
}

bool IsFatal(error_code e) {
  switch (e) {
    case simdjson::SUCCESS:
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::NUMBER_ERROR:
    case simdjson::NO_SUCH_FIELD:
      return false;
    default:
      return true;
  }
}

}  // namespace inquest::traces_internal

namespace inquest::traces_internal {

PoolMarks MarkPools(const SpanSet& set) {
  return {set.attrs.size(), set.events.size(), set.links.size()};
}

void CommitSpan(const ReadContext& ctx, Span span, uint64_t offset, std::string_view why,
                const PoolMarks& pools) {
  SpanSet* set = ctx.set;
  auto drop = [&](std::string message) {
    set->attrs.resize(pools.attrs);
    set->events.resize(pools.events);
    set->links.resize(pools.links);
    set->files[ctx.file].skipped++;
    set->AddIssue(ctx.file, offset, span.span_id == 0 ? std::string() : SpanLabel(span),
                  std::move(message));
  };
  if (!why.empty()) return drop(std::string(why));
  if (span.trace_id.empty()) return drop("no trace id");
  if (span.span_id == 0) return drop("no span id");
  if (span.start == kNoTime) return drop("no start time");
  span.file = ctx.file;
  span.offset = offset;
  if (span.end == kNoTime) span.end = span.start;
  if (span.end < span.start) {
    set->AddIssue(ctx.file, offset, SpanLabel(span),
                  fmt::format("ends {} before it starts; taken as lasting 0",
                              SpanDuration(span.start - span.end)));
    span.end = span.start;
  } else if (span.end - span.start > kMaxSpanDurationNs) {
    set->AddIssue(
        ctx.file, offset, SpanLabel(span),
        fmt::format("absurd duration {}; taken as lasting 0", SpanDuration(span.end - span.start)));
    span.end = span.start;
  }
  if (span.parent_id != 0 && span.parent_id == span.span_id && !span.shared) {
    set->AddIssue(ctx.file, offset, SpanLabel(span), "is its own parent; taken as a root");
    span.parent_id = 0;
    span.parent_id_text = {};
  }
  span.attr_count = static_cast<uint32_t>(set->attrs.size() - pools.attrs);
  span.attr_begin = static_cast<uint32_t>(pools.attrs);
  span.event_count = static_cast<uint32_t>(set->events.size() - pools.events);
  span.event_begin = static_cast<uint32_t>(pools.events);
  span.link_count = static_cast<uint32_t>(set->links.size() - pools.links);
  span.link_begin = static_cast<uint32_t>(pools.links);
  set->files[ctx.file].spans++;
  set->spans.push_back(span);
}

}  // namespace inquest::traces_internal
