// OpenTelemetry logs as OTLP/JSON (the file exporter's and the proto examples' form): one
// document {"resourceLogs":[{"resource":{...},"scopeLogs":[{"scope":{...},"logRecords":[...]}]}]}.
// A whole-document format: LoadLogFile calls ParseDocument instead of reading lines.
//
// The document is walked with simdjson On Demand over one padded copy of the file; each log
// record's JSON text is located in the file (for its line, offset and raw text) and parsed with
// the DOM API. Decoded strings are copied into ctx.arena; raw views point into `data`.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"
#include "logs/formats.h"
#include "logs/log_reader.h"

namespace inquest {
namespace {

namespace od = simdjson::ondemand;
namespace dom = simdjson::dom;

// Bytes of each probe line searched for the "resourceLogs" key.
constexpr size_t kProbeScanBytes = 64 << 10;

// OTLP SeverityNumber ranges (logs data model): 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN,
// 17-20 ERROR, 21-24 FATAL.
Level SeverityNumberLevel(int64_t n) {
  if (n <= 0 || n > 24) return Level::kUnknown;
  static constexpr Level kByQuarter[] = {Level::kTrace, Level::kDebug, Level::kInfo,
                                         Level::kWarn,  Level::kError, Level::kFatal};
  return kByQuarter[(n - 1) / 4];
}

// The text of an OTLP AnyValue: strings as they are, numbers and bools as text, arrays and
// maps as minified JSON.
std::string_view AnyValueText(dom::element v, Arena* arena) {
  dom::object obj;
  if (v.get_object().get(obj)) return {};
  for (auto [key, val] : obj) {
    std::string_view s;
    if (key == "stringValue" && !val.get_string().get(s)) return arena->Copy(s);
    if (key == "intValue") {
      if (!val.get_string().get(s)) return arena->Copy(s);
      return arena->Copy(simdjson::minify(val));
    }
    if (key == "boolValue" || key == "doubleValue" || key == "arrayValue" || key == "kvlistValue" ||
        key == "bytesValue") {
      if (!val.get_string().get(s)) return arena->Copy(s);
      return arena->Copy(simdjson::minify(val));
    }
  }
  return {};
}

int64_t IntOrString(dom::element v) {
  int64_t i;
  if (!v.get_int64().get(i)) return i;
  uint64_t u;
  if (!v.get_uint64().get(u)) return static_cast<int64_t>(u);
  std::string_view s;
  if (!v.get_string().get(s)) return ParseInt(s).value_or(0);
  return 0;
}

struct Resource {
  std::string_view service, host;
};

void ReadResource(dom::element res, Arena* arena, Resource* out) {
  dom::array attrs;
  if (res["attributes"].get_array().get(attrs)) return;
  for (dom::element a : attrs) {
    std::string_view key;
    dom::element value;
    if (a["key"].get_string().get(key) || a["value"].get(value)) continue;
    if (key == "service.name") out->service = AnyValueText(value, arena);
    if (key == "host.name") out->host = AnyValueText(value, arena);
  }
}

class OtlpLogsFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "otlp-logs"; }
  std::string_view description() const override {
    return "OpenTelemetry OTLP/JSON logs document {\"resourceLogs\":[...]}";
  }
  bool allows_continuations() const override { return false; }
  bool whole_document() const override { return true; }

  double Probe(std::span<const std::string_view> lines, const ParseContext&) const override {
    if (lines.empty()) return 0;
    std::string_view first = lines.front();
    size_t b = first.find_first_not_of(" \t");
    if (b == std::string_view::npos || first[b] != '{') return 0;
    for (std::string_view l : lines)
      if (l.substr(0, kProbeScanBytes).find("\"resourceLogs\"") != std::string_view::npos)
        return 1.0;
    return 0;
  }

  LineKind ParseLine(std::string_view, const ParseContext&, Event*,
                     std::string* why) const override {
    *why = "OTLP logs are read as a whole document, not line by line";
    return LineKind::kMalformed;
  }

