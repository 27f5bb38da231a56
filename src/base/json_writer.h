// The one way inquest writes JSON (and SARIF): a streaming writer that handles commas, escaping
// and layout, and redacts every string value it writes (base/output.h, the output boundary):
// a value under a key that names a secret ("password", "token", "Authorization") is hidden
// whole, any other value has the secrets in its text hidden. What it hands out is `Redacted`,
// which the files, the HTTP answers and Emit() take. No DOM; the caller writes in order.
//
//   JsonWriter w;                                   // indented, for documents
//   w.BeginObject();
//   w.Key("onset").BeginObject().Field("time", "...").EndObject();
//   w.EndObject();
//   Emit(w.Take());
//
//   JsonWriter line(JsonStyle::kLine);              // {"a": 1, "b": "x"} on one line
//   JsonWriter compact(JsonStyle::kCompact);        // {"a":1,"b":"x"}
#ifndef INQUEST_BASE_JSON_WRITER_H_
#define INQUEST_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/output.h"
#include "base/time.h"

namespace inquest {

enum class JsonStyle {
  kPretty,   // two-space indentation, one item per line, "key": value (diffs well)
  kLine,     // one line, ", " between items, "key": value
  kCompact,  // one line, no spaces
};

// What Value() writes: numbers and bools (a char is text, not a number).
template <typename T>
concept JsonScalar = std::is_arithmetic_v<T> && !std::is_same_v<T, char>;

class JsonWriter {
 public:
  explicit JsonWriter(JsonStyle style = JsonStyle::kPretty) : style_(style) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // A key is inquest's own name or an input's attribute name; it is escaped, not redacted (the
  // value under it is).
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  // A string that belongs to `name` though it stands under another key ({"name": "password",
  // "value": "..."}): redacted as if it stood under `name`.
  JsonWriter& StringFor(std::string_view name, std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  // Fixed decimals; NaN and infinities are written as null.
  JsonWriter& Double(double v, int decimals = 3);
  // At most `max_decimals` decimals, trailing zeros cut ("0.25", "3"); null when not finite.
  JsonWriter& Trimmed(double v, int max_decimals);
  // The shortest text that reads back as `v` ("0.5", "12", "1e-07"); null when not finite.
  JsonWriter& Number(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // An RFC 3339 UTC time with `digits` fraction digits (FormatTime), or null for kNoTime.
  JsonWriter& Time(TimePoint t, int digits = 3);
  // Layout only: the next item of the open container (or its closing bracket) starts after
  // `whitespace` (spaces, tabs and newlines; anything else is dropped), which follows the comma
  // in place of the style's own spacing. For documents whose layout predates the writer (pm
  // lint's JSON and SARIF, capture's manifest).
  JsonWriter& Break(std::string_view whitespace);
  // A value another JsonWriter wrote (its Take()), inserted as it is.
  JsonWriter& Embed(const Redacted& json);

  // A number or a bool as fmt's "{}" writes it: Bool, Int, Uint or Number by its type.
  template <JsonScalar T>
  JsonWriter& Value(T v) {
    if constexpr (std::is_same_v<T, bool>)
      return Bool(v);
    else if constexpr (std::is_floating_point_v<T>)
      return Number(v);
    else if constexpr (std::is_signed_v<T>)
      return Int(v);
    else
      return Uint(v);
  }

  // Shorthands for Key + value.
  template <JsonScalar T>
  JsonWriter& Field(std::string_view k, T v) {
    return Key(k).Value(v);
  }
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& FieldUint(std::string_view k, uint64_t v) { return Key(k).Uint(v); }
  JsonWriter& FieldInt(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& FieldBool(std::string_view k, bool v) { return Key(k).Bool(v); }
  JsonWriter& FieldDouble(std::string_view k, double v, int decimals = 3) {
    return Key(k).Double(v, decimals);
  }
  JsonWriter& FieldTime(std::string_view k, TimePoint t, int digits = 3) {
    return Key(k).Time(t, digits);
  }
  // A string, or null when `v` is empty.
  JsonWriter& FieldOrNull(std::string_view k, std::string_view v) {
    Key(k);
    return v.empty() ? Null() : String(v);
  }

  // The text written; a pretty document ends with a newline, the one-line styles do not. The
  // writer is empty afterwards.
  Redacted Take();
  // Take() ending in a newline (a JSON line, an HTTP answer).
  Redacted TakeLine();
  // The text written so far, for a document streamed in pieces (a 100 MB report is not held
  // whole): the writer stays inside the same containers and the next piece continues where
  // this one stops. The pieces in order are the document; the last is Take().
  Redacted TakePart() { return Redacted(std::exchange(out_, std::string())); }
  // Bytes written since the last Take or TakePart.
  size_t pending() const { return out_.size(); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void BeforeValue();
  void Indent();
  // The key a string value about to be written stands under: its own, or its array's.
  std::string_view ValueKey() const;
  JsonStyle style_;
  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
  std::string break_;                    // whitespace before the next item (Break)
  std::string key_;                      // the last key written (for redaction)
  std::vector<std::string> array_keys_;  // per open container: an array's key, else empty
  std::string scratch_;                  // a redacted value
};

}  // namespace inquest

#endif  // INQUEST_BASE_JSON_WRITER_H_
