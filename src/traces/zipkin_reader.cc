// Zipkin v2 JSON: an array of spans {"traceId", "id", "parentId", "name", "kind", "timestamp",
// "duration", "localEndpoint": {"serviceName", "ipv4", "ipv6"}, "annotations": [{"timestamp",
// "value"}], "tags": {...}, "shared"}. Trace ids are 16 or 32 hex digits, span ids 16 (shorter
// ids are read as if zero-padded, as Zipkin itself does); times are microseconds. A "shared"
// server span reuses its client's id: it is kept as its own span whose parent is that client.
// A span with an "error" tag failed.
#include <fmt/format.h>

#include "traces/json_read.h"

namespace inquest::traces_internal {
namespace {

error_code ReadEndpoint(od::value v, SpanSet* set, Span* span) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  std::string_view ipv4, ipv6;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    if (key == "serviceName") {
      if (auto err = ReadText(field.value(), &set->arena, &span->service)) return err;
    } else if (key == "ipv4") {
      if (auto err = ReadText(field.value(), &set->arena, &ipv4)) return err;
    } else if (key == "ipv6") {
      if (auto err = ReadText(field.value(), &set->arena, &ipv6)) return err;
    }
  }
  span->host = !ipv4.empty() ? ipv4 : ipv6;
  return simdjson::SUCCESS;
}

error_code ReadAnnotations(od::value v, SpanSet* set) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object obj;
    if (auto err = item.get_object().get(obj)) return err;
    SpanEvent e;
    e.attr_begin = static_cast<uint32_t>(set->attrs.size());
    for (auto f : obj) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key;
      if (auto err = KeyOf(field, &set->arena, &key)) return err;
      if (key == "timestamp") {
        int64_t us;
        if (auto err = ReadInt(field.value(), &us)) return err;
        if (!MicrosToTime(us, &e.time)) return simdjson::NUMBER_OUT_OF_RANGE;
      } else if (key == "value") {
        if (auto err = ReadText(field.value(), &set->arena, &e.name)) return err;
      }
    }
    set->events.push_back(e);
  }
  return simdjson::SUCCESS;
}

error_code ReadTags(od::value v, SpanSet* set) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    SpanAttr a;
    if (auto err = KeyOf(field, &set->arena, &a.key)) return err;
    if (auto err = ValueText(field.value(), &set->arena, &a.value)) return err;
    set->attrs.push_back(a);
  }
  return simdjson::SUCCESS;
}

SpanKind KindOf(std::string_view s) {
  if (s == "SERVER") return SpanKind::kServer;
  if (s == "CLIENT") return SpanKind::kClient;
  if (s == "PRODUCER") return SpanKind::kProducer;
  if (s == "CONSUMER") return SpanKind::kConsumer;
  return SpanKind::kUnspecified;
}

error_code ReadSpan(od::value v, const ReadContext& ctx) {
  SpanSet* set = ctx.set;
  uint64_t offset = OffsetOf(v, ctx);
  PoolMarks pools = MarkPools(*set);
  Span span;
  std::string why;
  od::object obj;
  if (auto err = v.get_object().get(obj)) {
    if (IsFatal(err)) return err;
    set->AddIssue(ctx.file, offset, {}, "span is not a JSON object");
    set->files[ctx.file].skipped++;
    return simdjson::SUCCESS;
  }
  int64_t ts = 0, duration = 0;
  bool have_ts = false;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key, text;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    error_code err = simdjson::SUCCESS;
    if (key == "traceId") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) &&
          ((text.size() != 16 && text.size() != 32) || !ParseHexTraceId(text, &span.trace_id)))
        why = fmt::format("trace id '{}' is not 16 or 32 hex digits", text);
    } else if (key == "id") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) &&
          !ParseHexSpanId(text, &span.span_id))
        why = fmt::format("span id '{}' is not 1 to 16 hex digits", text);
    } else if (key == "parentId") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) && !text.empty() &&
          !ParseHexSpanId(text, &span.parent_id))
        why = fmt::format("parent id '{}' is not 1 to 16 hex digits", text);
    } else if (key == "name") {
      err = ReadText(field.value(), &set->arena, &span.name);
    } else if (key == "kind") {
      if (!(err = ReadText(field.value(), &set->arena, &text))) span.kind = KindOf(text);
    } else if (key == "timestamp") {
      if (!(err = ReadInt(field.value(), &ts))) have_ts = true;
    } else if (key == "duration") {
      err = ReadInt(field.value(), &duration);
    } else if (key == "localEndpoint") {
      err = ReadEndpoint(field.value(), set, &span);
    } else if (key == "annotations") {
      err = ReadAnnotations(field.value(), set);
    } else if (key == "tags") {
      err = ReadTags(field.value(), set);
    } else if (key == "shared") {
      bool b = false;
      if (!(err = field.value().get_bool().get(b))) span.shared = b;
    }
    if (err) {
      if (IsFatal(err)) return err;
      if (why.empty()) why = fmt::format("field \"{}\": {}", key, JsonError(err));
    }
  }
  if (!have_ts) {
    if (why.empty()) why = "no timestamp";
  } else if (ts <= 0 || !MicrosToTime(ts, &span.start)) {
    if (why.empty()) why = fmt::format("timestamp {} is not a time", ts);
  } else if (duration < 0) {
    span.end = span.start - 1;  // CommitSpan reports the end before the start
  } else if (!MicrosToTime(ts + std::min<int64_t>(duration, INT64_MAX / 2000), &span.end)) {
    if (why.empty()) why = fmt::format("duration {} is not a duration", duration);
  }
  // Tags follow the annotations in the pool; they are the span's attributes.
  size_t tags_begin = pools.attrs;
  for (size_t i = tags_begin; i < set->attrs.size(); ++i)
    if (set->attrs[i].key == "error") {
      span.status = SpanStatus::kError;
      span.status_message = set->attrs[i].value;
    }
  CommitSpan(ctx, span, offset, why, pools);
  return simdjson::SUCCESS;
}

}  // namespace

error_code ReadZipkinDocument(od::document_reference doc, const ReadContext& ctx) {
  od::array arr;
  if (auto err = doc.get_array().get(arr)) return err;
  for (auto s : arr) {
    od::value sv;
    if (auto err = std::move(s).get(sv)) return err;
    if (auto err = ReadSpan(sv, ctx)) return err;
  }
  return simdjson::SUCCESS;
}

}  // namespace inquest::traces_internal
