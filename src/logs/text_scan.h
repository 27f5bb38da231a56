// A cursor over one log line for the hand-written text formats (syslog, access logs, log4j and
// the Loghub families): words, delimited fields and timestamps, without allocating.
#ifndef INQUEST_LOGS_TEXT_SCAN_H_
#define INQUEST_LOGS_TEXT_SCAN_H_

#include <string_view>

#include "base/time.h"
#include "logs/event.h"

namespace inquest {

// The position of the first `a` or `b` in `s` at or after `from`, or s.size(). 32 bytes a step
// where AVX2 is there: a quoted user agent is a hundred bytes, and a loop over its bytes was a
// fifth of reading a combined access log.
size_t FindEither(std::string_view s, size_t from, char a, char b);

class TextScan {
 public:
  explicit TextScan(std::string_view s) : s_(s) {}

  bool at_end() const { return i_ >= s_.size(); }
  size_t pos() const { return i_; }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  std::string_view rest() const { return i_ < s_.size() ? s_.substr(i_) : std::string_view(); }

  // Skips spaces and tabs; returns how many.
  size_t SkipSpaces() {
    size_t n = 0;
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_, ++n;
    return n;
  }
  // The run of non-space bytes at the cursor (may be empty).
  std::string_view Word() {
    size_t b = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '\t') ++i_;
    return s_.substr(b, i_ - b);
  }
  bool Consume(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Consume(std::string_view p) {
    if (s_.substr(i_).starts_with(p)) {
      i_ += p.size();
      return true;
    }
    return false;
  }
  // The text up to the next `c` (which is consumed); false, cursor unmoved, if there is none.
  bool Until(char c, std::string_view* out) {
    size_t e = s_.find(c, i_);
    if (e == std::string_view::npos) return false;
    *out = s_.substr(i_, e - i_);
    i_ = e + 1;
    return true;
  }
  // The same with a multi-byte delimiter.
  bool Until(std::string_view d, std::string_view* out) {
    size_t e = s_.find(d, i_);
    if (e == std::string_view::npos) return false;
    *out = s_.substr(i_, e - i_);
    i_ = e + d.size();
    return true;
  }
  void Advance(size_t n) { i_ = n > s_.size() - i_ ? s_.size() : i_ + n; }

  // Parses a timestamp at the cursor with `parse` and stores it in *event.
  template <typename Fn>
  bool Time(Fn parse, Event* event) {
    ParsedTime pt;
    if (!parse(rest(), &pt)) return false;
    event->time = pt.time;
    event->zone_assumed = pt.zone_assumed;
    event->year_assumed = pt.year_assumed;
    i_ += pt.consumed;
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_LOGS_TEXT_SCAN_H_
