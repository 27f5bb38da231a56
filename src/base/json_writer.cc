#include "base/json_writer.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "base/strings.h"

namespace inquest {

void JsonWriter::Indent() {
  out_ += '\n';
  out_.append(2 * has_items_.size(), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_ += style_ == JsonStyle::kLine && break_.empty() ? ", " : ",";
    has_items_.back() = true;
    if (!break_.empty()) {
      out_ += break_;
      break_.clear();
    } else if (style_ == JsonStyle::kPretty) {
      Indent();
    }
  }
}

JsonWriter& JsonWriter::Break(std::string_view whitespace) {
  break_.clear();
  for (char c : whitespace)
    if (c == ' ' || c == '\t' || c == '\n') break_ += c;
  return *this;
}

JsonWriter& JsonWriter::Open(char c) {
  // An array's strings are redacted by the key the array stands under ("passwords": [...]).
  std::string key(c == '[' ? ValueKey() : std::string_view());
  BeforeValue();
  out_ += c;
  has_items_.push_back(false);
  array_keys_.push_back(std::move(key));
  return *this;
}

std::string_view JsonWriter::ValueKey() const {
  if (after_key_) return key_;
  return array_keys_.empty() ? std::string_view() : std::string_view(array_keys_.back());
}

JsonWriter& JsonWriter::Close(char c) {
  bool had = !has_items_.empty() && has_items_.back();
  if (!has_items_.empty()) has_items_.pop_back();
  if (!array_keys_.empty()) array_keys_.pop_back();
  if (!break_.empty()) {
    out_ += break_;
    break_.clear();
  } else if (had && style_ == JsonStyle::kPretty) {
    Indent();
  }
  out_ += c;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  BeforeValue();
  out_ += '"';
  AppendJsonEscaped(k, &out_);
  out_ += style_ == JsonStyle::kCompact ? "\":" : "\": ";
  after_key_ = true;
  key_.assign(k);
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) { return StringFor(ValueKey(), s); }

JsonWriter& JsonWriter::StringFor(std::string_view key, std::string_view s) {
  BeforeValue();
  // The output boundary: every string value is redacted, by its key when it has one.
  if (key.empty() ? RedactOutputText(s, &scratch_) : RedactOutputValue(key, s, &scratch_))
    s = scratch_;
  out_ += '"';
  AppendJsonEscaped(s, &out_);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Double(double v, int decimals) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  out_ += fmt::format("{:.{}f}", v, decimals);
  return *this;
}

JsonWriter& JsonWriter::Trimmed(double v, int max_decimals) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  std::string t = fmt::format("{:.{}f}", v, max_decimals);
  if (t.find('.') != std::string::npos) {
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  out_ += t;
  return *this;
}

JsonWriter& JsonWriter::Number(double v) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  out_ += fmt::format("{}", v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Time(TimePoint t, int digits) {
  if (t == kNoTime) return Null();
  BeforeValue();
  out_ += '"';
  out_ += FormatTime(t, digits);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Embed(const Redacted& json) {
  BeforeValue();
  std::string_view v = json.view();
  while (!v.empty() && v.back() == '\n') v.remove_suffix(1);
  out_ += v;
  return *this;
}

Redacted JsonWriter::TakeLine() {
  if (style_ != JsonStyle::kPretty) out_ += '\n';
  return Take();
}

Redacted JsonWriter::Take() {
  if (style_ == JsonStyle::kPretty) out_ += '\n';
  has_items_.clear();
  array_keys_.clear();
  break_.clear();
  after_key_ = false;
  return Redacted(std::exchange(out_, std::string()));
}

}  // namespace inquest
