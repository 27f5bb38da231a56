// Jaeger JSON: the query API's {"data": [trace, ...]} (or {"data": trace}), or one trace
// {"traceID": ..., "spans": [...], "processes": {...}}. A span names its process by "processID"
// (resolved against the trace's "processes" map, which may come after the spans) or carries it
// inline as "process". "references" hold CHILD_OF and FOLLOWS_FROM (the first CHILD_OF is the
// parent, else the first FOLLOWS_FROM; the rest become links); the older "parentSpanID" is read
// too. Times are microseconds. Ids are hex (up to 32 / 16 digits); ids that are not hex (the
// Jaeger UI's test traces use "span-1") are kept as text and joined by that text.
#include <fmt/format.h>

#include <unordered_map>
#include <vector>

#include "traces/json_read.h"

namespace inquest::traces_internal {
namespace {

struct Process {
  std::string_view service, host;
};

struct PendingProcess {
  size_t span = 0;  // index into set->spans
  std::string_view process_id;
};

error_code ReadTraceIdText(std::string_view text, TraceId* id, std::string* why) {
  if (text.empty()) return simdjson::SUCCESS;
  if (!ParseHexTraceId(text, id)) {
    if (text.size() > 32 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
      *why = fmt::format("trace id '{}' is longer than 32 hex digits", text);
    else
      *id = TraceId{0, HashIdText(text), false, text};
  }
  return simdjson::SUCCESS;
}

// A span id: hex up to 16 digits, or text (hashed; *label keeps the text).
void ParseSpanIdText(std::string_view text, SpanId* id, std::string_view* label, std::string* why) {
  if (text.empty()) return;
  if (ParseHexSpanId(text, id)) return;
  if (text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    *why = fmt::format("span id '{}' is longer than 16 hex digits", text);
    return;
  }
  *id = HashIdText(text);
  *label = text;
}

// Tags [{"key", "type", "value"}] into set->attrs; the span's kind, error and host come from
// some of them.
error_code ReadTags(od::value v, SpanSet* set) {
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
        if (auto err = ValueText(field.value(), &set->arena, &a.value)) return err;
      }
    }
    set->attrs.push_back(a);
  }
  return simdjson::SUCCESS;
}

std::string_view HostOfTags(const SpanSet& set, size_t from) {
  std::string_view ip, hostname;
  for (size_t i = from; i < set.attrs.size(); ++i) {
    const SpanAttr& a = set.attrs[i];
    if (a.key == "ip" || a.key == "host.ip") ip = a.value;
    if (a.key == "hostname" || a.key == "host.name") hostname = a.value;
  }
  return !ip.empty() ? ip : hostname;
}

error_code ReadProcess(od::value v, SpanSet* set, Process* p) {
  od::object obj;
  if (auto err = v.get_object().get(obj)) return err;
  size_t mark = set->attrs.size();
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    if (key == "serviceName") {
      if (auto err = ReadText(field.value(), &set->arena, &p->service)) return err;
    } else if (key == "tags") {
      if (auto err = ReadTags(field.value(), set)) return err;
    }
  }
  p->host = HostOfTags(*set, mark);
  set->attrs.resize(mark);
  return simdjson::SUCCESS;
}

error_code ReadLogs(od::value v, SpanSet* set) {
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
      if (key == "timestamp") {
        int64_t us;
        if (auto err = ReadInt(field.value(), &us)) return err;
        if (!MicrosToTime(us, &e.time)) return simdjson::NUMBER_OUT_OF_RANGE;
      } else if (key == "fields") {
        if (auto err = ReadTags(field.value(), set)) return err;
      }
    }
    e.attr_begin = static_cast<uint32_t>(mark);
    e.attr_count = static_cast<uint32_t>(set->attrs.size() - mark);
    for (size_t i = mark; i < set->attrs.size(); ++i)
      if (set->attrs[i].key == "event" || set->attrs[i].key == "message") {
        e.name = set->attrs[i].value;
        break;
      }
    set->events.push_back(e);
  }
  return simdjson::SUCCESS;
}

struct Reference {
  RefType type = RefType::kChildOf;
  TraceId trace;
  SpanId span = 0;
  std::string_view label;
};

