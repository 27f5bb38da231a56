// Which keys of a structured log (JSON lines, logfmt) carry the time, level, ids and service,
// judged by what their values look like across the file's first records, with key names only
// as hints and tie-breakers.
//
// Runs once per file on its head; the per-line parse then uses the result as an ordinary
// FieldNames table (one probe per key), so it costs nothing per line.
//
//   FieldInference fi = InferFields(*format, data, ctx);
//   if (fi.names) ctx.fields = fi.names.get();
#ifndef INQUEST_LOGS_FIELD_INFERENCE_H_
#define INQUEST_LOGS_FIELD_INFERENCE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logs/field_names.h"
#include "logs/format.h"

namespace inquest {

// Non-empty lines of a file's head that the inference reads: enough records to see a request
// id recur and a level vary, few enough to stay well under a millisecond per file.
inline constexpr size_t kInferenceLines = 256;

// A record share above which a property holds for "nearly every record": one record in
// twenty may be a different shape (a startup banner, a panic line) without hiding the field.
inline constexpr double kNearlyAll = 0.9;

struct InferredField {
  FieldRole role = FieldRole::kNone;
  std::string key;     // the flattened key ("log.level", "attributes.request_id")
  std::string reason;  // "92 of 96 values parse as times", "named like request_id"
};

struct FieldInference {
  // Keys whose role was found (by values, or by a name the table spells differently), in role
  // order. Empty when the table's own names already fit the values.
  std::vector<InferredField> found;
  // The caller's table plus `found`, ahead of the defaults; null when `found` is empty.
  std::unique_ptr<FieldNames> names;
};

// Reads the first kInferenceLines non-empty lines of `data` with `format` and judges every
// key: a key whose values parse as times in nearly every record (and move together, as a
// log's clock does) is the time; level words the level; 32-hex values a trace id, 16-hex a
// span id; UUIDs or other id-like tokens that recur across records, with many distinct values,
// a request id; short names in a service-named key the service. When the key the names in
// ctx.fields would pick passes the same test, it is kept. Keys named like a known key after
// removing a namespace ("attributes.", "resource.", "labels.") or case and separators
// ("Request-ID") take that key's role. Never fails: an unreadable head finds nothing.
FieldInference InferFields(const LogFormat& format, std::string_view data, const ParseContext& ctx);

// Whether `s` is hex digits only (either case) and non-empty.
bool IsHexText(std::string_view s);

}  // namespace inquest

#endif  // INQUEST_LOGS_FIELD_INFERENCE_H_
