// Small helpers the trace readers share for walking JSON with simdjson On Demand: keys and
// strings as views into the padded input when they hold no escape (decoded into the set's arena
// otherwise), integers written as numbers or as strings, any value as text, and byte offsets.
//
// The input must stay alive as long as the SpanSet (the views point into it), and must be
// followed by SIMDJSON_PADDING readable bytes.
#ifndef INQUEST_TRACES_JSON_READ_H_
#define INQUEST_TRACES_JSON_READ_H_

#include <simdjson.h>

#include <cstdint>
#include <string_view>

#include "traces/span_set.h"

namespace inquest::traces_internal {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// What a reader needs to know about the document it walks.
struct ReadContext {
  SpanSet* set = nullptr;
  uint32_t file = 0;
  const char* base = nullptr;  // start of the bytes walked (offsets are relative to it)
  uint64_t shift = 0;          // file offset of `base` (non-zero for a repaired copy)
};

// A field's key, as a view into the input (or the arena when it holds an escape).
error_code KeyOf(od::field& field, Arena* arena, std::string_view* key);

// A string value; INCORRECT_TYPE when the value is not a string.
error_code ReadText(od::value v, Arena* arena, std::string_view* out);

// An integer written as a number or as a decimal string ("1706678909209712000").
error_code ReadInt(od::value v, int64_t* out);

// Any value as text: strings decoded, numbers, booleans and null as written, arrays and objects
// as their JSON text.
error_code ValueText(od::value v, Arena* arena, std::string_view* out);

// Byte offset of a value (the '{' of an object) from ctx.base, before the value is consumed.
uint64_t OffsetOf(od::value v, const ReadContext& ctx);

// The error text for a simdjson error code.
std::string_view JsonError(error_code e);

// Microseconds (Jaeger, Zipkin) to a TimePoint; false when the value would overflow.
bool MicrosToTime(int64_t us, TimePoint* out);

// Each reader walks one JSON document (a file may hold several, one after another) and appends
// the spans it finds to ctx.set. A span with bad fields is skipped with an issue; a structural
// error (the JSON breaks off) is returned, and the spans read before it stay.
error_code ReadOtlpDocument(od::document_reference doc, const ReadContext& ctx);
error_code ReadJaegerDocument(od::document_reference doc, const ReadContext& ctx);
error_code ReadZipkinDocument(od::document_reference doc, const ReadContext& ctx);

// Checks a span a reader has filled (ids, times, parent) and appends it to ctx.set, or records
// why not. `why` is a problem the reader already found (a field of the wrong type): the span is
// then skipped. Repairs that keep the span (end before start, absurd duration, a span that is
// its own parent) are recorded as issues too. Pool entries (attrs, events, links) past
// `pools` belong to the span and are dropped with it.
struct PoolMarks {
  size_t attrs = 0, events = 0, links = 0;
};
PoolMarks MarkPools(const SpanSet& set);
void CommitSpan(const ReadContext& ctx, Span span, uint64_t offset, std::string_view why,
                const PoolMarks& pools);

// True for errors after which the document cannot be walked further.
bool IsFatal(error_code e);

}  // namespace inquest::traces_internal

#endif  // INQUEST_TRACES_JSON_READ_H_