error_code ReadReferences(od::value v, SpanSet* set, std::vector<Reference>* refs,
                          std::string* why) {
  od::array arr;
  if (auto err = v.get_array().get(arr)) return err;
  for (auto item : arr) {
    od::object obj;
    if (auto err = item.get_object().get(obj)) return err;
    Reference r;
    for (auto f : obj) {
      od::field field;
      if (auto err = std::move(f).get(field)) return err;
      std::string_view key, text;
      if (auto err = KeyOf(field, &set->arena, &key)) return err;
      if (key == "refType") {
        if (auto err = ReadText(field.value(), &set->arena, &text)) return err;
        r.type = text == "FOLLOWS_FROM" ? RefType::kFollowsFrom : RefType::kChildOf;
      } else if (key == "traceID") {
        if (auto err = ReadText(field.value(), &set->arena, &text)) return err;
        if (auto err = ReadTraceIdText(text, &r.trace, why)) return err;
      } else if (key == "spanID") {
        if (auto err = ReadText(field.value(), &set->arena, &text)) return err;
        ParseSpanIdText(text, &r.span, &r.label, why);
      }
    }
    refs->push_back(r);
  }
  return simdjson::SUCCESS;
}

void ApplyTags(const SpanSet& set, size_t from, Span* span) {
  for (size_t i = from; i < set.attrs.size(); ++i) {
    const SpanAttr& a = set.attrs[i];
    if (a.key == "error" && (a.value == "true" || a.value == "1"))
      span->status = SpanStatus::kError;
    if (a.key == "otel.status_code")
      span->status = a.value == "ERROR" ? SpanStatus::kError
                     : a.value == "OK"  ? SpanStatus::kOk
                                        : span->status;
    if (a.key == "otel.status_description") span->status_message = a.value;
    if (a.key == "span.kind") {
      if (a.value == "server") span->kind = SpanKind::kServer;
      if (a.value == "client") span->kind = SpanKind::kClient;
      if (a.value == "producer") span->kind = SpanKind::kProducer;
      if (a.value == "consumer") span->kind = SpanKind::kConsumer;
      if (a.value == "internal") span->kind = SpanKind::kInternal;
    }
  }
}

error_code ReadSpan(od::value v, const ReadContext& ctx, std::vector<PendingProcess>* pending) {
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
  thread_local std::vector<SpanAttr> tags;
  thread_local std::vector<Reference> refs;
  tags.clear();
  refs.clear();
  int64_t start_us = 0, duration_us = 0;
  bool have_start = false;
  std::string_view process_id;
  Process inline_process;
  bool have_inline = false;
  SpanId parent_field = 0;
  std::string_view parent_field_label;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key, text;
    if (auto err = KeyOf(field, &set->arena, &key)) return err;
    error_code err = simdjson::SUCCESS;
    if (key == "traceID") {
      if (!(err = ReadText(field.value(), &set->arena, &text)))
        err = ReadTraceIdText(text, &span.trace_id, &why);
    } else if (key == "spanID") {
      if (!(err = ReadText(field.value(), &set->arena, &text)))
        ParseSpanIdText(text, &span.span_id, &span.span_id_text, &why);
    } else if (key == "parentSpanID") {
      if (!(err = ReadText(field.value(), &set->arena, &text)))
        ParseSpanIdText(text, &parent_field, &parent_field_label, &why);
    } else if (key == "operationName") {
      err = ReadText(field.value(), &set->arena, &span.name);
    } else if (key == "references") {
      err = ReadReferences(field.value(), set, &refs, &why);
    } else if (key == "startTime") {
      if (!(err = ReadInt(field.value(), &start_us))) have_start = true;
    } else if (key == "duration") {
      err = ReadInt(field.value(), &duration_us);
    } else if (key == "tags") {
      size_t mark = set->attrs.size();
      if (!(err = ReadTags(field.value(), set))) {
        tags.assign(set->attrs.begin() + static_cast<std::ptrdiff_t>(mark), set->attrs.end());
        set->attrs.resize(mark);
      }
    } else if (key == "logs") {
      err = ReadLogs(field.value(), set);
    } else if (key == "processID") {
      err = ReadText(field.value(), &set->arena, &process_id);
    } else if (key == "process") {
      if (!(err = ReadProcess(field.value(), set, &inline_process))) have_inline = true;
    }
    if (err) {
      if (IsFatal(err)) return err;
      if (why.empty()) why = fmt::format("field \"{}\": {}", key, JsonError(err));
    }
  }
  if (have_start) {
    if (start_us <= 0 || !MicrosToTime(start_us, &span.start)) {
      why = fmt::format("startTime {} is not a time", start_us);
    } else if (duration_us < 0) {
      span.end = span.start - 1;  // CommitSpan reports the end before the start
      if (!MicrosToTime(start_us + duration_us, &span.end)) span.end = span.start;
    } else if (!MicrosToTime(start_us + std::min<int64_t>(duration_us, INT64_MAX / 2000),
                             &span.end)) {
      why = fmt::format("duration {} is not a duration", duration_us);
    }
  }
  // The parent: the first CHILD_OF, else the first FOLLOWS_FROM, else parentSpanID; every
  // other reference is a link.
  int parent = -1;
  for (size_t i = 0; i < refs.size() && parent < 0; ++i)
    if (refs[i].type == RefType::kChildOf) parent = static_cast<int>(i);
  if (parent < 0 && !refs.empty()) parent = 0;
  if (parent >= 0) {
    span.parent_id = refs[parent].span;
    span.parent_id_text = refs[parent].label;
    span.parent_ref = refs[parent].type;
  } else {
    span.parent_id = parent_field;
    span.parent_id_text = parent_field_label;
  }
  for (size_t i = 0; i < refs.size(); ++i)
    if (static_cast<int>(i) != parent)
      set->links.push_back(
          SpanLink{refs[i].trace.empty() ? span.trace_id : refs[i].trace, refs[i].span});
  size_t own_begin = set->attrs.size();
  set->attrs.insert(set->attrs.end(), tags.begin(), tags.end());
  ApplyTags(*set, own_begin, &span);
  if (have_inline) {
    span.service = inline_process.service;
    span.host = inline_process.host;
  }
  size_t before = set->spans.size();
  CommitSpan(ctx, span, offset, why, pools);
  if (set->spans.size() > before) {
    Span& s = set->spans.back();
    s.attr_begin = static_cast<uint32_t>(own_begin);
    s.attr_count = static_cast<uint32_t>(set->attrs.size() - own_begin);
    if (!have_inline && !process_id.empty()) pending->push_back({before, process_id});
  }
  return simdjson::SUCCESS;
}

