// OTLP/JSON traces: {"resourceSpans": [{"resource": {...}, "scopeSpans": [{"scope": {...},
// "spans": [...]}]}]}, Tempo's {"batches": [...]} with "instrumentationLibrarySpans", and the
// {"result": ...} / {"trace": ...} wrappers of the Jaeger v3 and Tempo query APIs. Ids in hex
// (either case) or base64, 64-bit numbers as numbers or strings, kinds and status codes as
// numbers or enum names.
#include <fmt/format.h>

#include <vector>

#include "traces/json_read.h"

namespace inquest::traces_internal {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes base64 (standard or URL alphabet, padded or not) into at most 16 bytes; the number of
// bytes, or -1.
int DecodeBase64(std::string_view s, uint8_t* out) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  int n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = Base64Value(c);
    if (v < 0) return -1;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == 16) return -1;
      out[n++] = static_cast<uint8_t>(acc >> bits);
    }
  }
  return n;
}

uint64_t BigEndian(const uint8_t* b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | b[i];
  return v;
}

bool IsHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// OTLP ids: exactly 32 (trace) or 16 (span) hex digits, or the base64 of 16 or 8 bytes.
bool ParseOtlpTraceId(std::string_view s, TraceId* out) {
  if (s.size() == 32 && IsHex(s)) return ParseHexTraceId(s, out);
  uint8_t b[16];
  if (DecodeBase64(s, b) != 16) return false;
  *out = TraceId{BigEndian(b), BigEndian(b + 8), true};
  return true;
}

bool ParseOtlpSpanId(std::string_view s, SpanId* out) {
  if (s.size() == 16 && IsHex(s)) return ParseHexSpanId(s, out);
  uint8_t b[16];
  if (DecodeBase64(s, b) != 8) return false;
  *out = BigEndian(b);
  return true;
}

SpanKind KindOf(int64_t n) {
  return n >= 1 && n <= 5 ? static_cast<SpanKind>(n) : SpanKind::kUnspecified;
}

SpanKind KindOfName(std::string_view s) {
  static constexpr std::string_view kNames[] = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
                                                "SPAN_KIND_SERVER",      "SPAN_KIND_CLIENT",
                                                "SPAN_KIND_PRODUCER",    "SPAN_KIND_CONSUMER"};
  for (int i = 0; i < 6; ++i)
    if (s == kNames[i]) return static_cast<SpanKind>(i);
  return SpanKind::kUnspecified;
}

// The text of an OTLP AnyValue {"stringValue": "..."} / {"intValue": "5"} / ...
error_code AnyValueText(od::value v, Arena* arena, std::string_view* out) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  *out = {};
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, arena, &key)) return err;
    if (auto err = ValueText(field.value(), arena, out)) return err;
  }
  return simdjson::SUCCESS;
}

// [{"key": k, "value": AnyValue}, ...] appended to set->attrs.
error_code ReadAttributes(od::value v, SpanSet* set) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object obj;
    if (auto err = item.get_object().get(obj)) return err;
    SpanAttr a;
    for (auto f : obj) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key;
      if (auto err = KeyOf(field, &set->arena, &key)) return err;
      if (key == "key") {
        if (auto err = ReadText(field.value(), &set->arena, &a.key)) return err;
      } else if (key == "value") {
        if (auto err = AnyValueText(field.value(), &set->arena, &a.value)) return err;
      }
    }
    set->attrs.push_back(a);
  }
  return simdjson::SUCCESS;
}

struct Resource {
  std::string_view service, host;
};

error_code ReadResource(od::value v, SpanSet* set, Resource* res) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    if (key != "attributes") continue;
    size_t mark = set->attrs.size();
    if (auto err = ReadAttributes(field.value(), set)) return err;
    std::string_view host_id, host_ip, host_name;
    for (size_t i = mark; i < set->attrs.size(); ++i) {
      const SpanAttr& a = set->attrs[i];
      if (a.key == "service.name") res->service = a.value;
      if (a.key == "host.id") host_id = a.value;
      if (a.key == "host.ip") host_ip = a.value;
      if (a.key == "host.name") host_name = a.value;
    }
    // The precedence Jaeger's clock-skew adjuster uses to tell hosts apart.
    res->host = !host_id.empty() ? host_id : !host_ip.empty() ? host_ip : host_name;
    set->attrs.resize(mark);
  }
  return simdjson::SUCCESS;
}

