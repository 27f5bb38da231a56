// A TimePattern written out: strftime-style text for people and user formats, and the RE2
// expression that matches what it reads (logs/time_pattern.h).
#include <fmt/format.h>
#include <re2/re2.h>

#include "logs/time_pattern.h"

namespace inquest {

namespace {

// strftime-style text; a space stands for any run of spaces (as user formats read it).
std::string Strftime(const std::vector<TimeElement>& els, bool utc_word) {
  std::string out;
  for (size_t k = 0; k < els.size(); ++k) {
    const TimeElement& e = els[k];
    switch (e.part) {
      case TimePart::kLiteral:
        for (char c : e.literal) out += c == '%' ? std::string("%%") : std::string(1, c);
        break;
      case TimePart::kYear4:
        out += "%Y";
        break;
      case TimePart::kYear2:
        out += "%y";
        break;
      case TimePart::kMonth:
        out += "%m";
        break;
      case TimePart::kMonthName:
        out += e.max_width > 3 ? "%B" : "%b";
        break;
      case TimePart::kDay:
        out += "%d";
        break;
      case TimePart::kWeekday:
        out += "%a";
        break;
      case TimePart::kHour:
        out += "%H";
        break;
      case TimePart::kMinute:
        out += "%M";
        break;
      case TimePart::kSecond:
        out += "%S";
        break;
      case TimePart::kFraction:
        out += "%f";
        break;
      case TimePart::kAmPm:
        out += e.literal + "%p";
        break;
      case TimePart::kZone:
        out += e.literal + (utc_word ? "%Z" : "%z");
        break;
      case TimePart::kEpoch:
      case TimePart::kDateNum:
        break;
    }
  }
  return out;
}

const char* EpochUnit(int digits) {
  switch (digits) {
    case 10:
      return "s";
    case 13:
      return "ms";
    case 16:
      return "us";
    default:
      return "ns";
  }
}

}  // namespace

std::string TimePattern::Describe() const {
  if (is_epoch()) return fmt::format("epoch-{}", EpochUnit(elements_[0].max_width));
  std::string d = Strftime(elements_, zone_utc_word_);
  if (!zone_always_)
    for (const TimeElement& e : elements_)
      if (e.part == TimePart::kZone) d += " (zone optional)";
  return d;
}

std::string TimePattern::UserTimeFormat() const {
  if (is_epoch()) return "epoch";
  bool optional_zone = false, ampm = false;
  for (const TimeElement& e : elements_) {
    optional_zone |= e.part == TimePart::kZone && !zone_always_;
    ampm |= e.part == TimePart::kAmPm;
  }
  // The user-format syntax has no optional parts, no AM/PM and no zone names.
  if (optional_zone || ampm || zone_named_) return {};
  return Strftime(elements_, zone_utc_word_);
}

std::string TimePattern::Regex() const {
  std::string re;
  for (const TimeElement& e : elements_) {
    switch (e.part) {
      case TimePart::kLiteral:
        re += e.literal == " " ? std::string("[ \\t]+") : RE2::QuoteMeta(e.literal);
        break;
      case TimePart::kMonthName:
      case TimePart::kWeekday:
        re += "[A-Za-z]+";
        break;
      case TimePart::kFraction:
        re += "\\d+";
        break;
      case TimePart::kAmPm:
        re += "(?:[ \\t]*[AaPp][Mm])?";
        break;
      case TimePart::kZone:
        re += "(?:[ \\t]*(?:Z|[+-]\\d{1,2}(?::?\\d{2})?|(?:UTC|GMT)(?:[+-]\\d{1,2}(?::?\\d{2})?)?";
        for (const NamedZone& z : named_zones_) re += "|" + RE2::QuoteMeta(z.name);
        re += "))?";
        break;
      case TimePart::kEpoch:
        re += fmt::format("\\d{{{}}}", e.max_width);
        if (e.max_width == 10) re += "(?:\\.\\d+)?";
        break;
      default:
        re += e.min_width == e.max_width ? fmt::format("\\d{{{}}}", e.max_width)
                                         : fmt::format("\\d{{{},{}}}", e.min_width, e.max_width);
        break;
    }
  }
  return re;
}

}  // namespace inquest