  bool ParseDocument(std::string_view data, const ParseContext& ctx, uint32_t file_index,
                     std::vector<Event>* events, IssueLog* issues) const override {
    simdjson::padded_string copy(data.data(), data.size());
    od::parser parser;
    od::document doc;
    od::object root;
    if (auto err = parser.iterate(copy).get(doc); err || (err = doc.get_object().get(root))) {
      issues->Add(1, 0, fmt::format("invalid JSON: {}", simdjson::error_message(err)));
      return false;
    }
    od::array resource_logs;
    if (root["resourceLogs"].get_array().get(resource_logs)) {
      issues->Add(1, 0, "no \"resourceLogs\" array");
      return false;
    }
    dom::parser record_parser;
    uint64_t line = 1;
    size_t counted_to = 0;
    auto line_of = [&](size_t offset) {
      line += static_cast<uint64_t>(
          std::count(data.begin() + static_cast<std::ptrdiff_t>(counted_to),
                     data.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
      counted_to = offset;
      return line;
    };
    for (auto rl_result : resource_logs) {
      od::object rl;
      if (rl_result.get_object().get(rl)) {
        issues->Add(line, counted_to, "resourceLogs entry is not an object");
        continue;
      }
      size_t first_event = events->size();
      Resource resource;
      for (auto field : rl) {
        std::string_view key;
        if (field.unescaped_key().get(key)) break;
        if (key == "resource") {
          std::string_view text;
          od::object res_obj;
          if (field.value().get_object().get(res_obj) || res_obj.raw_json().get(text)) break;
          dom::element res;
          if (!record_parser.parse(text.data(), text.size(), false).get(res))
            ReadResource(res, ctx.arena, &resource);
        } else if (key == "scopeLogs") {
          od::array scopes;
          if (field.value().get_array().get(scopes)) continue;
          for (auto scope_result : scopes) {
            od::object scope;
            if (scope_result.get_object().get(scope)) continue;
            std::string_view scope_name;
            for (auto sf : scope) {
              std::string_view skey;
              if (sf.unescaped_key().get(skey)) break;
              if (skey == "scope") {
                od::object so;
                std::string_view n;
                if (!sf.value().get_object().get(so) && !so["name"].get_string().get(n))
                  scope_name = ctx.arena->Copy(n);
              } else if (skey == "logRecords") {
                od::array records;
                if (sf.value().get_array().get(records)) continue;
                for (auto rec : records) {
                  std::string_view text;
                  od::object rec_obj;
                  if (rec.get_object().get(rec_obj) || rec_obj.raw_json().get(text)) break;
                  size_t offset = static_cast<size_t>(text.data() - copy.data());
                  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' ||
                                           text.back() == '\r' || text.back() == '\t'))
                    text.remove_suffix(1);
                  uint64_t ln = line_of(offset);
                  dom::element r;
                  if (auto err = record_parser.parse(text.data(), text.size(), false).get(r)) {
                    issues->Add(ln, offset,
                                fmt::format("bad log record: {}", simdjson::error_message(err)));
                    continue;
                  }
                  Event ev;
                  ev.file = file_index;
                  ev.line = ln;
                  ev.offset = offset;
                  ev.raw = data.substr(offset, text.size());
                  if (!scope_name.empty()) ev.attrs.push_back({"scope", scope_name});
                  ReadRecord(r, ctx, &ev);
                  events->push_back(std::move(ev));
                }
              }
            }
          }
        }
      }
      for (size_t i = first_event; i < events->size(); ++i) {
        Event& e = (*events)[i];
        if (e.service.empty()) e.service = resource.service;
        if (e.host.empty()) e.host = resource.host;
      }
    }
    return true;
  }

 private:
  static void ReadRecord(dom::element r, const ParseContext& ctx, Event* ev) {
    dom::object obj;
    if (r.get_object().get(obj)) return;
    int64_t observed = 0;
    Level text_level = Level::kUnknown;
    for (auto [key, val] : obj) {
      std::string_view s;
      if (key == "timeUnixNano") {
        int64_t t = IntOrString(val);
        if (t > 0) ev->time = t;
      } else if (key == "observedTimeUnixNano") {
        observed = IntOrString(val);
      } else if (key == "severityNumber") {
        ev->level = SeverityNumberLevel(IntOrString(val));
      } else if (key == "severityText") {
        if (!val.get_string().get(s)) {
          text_level = ParseLevel(s);
          ev->attrs.push_back({"severity_text", ctx.arena->Copy(s)});
        }
      } else if (key == "traceId") {
        if (!val.get_string().get(s)) ev->trace_id = ctx.arena->Copy(s);
      } else if (key == "spanId") {
        if (!val.get_string().get(s)) ev->span_id = ctx.arena->Copy(s);
      } else if (key == "body") {
        ev->message = AnyValueText(val, ctx.arena);
      } else if (key == "attributes") {
        dom::array attrs;
        if (val.get_array().get(attrs)) continue;
        for (dom::element a : attrs) {
          std::string_view k;
          dom::element v;
          if (a["key"].get_string().get(k) || a["value"].get(v)) continue;
          std::string_view text = AnyValueText(v, ctx.arena);
          switch (ctx.fields->RoleOf(k)) {
            case FieldRole::kRequestId:
              ev->request_id = text;
              break;
            case FieldRole::kService:
              if (ev->service.empty()) ev->service = text;
              break;
            default:
              ev->attrs.push_back({ctx.arena->Copy(k), text});
          }
        }
      }
    }
    if (ev->time == kNoTime && observed > 0) ev->time = observed;
    if (ev->level == Level::kUnknown) ev->level = text_level;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewOtlpLogsFormat() { return std::make_unique<OtlpLogsFormat>(); }

}  // namespace inquest