error_code ReadEvents(od::value v, SpanSet* set, std::string* why) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object obj;
    if (auto err = item.get_object().get(obj)) return err;
    SpanEvent e;
    size_t mark = set->attrs.size();
    for (auto f : obj) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key;
      if (auto err = KeyOf(field, &set->arena, &key)) return err;
      if (key == "timeUnixNano") {
        int64_t t;
        if (auto err = ReadInt(field.value(), &t)) return err;
        e.time = t;
      } else if (key == "name") {
        if (auto err = ReadText(field.value(), &set->arena, &e.name)) return err;
      } else if (key == "attributes") {
        if (auto err = ReadAttributes(field.value(), set)) return err;
      }
    }
    // Event attributes live in the same pool, after the span's own; the span's attr range is
    // fixed up by the caller.
    e.attr_begin = static_cast<uint32_t>(mark);
    e.attr_count = static_cast<uint32_t>(set->attrs.size() - mark);
    set->events.push_back(e);
  }
  return simdjson::SUCCESS;
}

error_code ReadLinks(od::value v, SpanSet* set, std::string* why) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object obj;
    if (auto err = item.get_object().get(obj)) return err;
    SpanLink link;
    for (auto f : obj) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key, text;
      if (auto err = KeyOf(field, &set->arena, &key)) return err;
      if (key == "traceId") {
        if (auto err = ReadText(field.value(), &set->arena, &text)) return err;
        if (!ParseOtlpTraceId(text, &link.trace))
          *why = fmt::format("bad link trace id '{}'", text);
      } else if (key == "spanId") {
        if (auto err = ReadText(field.value(), &set->arena, &text)) return err;
        if (!ParseOtlpSpanId(text, &link.span)) *why = fmt::format("bad link span id '{}'", text);
      }
    }
    set->links.push_back(link);
  }
  return simdjson::SUCCESS;
}

error_code ReadStatus(od::value v, SpanSet* set, Span* span) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    if (key == "code") {
      od::value val = field.value();
      od::json_type type;
      if (auto err = val.type().get(type)) return err;
      if (type == od::json_type::string) {
        std::string_view s;
        if (auto err = ReadText(val, &set->arena, &s)) return err;
        span->status = s == "STATUS_CODE_ERROR" ? SpanStatus::kError
                       : s == "STATUS_CODE_OK"  ? SpanStatus::kOk
                                                : SpanStatus::kUnset;
      } else {
        int64_t n;
        if (auto err = ReadInt(val, &n)) return err;
        span->status = n == 2 ? SpanStatus::kError : n == 1 ? SpanStatus::kOk : SpanStatus::kUnset;
      }
    } else if (key == "message") {
      if (auto err = ReadText(field.value(), &set->arena, &span->status_message)) return err;
    }
  }
  return simdjson::SUCCESS;
}

