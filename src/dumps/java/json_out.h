// A small JSON text builder for the readers' detail documents: commas and escaping handled,
// nothing else. (report/json_writer.h sits above dumps/ in the dependency order.)
//
//   JsonOut j;
//   j.BeginObject().Key("threads").Number(12).Key("name").String("main").EndObject();
//   std::string text = j.Take();
#ifndef INQUEST_DUMPS_JAVA_JSON_OUT_H_
#define INQUEST_DUMPS_JAVA_JSON_OUT_H_

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {

class JsonOut {
 public:
  JsonOut& BeginObject() { return Open('{'); }
  JsonOut& EndObject() { return Close('}'); }
  JsonOut& BeginArray() { return Open('['); }
  JsonOut& EndArray() { return Close(']'); }
  JsonOut& Key(std::string_view k) {
    Comma();
    out_ += '"';
    out_ += JsonEscape(SanitizeUtf8(k));
    out_ += "\":";
    after_key_ = true;
    return *this;
  }
  JsonOut& String(std::string_view s) {
    Comma();
    out_ += '"';
    out_ += JsonEscape(SanitizeUtf8(s));
    out_ += '"';
    return *this;
  }
  JsonOut& Number(double v) {
    Comma();
    out_ += fmt::format("{}", v);
    return *this;
  }
  JsonOut& Int(int64_t v) {
    Comma();
    out_ += fmt::format("{}", v);
    return *this;
  }
  JsonOut& Bool(bool v) {
    Comma();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonOut& Null() {
    Comma();
    out_ += "null";
    return *this;
  }
  // An RFC 3339 string, or null for kNoTime.
  JsonOut& Time(TimePoint t) { return t == kNoTime ? Null() : String(FormatTime(t)); }
  std::string Take() { return std::move(out_); }

 private:
  JsonOut& Open(char c) {
    Comma();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  JsonOut& Close(char c) {
    out_ += c;
    if (!first_.empty()) first_.pop_back();
    return *this;
  }
  void Comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_JSON_OUT_H_
