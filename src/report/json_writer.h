// A minimal streaming JSON writer for the reports: objects, arrays, strings, numbers, null,
// with two-space indentation so the output diffs well. No DOM; the caller writes in order.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("onset"); w.BeginObject(); w.Key("time"); w.String("..."); w.EndObject();
//   w.EndObject();
//   std::string text = w.Take();
#ifndef INQUEST_REPORT_JSON_WRITER_H_
#define INQUEST_REPORT_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace inquest {

class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view k);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  // Fixed decimals; NaN and infinities are written as null.
  void Double(double v, int decimals = 3);
  void Bool(bool v);
  void Null();
  // An RFC 3339 UTC time with milliseconds, or null for kNoTime.
  void Time(TimePoint t);

  // Shorthands for Key + value.
  void Field(std::string_view k, std::string_view v) { Key(k), String(v); }
  void Field(std::string_view k, const char* v) { Key(k), String(v); }
  void FieldUint(std::string_view k, uint64_t v) { Key(k), Uint(v); }
  void FieldDouble(std::string_view k, double v, int decimals = 3) { Key(k), Double(v, decimals); }
  void FieldTime(std::string_view k, TimePoint t) { Key(k), Time(t); }

  std::string Take();

 private:
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void Indent();
  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace inquest

#endif  // INQUEST_REPORT_JSON_WRITER_H_