// One span object. Returns a fatal error only; field problems go to *why.
error_code ReadSpan(od::value v, const ReadContext& ctx, const Resource& res) {
  SpanSet* set = ctx.set;
  uint64_t offset = OffsetOf(v, ctx);
  PoolMarks pools = MarkPools(*set);
  Span span;
  span.service = res.service;
  span.host = res.host;
  std::string why;
  od::object obj;
  if (auto err = v.get_object().get(obj)) {
    if (IsFatal(err)) return err;
    set->AddIssue(ctx.file, offset, {}, "span is not a JSON object");
    set->files[ctx.file].skipped++;
    return simdjson::SUCCESS;
  }
  // Event attributes are read into the pool between the span's own; collect the span's own
  // attributes apart and append them after the events so the span's range is contiguous.
  thread_local std::vector<SpanAttr> own;
  own.clear();
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    error_code err = simdjson::SUCCESS;
    std::string_view text;
    if (key == "traceId") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) &&
          !ParseOtlpTraceId(text, &span.trace_id))
        why = fmt::format("trace id '{}' is neither 32 hex digits nor 16 bytes of base64", text);
    } else if (key == "spanId") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) &&
          !ParseOtlpSpanId(text, &span.span_id))
        why = fmt::format("span id '{}' is neither 16 hex digits nor 8 bytes of base64", text);
    } else if (key == "parentSpanId") {
      if (!(err = ReadText(field.value(), &set->arena, &text)) && !text.empty() &&
          !ParseOtlpSpanId(text, &span.parent_id))
        why =
            fmt::format("parent span id '{}' is neither 16 hex digits nor 8 bytes of base64", text);
    } else if (key == "name") {
      err = ReadText(field.value(), &set->arena, &span.name);
    } else if (key == "kind") {
      od::value val = field.value();
      od::json_type type;
      if (!(err = val.type().get(type))) {
        if (type == od::json_type::string) {
          if (!(err = ReadText(val, &set->arena, &text))) span.kind = KindOfName(text);
        } else {
          int64_t n = 0;
          if (!(err = ReadInt(val, &n))) span.kind = KindOf(n);
        }
      }
    } else if (key == "startTimeUnixNano" || key == "endTimeUnixNano") {
      int64_t t = 0;
      if (!(err = ReadInt(field.value(), &t))) {
        if (t <= 0) {
          why = fmt::format("{} is {}", key, t);
        } else {
          (key[0] == 's' ? span.start : span.end) = t;
        }
      }
    } else if (key == "attributes") {
      size_t mark = set->attrs.size();
      if (!(err = ReadAttributes(field.value(), set))) {
        own.assign(set->attrs.begin() + static_cast<std::ptrdiff_t>(mark), set->attrs.end());
        set->attrs.resize(mark);
      }
    } else if (key == "events") {
      err = ReadEvents(field.value(), set, &why);
    } else if (key == "links") {
      err = ReadLinks(field.value(), set, &why);
    } else if (key == "status") {
      err = ReadStatus(field.value(), set, &span);
    }
    if (err) {
      if (IsFatal(err)) return err;
      if (why.empty()) why = fmt::format("field \"{}\": {}", key, JsonError(err));
    }
  }
  // The span's own attributes follow its events' attributes: [pools.attrs, own_begin) are the
  // events', [own_begin, end) the span's.
  size_t own_begin = set->attrs.size();
  set->attrs.insert(set->attrs.end(), own.begin(), own.end());
  PoolMarks span_pools = pools;
  CommitSpan(ctx, span, offset, why, span_pools);
  if (why.empty() && !set->spans.empty() && set->spans.back().offset == offset &&
      set->spans.back().file == ctx.file) {
    Span& s = set->spans.back();
    s.attr_begin = static_cast<uint32_t>(own_begin);
    s.attr_count = static_cast<uint32_t>(set->attrs.size() - own_begin);
  }
  return simdjson::SUCCESS;
}

error_code ReadScopeSpans(od::value v, const ReadContext& ctx, const Resource& res) {
  od::array scopes;
  if (auto err = v.get_array().get(scopes)) return err;
  for (auto item : scopes) {
    od::object scope;
    if (auto err = item.get_object().get(scope)) return err;
    for (auto f : scope) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key;
      if (auto err = KeyOf(field, &ctx.set->arena, &key)) return err;
      if (key != "spans") continue;
      od::array spans;
      if (auto err = field.value().get_array().get(spans)) return err;
      for (auto s : spans) {
        od::value sv;
        if (auto err = std::move(s).get(sv)) return err;
        if (auto err = ReadSpan(sv, ctx, res)) return err;
      }
    }
  }
  return simdjson::SUCCESS;
}

error_code ReadResourceSpans(od::value v, const ReadContext& ctx) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object rs;
    if (auto err = item.get_object().get(rs)) return err;
    size_t first = ctx.set->spans.size();
    Resource res;
    for (auto f : rs) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key;
      if (auto err = KeyOf(field, &ctx.set->arena, &key)) return err;
      if (key == "resource") {
        if (auto err = ReadResource(field.value(), ctx.set, &res)) return err;
      } else if (key == "scopeSpans" || key == "instrumentationLibrarySpans") {
        if (auto err = ReadScopeSpans(field.value(), ctx, res)) return err;
      }
    }
    // "resource" may come after the spans.
    for (size_t i = first; i < ctx.set->spans.size(); ++i) {
      Span& s = ctx.set->spans[i];
      if (s.service.empty()) s.service = res.service;
      if (s.host.empty()) s.host = res.host;
    }
  }
  return simdjson::SUCCESS;
}

error_code ReadTracesObject(od::object obj, const ReadContext& ctx, int depth) {
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &ctx.set->arena, &key)) return err;
    if (key == "resourceSpans" || key == "batches") {
      if (auto err = ReadResourceSpans(field.value(), ctx)) return err;
    } else if ((key == "result" || key == "trace") && depth < 2) {
      od::object inner;
      if (field.value().get_object().get(inner)) continue;
      if (auto err = ReadTracesObject(inner, ctx, depth + 1)) return err;
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace

error_code ReadOtlpDocument(od::document_reference doc, const ReadContext& ctx) {
  od::object obj;
  if (auto err = doc.get_object().get(obj)) return err;
  return ReadTracesObject(obj, ctx, 0);
}

}  // namespace inquest::traces_internal