error_code ReadTrace(od::object obj, const ReadContext& ctx, int depth);

// {"data": [trace, ...]} or {"data": trace}.
error_code ReadData(od::value data, const ReadContext& ctx, int depth) {
  od::json_type type;
  if (auto err = data.type().get(type)) return err;
  if (type == od::json_type::array) {
    od::array traces;
    if (auto err = data.get_array().get(traces)) return err;
    for (auto t : traces) {
      od::object trace;
      if (auto err = t.get_object().get(trace)) return err;
      if (auto err = ReadTrace(trace, ctx, depth + 1)) return err;
    }
    return simdjson::SUCCESS;
  }
  od::object trace;
  if (auto err = data.get_object().get(trace)) return err;
  return ReadTrace(trace, ctx, depth + 1);
}

// A trace object (its "spans" and "processes"), or a wrapper holding traces under "data".
error_code ReadTrace(od::object obj, const ReadContext& ctx, int depth) {
  std::unordered_map<std::string_view, Process> processes;
  std::vector<PendingProcess> pending;
  for (auto f : obj) {
    od::field field;
    if (auto err = std::move(f).get(field)) return err;
    std::string_view key;
    if (auto err = KeyOf(field, &ctx.set->arena, &key)) return err;
    if (key == "spans") {
      od::array spans;
      if (auto err = field.value().get_array().get(spans)) return err;
      for (auto s : spans) {
        od::value sv;
        if (auto err = std::move(s).get(sv)) return err;
        if (auto err = ReadSpan(sv, ctx, &pending)) return err;
      }
    } else if (key == "processes") {
      od::object procs;
      if (auto err = field.value().get_object().get(procs)) return err;
      for (auto pf : procs) {
        od::field pfield;
        if (auto err = std::move(pf).get(pfield)) return err;
        std::string_view id;
        if (auto err = KeyOf(pfield, &ctx.set->arena, &id)) return err;
        Process p;
        if (auto err = ReadProcess(pfield.value(), ctx.set, &p)) return err;
        processes[id] = p;
      }
    } else if (key == "data" && depth == 0) {
      if (auto err = ReadData(field.value(), ctx, depth)) return err;
    }
  }
  for (const PendingProcess& p : pending) {
    Span& s = ctx.set->spans[p.span];
    auto it = processes.find(p.process_id);
    if (it == processes.end()) {
      ctx.set->AddIssue(ctx.file, s.offset, SpanLabel(s),
                        fmt::format("process '{}' is not in the trace's processes", p.process_id));
      continue;
    }
    s.service = it->second.service;
    s.host = it->second.host;
  }
  return simdjson::SUCCESS;
}

}  // namespace

error_code ReadJaegerDocument(od::document_reference doc, const ReadContext& ctx) {
  od::object obj;
  if (auto err = doc.get_object().get(obj)) return err;
  return ReadTrace(obj, ctx, 0);
}

}  // namespace inquest::traces_internal
