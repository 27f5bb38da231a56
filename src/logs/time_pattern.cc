// Discovery, resolution and reading of timestamp patterns learned from example lines.
#include "logs/time_pattern.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>

#include "base/strings.h"
#include "logs/event.h"

namespace inquest {
namespace {

// An epoch number is only taken for a time when it falls in these years: a 10-digit number
// outside them is far more likely a counter or an id than a timestamp.
constexpr int kMinEpochYear = 2000;
constexpr int kMaxEpochYear = 2100;
// A 4-digit number after a year-less clock is its year ("Sun Dec 04 04:47:44 2005") only from
// this year on: below it, it is more likely a pid or a thread id.
constexpr int64_t kMinTrailingYear = 1970;
// Longest zone name read after a clock ("CEST", "AKDT", "ChST"); longer words are not zones.
constexpr size_t kMaxZoneNameChars = 5;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

size_t DigitRun(std::string_view s, size_t i) {
  size_t n = 0;
  while (i + n < s.size() && IsDigit(s[i + n])) ++n;
  return n;
}
size_t AlphaRun(std::string_view s, size_t i) {
  size_t n = 0;
  while (i + n < s.size() && IsAlpha(s[i + n])) ++n;
  return n;
}
int64_t ValueOf(std::string_view s, size_t i, size_t n) {
  int64_t v = 0;
  for (size_t k = 0; k < n; ++k) v = v * 10 + (s[i + k] - '0');
  return v;
}

// A full name or its first three letters, case-insensitively; the index in `names`, or -1.
template <size_t N>
int NameIndex(std::string_view s, const std::array<std::string_view, N>& names) {
  if (s.size() < 3) return -1;
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  for (size_t k = 0; k < N; ++k)
    if (lower == names[k] || (lower.size() == 3 && names[k].starts_with(lower)))
      return static_cast<int>(k);
  // "Sept", "Tues", "Thur", "Thurs": abbreviations longer than three letters.
  if (lower.size() <= 5)
    for (size_t k = 0; k < N; ++k)
      if (names[k].size() > lower.size() && names[k].starts_with(lower)) return static_cast<int>(k);
  return -1;
}

// A numeric zone offset at s[i] ("+02:00", "-0700", "+05"); bytes used or 0.
size_t OffsetAt(std::string_view s, size_t i, int64_t* offset_s) {
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return 0;
  size_t h = DigitRun(s, i + 1);
  int64_t hh = 0, mm = 0;
  size_t used;
  if (h == 4) {
    hh = ValueOf(s, i + 1, 2);
    mm = ValueOf(s, i + 3, 2);
    used = 5;
  } else if (h == 2 || h == 1) {
    hh = ValueOf(s, i + 1, h);
    used = 1 + h;
    if (i + used + 2 < s.size() && s[i + used] == ':' && DigitRun(s, i + used + 1) == 2) {
      mm = ValueOf(s, i + used + 1, 2);
      used += 3;
    }
  } else {
    return 0;
  }
  if (hh > 23 || mm > 59 || (i + used < s.size() && IsAlnum(s[i + used]))) return 0;
  *offset_s = (s[i] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  return used;
}

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Builds a TimeShape as the scanner walks the text.
class ShapeBuilder {
 public:
  explicit ShapeBuilder(std::string_view s) : s_(s) {}
  void Literal(size_t begin, size_t end) {
    std::string lit;
    for (size_t k = begin; k < end; ++k) {
      if (IsBlank(s_[k])) {
        if (lit.empty() || lit.back() != ' ') lit += ' ';
      } else {
        lit += s_[k];
      }
    }
    if (lit.empty()) return;
    shape_.signature += lit;
    shape_.elements.push_back({TimePart::kLiteral, lit, 0, 0});
  }
  void Part(TimePart p, size_t digits = 0, char sig = '?') {
    TimeElement e{p, {}, static_cast<uint8_t>(digits), static_cast<uint8_t>(digits)};
    shape_.elements.push_back(e);
    shape_.signature += '%';
    shape_.signature += sig;
  }
  void DateNum(size_t i, size_t n) {
    shape_.date_values.push_back(static_cast<int>(ValueOf(s_, i, n)));
    // A fixed-width (compact) run keeps its width in the signature: "081109" is not "8-11-9".
    Part(TimePart::kDateNum, n, 'N');
  }
  // Optional parts do not enter the signature: lines with and without a zone are one layout.
  void Optional(TimePart p, size_t spaces) {
    shape_.elements.push_back({p, spaces ? " " : "", 0, 0});
  }
  TimeShape& shape() { return shape_; }

 private:
  std::string_view s_;
  TimeShape shape_;
};

std::optional<TimeShape> ScanEpoch(std::string_view s) {
  size_t n = DigitRun(s, 0);
  if (n != 10 && n != 13 && n != 16 && n != 19) return std::nullopt;
  size_t end = n;
  if (n == 10 && end + 1 < s.size() && s[end] == '.' && DigitRun(s, end + 1) > 0)
    end += 1 + DigitRun(s, end + 1);
  if (end < s.size() && (IsAlnum(s[end]) || s[end] == '.' || s[end] == '-')) return std::nullopt;
  ParsedTime pt;
  if (!ParseEpoch(s.substr(0, end), &pt)) return std::nullopt;
  int year = YearOf(pt.time);
  if (year < kMinEpochYear || year > kMaxEpochYear) return std::nullopt;
  TimeShape sh;
  sh.elements.push_back({TimePart::kEpoch, {}, static_cast<uint8_t>(n), static_cast<uint8_t>(n)});
  sh.signature = fmt::format("%E{}", n);
  sh.consumed = end;
  return sh;
}

// The clock at s[i]: H:MM[:SS][.frac]; appends its parts and returns the end, or 0.
size_t ScanClock(std::string_view s, size_t i, ShapeBuilder* b) {
  size_t h = DigitRun(s, i);
  if (h < 1 || h > 2 || i + h >= s.size() || s[i + h] != ':') return 0;
  size_t m = DigitRun(s, i + h + 1);
  if (m != 2) return 0;
  b->Part(TimePart::kHour, h, 'H');
  b->Literal(i + h, i + h + 1);
  b->Part(TimePart::kMinute, 2, 'M');
  size_t p = i + h + 3;
  if (p + 2 < s.size() && s[p] == ':' && DigitRun(s, p + 1) == 2) {
    b->Literal(p, p + 1);
    b->Part(TimePart::kSecond, 2, 'S');
    p += 3;
  }
  return p;
}

// The compact clock HHMMSS at s[i]; appends its parts and returns the end, or 0.
size_t ScanCompactClock(std::string_view s, size_t i, ShapeBuilder* b) {
  if (DigitRun(s, i) != 6) return 0;
  if (ValueOf(s, i, 2) > 23 || ValueOf(s, i + 2, 2) > 59 || ValueOf(s, i + 4, 2) > 60) return 0;
  b->Part(TimePart::kHour, 2, 'H');
  b->Part(TimePart::kMinute, 2, 'M');
  b->Part(TimePart::kSecond, 2, 'S');
  return i + 6;
}

// Fraction, AM/PM, a trailing year (ctime) and a zone after the clock at s[p].
size_t ScanAfterClock(std::string_view s, size_t p, bool need_year, ShapeBuilder* b) {
  if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && DigitRun(s, p + 1) > 0) {
    b->Literal(p, p + 1);
    b->Part(TimePart::kFraction, 0, 'f');
    p += 1 + DigitRun(s, p + 1);
  }
  auto spaces_at = [&](size_t q) {
    size_t n = 0;
    while (q + n < s.size() && IsBlank(s[q + n])) ++n;
    return n;
  };
  size_t sp = spaces_at(p);
  if (p + sp + 1 < s.size()) {
    std::string_view w = s.substr(p + sp, 2);
    bool ampm = (w[0] | 0x20) == 'a' || (w[0] | 0x20) == 'p';
    if (ampm && (w[1] | 0x20) == 'm' && (p + sp + 2 >= s.size() || !IsAlnum(s[p + sp + 2]))) {
      b->Optional(TimePart::kAmPm, sp);
      p += sp + 2;
    }
  }
  bool zone_done = false;
  for (int round = 0; round < 2; ++round) {
    sp = spaces_at(p);
    size_t q = p + sp;
    if (need_year && sp > 0 && DigitRun(s, q) == 4 && (q + 4 >= s.size() || !IsAlnum(s[q + 4])) &&
        ValueOf(s, q, 4) >= kMinTrailingYear && ValueOf(s, q, 4) <= kMaxEpochYear) {
      b->Literal(p, q);
      b->Part(TimePart::kYear4, 4, 'Y');
      p = q + 4;
      need_year = false;
      continue;
    }
    if (zone_done || q >= s.size()) break;
    int64_t off = 0;
    size_t used = 0;
    if (s[q] == 'Z' && (q + 1 >= s.size() || !IsAlnum(s[q + 1]))) {
      used = 1;
    } else if (size_t o = OffsetAt(s, q, &off); o > 0) {
      used = o;
    } else if (size_t a = AlphaRun(s, q); a >= 2 && a <= kMaxZoneNameChars) {
      std::string_view w = s.substr(q, a);
      bool upper = std::all_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      bool utc = w == "UTC" || w == "GMT";
      // A name is a zone only when the tz database knows it (not "CRON", "AUDIT").
      if (upper && sp > 0 && ParseLevel(w) == Level::kUnknown && (utc || TimeZone::Parse(w).ok())) {
        used = a;
        if (utc && OffsetAt(s, q + a, &off) > 0) used += OffsetAt(s, q + a, &off);
        b->shape().zones.emplace_back(w);
      }
    }
    if (used == 0 || (q + used < s.size() && IsAlnum(s[q + used]))) break;
    b->Optional(TimePart::kZone, sp);
    p = q + used;
    zone_done = true;
  }
  return p;
}

}  // namespace

int MonthFromName(std::string_view s) {
  int k = NameIndex(s, kMonthNames);
  return k < 0 ? 0 : k + 1;
}

bool IsWeekdayName(std::string_view s) { return NameIndex(s, kWeekdayNames) >= 0; }

std::optional<TimeShape> ScanTimeShape(std::string_view s) {
  if (std::optional<TimeShape> e = ScanEpoch(s)) return e;
  ShapeBuilder b(s);
  size_t i = 0;
  if (size_t a = AlphaRun(s, 0); a > 0 && IsWeekdayName(s.substr(0, a))) {
    b.Part(TimePart::kWeekday, 0, 'a');
    i = a;
    size_t j = i;
    if (j < s.size() && s[j] == ',') ++j;
    while (j < s.size() && IsBlank(s[j])) ++j;
    if (j == i) return std::nullopt;
    b.Literal(i, j);
    i = j;
  }
  size_t parts = 0, clock_end = 0;
  bool has_name = false;
  while (clock_end == 0) {
    if (i >= s.size()) return std::nullopt;
    size_t n = DigitRun(s, i);
    if (n > 0) {
      if (n <= 2 && i + n < s.size() && s[i + n] == ':') {
        if (parts < 2) return std::nullopt;
        clock_end = ScanClock(s, i, &b);
        if (clock_end == 0) return std::nullopt;
        break;
      }
      if (parts == 0 && (n == 4 || n == 6 || n == 8)) {
        // A compact date ("081109", "20240105", "0105") directly followed by a clock.
        size_t j = i + n;
        size_t sep = j < s.size() && (IsBlank(s[j]) || s[j] == 'T' || s[j] == '-' || s[j] == '_');
        if (sep && IsBlank(s[j]))
          while (j + sep < s.size() && IsBlank(s[j + sep])) ++sep;
        size_t c = j + sep;
        size_t cn = DigitRun(s, c);
        bool colon_clock = cn >= 1 && cn <= 2 && c + cn < s.size() && s[c + cn] == ':';
        if (colon_clock || (cn == 6 && sep > 0) || (cn == 6 && n == 8)) {
          size_t w1 = n == 8 ? 4 : 2;
          b.DateNum(i, w1);
          b.DateNum(i + w1, 2);
          if (n >= 6) b.DateNum(i + w1 + 2, 2);
          b.Literal(j, c);
          clock_end = colon_clock ? ScanClock(s, c, &b) : ScanCompactClock(s, c, &b);
          if (clock_end == 0) return std::nullopt;
          parts = n == 4 ? 2 : 3;
          break;
        }
      }
      if (n > 4) return std::nullopt;
      b.DateNum(i, n);
      i += n;
    } else if (size_t a = AlphaRun(s, i); a > 0) {
      if (has_name || MonthFromName(s.substr(i, a)) == 0) return std::nullopt;
      b.Part(TimePart::kMonthName, a, 'b');  // the width tells "Mar" from "March"
      has_name = true;
      i += a;
    } else {
      return std::nullopt;
    }
    ++parts;
    // The separator after a date part: to the next date part, or to the clock.
    size_t j = i;
    while (j < s.size() && j - i < 3 &&
           (IsBlank(s[j]) || s[j] == '-' || s[j] == '/' || s[j] == '.' || s[j] == ',' ||
            s[j] == 'T' || s[j] == '_' || s[j] == ':'))
      ++j;
    if (j == i || j >= s.size()) return std::nullopt;
    std::string_view sep = s.substr(i, j - i);
    size_t dn = DigitRun(s, j);
    bool to_clock = dn >= 1 && dn <= 2 && j + dn < s.size() && s[j + dn] == ':';
    bool clock_sep_only = sep == "T" || sep == "_" || sep == ":";
    if (!to_clock && (clock_sep_only || parts >= 3)) return std::nullopt;
    if (to_clock && parts < 2) return std::nullopt;
    b.Literal(i, j);
    i = j;
  }
  bool has_year = false;
  for (size_t k = 0; k < b.shape().elements.size(); ++k) {
    const TimeElement& e = b.shape().elements[k];
    if (e.part == TimePart::kDateNum && e.max_width == 4) has_year = true;
  }
  size_t date_nums = b.shape().date_values.size();
  bool need_year = !has_year && date_nums + has_name == 2;
  size_t end = ScanAfterClock(s, clock_end, need_year, &b);
  if (end < s.size() && IsAlnum(s[end])) return std::nullopt;
  b.shape().consumed = end;
  return std::move(b.shape());
}

namespace {

enum Role : uint8_t { kRoleYear, kRoleMonth, kRoleDay };

// Orders of the date numbers in preference order, for each count of them; with a month name
// the numbers are a day and maybe a year.
struct Order {
  const char* name;
  std::array<Role, 3> roles;
};
// Y-D-M and other orders are not in use anywhere; a file that seems to need one is more
// likely not a date at all.
constexpr Order kOrders3[] = {{"Y-M-D", {kRoleYear, kRoleMonth, kRoleDay}},
                              {"M-D-Y", {kRoleMonth, kRoleDay, kRoleYear}},
                              {"D-M-Y", {kRoleDay, kRoleMonth, kRoleYear}}};
constexpr Order kOrders2[] = {{"M-D", {kRoleMonth, kRoleDay}}, {"D-M", {kRoleDay, kRoleMonth}}};
constexpr Order kOrdersName2[] = {{"D-Y", {kRoleDay, kRoleYear}}, {"Y-D", {kRoleYear, kRoleDay}}};
constexpr Order kOrdersName1[] = {{"D", {kRoleDay}}};

// Written conventions that settle an otherwise ambiguous day/month order, by the separator
// between the date numbers: dotted numeric dates ("08.04.2026", "08.04.") put the day first
// wherever they are used (most of Europe, Russia, Turkey); a slash or a dash is written both
// ways (US M/D/Y, UK and France D/M/Y), so it settles nothing and the preference order stands.
struct SeparatorConvention {
  const char* separator;
  bool day_first;
};
constexpr SeparatorConvention kDateConventions[] = {{".", true}};

int YearValue(int v, int width) { return width == 4 ? v : (v < 69 ? 2000 + v : 1900 + v); }

}  // namespace

Result<TimePattern> ResolveTimePattern(std::span<const TimeShape> shapes, const TimeContext& ctx) {
  if (shapes.empty()) return Status::InvalidArgument("no timestamps to learn from");
  // The base: the shape with the most optional parts (a zone, AM/PM) among the first signature.
  const std::string& sig = shapes.front().signature;
  const TimeShape* base = &shapes.front();
  std::vector<const TimeShape*> same;
  for (const TimeShape& s : shapes) {
    if (s.signature != sig) continue;
    same.push_back(&s);
    if (s.elements.size() > base->elements.size()) base = &s;
  }
  TimePattern p;
  p.elements_ = base->elements;
  if (p.is_epoch()) return p;
  size_t with_zone = 0;
  std::vector<std::string> names, zone_notes;
  for (const TimeShape* s : same) {
    bool zone = false;
    for (const TimeElement& e : s->elements) zone |= e.part == TimePart::kZone;
    with_zone += zone;
    for (const std::string& z : s->zones)
      if (std::find(names.begin(), names.end(), z) == names.end()) names.push_back(z);
  }
  p.zone_always_ = with_zone == same.size();
  for (const std::string& n : names) {
    if (n == "UTC" || n == "GMT") {
      p.zone_utc_word_ = true;
      continue;
    }
    p.zone_named_ = true;
    Result<TimeZone> tz = TimeZone::Parse(n);
    if (!tz.ok()) continue;
    // An ambiguous abbreviation ("IST") takes the zone table's default; the layout says so.
    if (!tz->note().empty()) zone_notes.push_back(tz->note());
    p.named_zones_.push_back({n, *tz});
  }
  // Widths of numeric parts across the examples.
  std::vector<size_t> num_index;
  for (size_t k = 0; k < p.elements_.size(); ++k) {
    TimeElement& e = p.elements_[k];
    if (e.part == TimePart::kDateNum) num_index.push_back(k);
  }
  size_t n = num_index.size();
  bool has_name = std::any_of(p.elements_.begin(), p.elements_.end(),
                              [](const TimeElement& e) { return e.part == TimePart::kMonthName; });
  std::span<const Order> orders;
  if (has_name && n == 2) orders = kOrdersName2;
  if (has_name && n == 1) orders = kOrdersName1;
  if (!has_name && n == 3) orders = kOrders3;
  if (!has_name && n == 2) orders = kOrders2;
  if (orders.empty() && !(has_name && n == 0))
    return Status::InvalidArgument(fmt::format("{} date numbers{}: not a day and a month", n,
                                               has_name ? " and a month name" : ""));
  // Per example, per date number: width and value.
  auto width_of = [&](const TimeShape* s, size_t idx) {
    size_t seen = 0;
    for (const TimeElement& e : s->elements) {
      if (e.part != TimePart::kDateNum) continue;
      if (seen++ == idx) return static_cast<int>(e.max_width);
    }
    return 0;
  };
  std::vector<const Order*> fits;
  for (const Order& o : orders) {
    bool ok = true;
    int year_width = 0;
    for (const TimeShape* s : same) {
      if (s->date_values.size() != n) {
        ok = false;
        break;
      }
      for (size_t k = 0; k < n && ok; ++k) {
        int v = s->date_values[k], w = width_of(s, k);
        switch (o.roles[k]) {
          case kRoleYear:
            ok = (w == 2 || w == 4) && (year_width == 0 || year_width == w);
            year_width = w;
            break;
          case kRoleMonth:
            ok = w <= 2 && v >= 1 && v <= 12;
            break;
          case kRoleDay:
            ok = w <= 2 && v >= 1 && v <= 31;
            break;
        }
      }
      if (!ok) break;
    }
    if (ok) fits.push_back(&o);
  }
  if (!orders.empty() && fits.empty())
    return Status::InvalidArgument("no order of year, month and day fits every example");
  // Among orders that fit, the one whose year, then month, takes the fewest values across the
  // examples (a log's year changes less than its month, its month less than its day); then one
  // that puts the year within a year of the expected one (the file's own year), when only some
  // do; then the preference order. Nearness alone does not outweigh the order: old logs are
  // read long after they were written.
  auto distinct = [&](const Order* o, Role role) {
    std::set<int> seen;
    for (size_t k = 0; k < n; ++k)
      if (o->roles[k] == role)
        for (const TimeShape* s : same) seen.insert(s->date_values[k]);
    return seen.size();
  };
  auto near = [&](const Order* o) {
    if (ctx.default_year <= 0) return false;
    for (size_t k = 0; k < n; ++k)
      if (o->roles[k] == kRoleYear)
        return std::abs(YearValue(same.front()->date_values[k], width_of(same.front(), k)) -
                        ctx.default_year) <= 1;
    return false;
  };
  // The separator between the first two date numbers, for kDateConventions.
  std::string date_separator;
  if (!num_index.empty() && num_index.front() + 2 < p.elements_.size() &&
      p.elements_[num_index.front() + 1].part == TimePart::kLiteral &&
      p.elements_[num_index.front() + 2].part == TimePart::kDateNum)
    date_separator = p.elements_[num_index.front() + 1].literal;
  auto day_first = [](const Order* o) {
    for (Role r : o->roles) {
      if (r == kRoleDay) return true;
      if (r == kRoleMonth) return false;
    }
    return false;
  };
  auto conventional = [&](const Order* o) {
    for (const SeparatorConvention& c : kDateConventions)
      if (date_separator == c.separator) return day_first(o) == c.day_first;
    return false;
  };
  std::stable_sort(fits.begin(), fits.end(), [&](const Order* a, const Order* b) {
    size_t ya = distinct(a, kRoleYear), yb = distinct(b, kRoleYear);
    if (ya != yb) return ya < yb;
    size_t ma = distinct(a, kRoleMonth), mb = distinct(b, kRoleMonth);
    if (ma != mb) return ma < mb;
    if (near(a) != near(b)) return near(a);
    return conventional(a) && !conventional(b);
  });
  const Order* chosen = fits.empty() ? nullptr : fits.front();
  if (fits.size() > 1) {
    std::string others;
    for (const Order* o : fits)
      if (o != chosen) others += fmt::format("{}{}", others.empty() ? "" : ", ", o->name);
    p.ambiguity_ = fmt::format(
        "date order ambiguous: read as {}{} (also fits {})", chosen->name,
        conventional(chosen) ? fmt::format(", as '{}'-separated dates are written", date_separator)
                             : "",
        others);
  }
  for (const std::string& z : zone_notes) p.ambiguity_ += (p.ambiguity_.empty() ? "" : "; ") + z;
  for (size_t k = 0; k < n; ++k) {
    TimeElement& e = p.elements_[num_index[k]];
    uint8_t lo = 9, hi = 0;
    for (const TimeShape* s : same) {
      uint8_t w = static_cast<uint8_t>(width_of(s, k));
      lo = std::min(lo, w);
      hi = std::max(hi, w);
    }
    e.min_width = lo;
    e.max_width = hi;
    switch (chosen->roles[k]) {
      case kRoleYear:
        e.part = hi == 4 ? TimePart::kYear4 : TimePart::kYear2;
        break;
      case kRoleMonth:
        e.part = TimePart::kMonth;
        break;
      case kRoleDay:
        e.part = TimePart::kDay;
        break;
    }
  }
  for (size_t k = 0; k < p.elements_.size(); ++k) {
    if (p.elements_[k].part != TimePart::kMonthName) continue;
    for (const TimeShape* s : same)
      if (k < s->elements.size())
        p.elements_[k].max_width = std::max(p.elements_[k].max_width, s->elements[k].max_width);
  }
  // Separated day, month and hour numbers take one or two digits whatever the examples showed
  // ("Jul  1", "9:05:00"); compact ones ("081109") keep their width.
  auto numeric = [&](size_t k) {
    if (k >= p.elements_.size()) return false;
    TimePart q = p.elements_[k].part;
    return q != TimePart::kLiteral && q != TimePart::kMonthName && q != TimePart::kWeekday &&
           q != TimePart::kZone && q != TimePart::kAmPm && q != TimePart::kFraction;
  };
  for (size_t k = 0; k < p.elements_.size(); ++k) {
    TimeElement& e = p.elements_[k];
    if (e.part != TimePart::kDay && e.part != TimePart::kMonth && e.part != TimePart::kHour)
      continue;
    if ((k > 0 && numeric(k - 1)) || numeric(k + 1)) continue;
    e.min_width = 1;
    e.max_width = 2;
  }
  return p;
}

bool TimePattern::is_epoch() const {
  return elements_.size() == 1 && elements_[0].part == TimePart::kEpoch;
}

bool TimePattern::has_year() const {
  return is_epoch() || std::any_of(elements_.begin(), elements_.end(), [](const TimeElement& e) {
           return e.part == TimePart::kYear4 || e.part == TimePart::kYear2;
         });
}

bool TimePattern::ZoneAt(std::string_view s, size_t* i, const NamedZone** named,
                         int64_t* offset) const {
  size_t q = *i;
  while (q < s.size() && IsBlank(s[q])) ++q;
  if (q >= s.size()) return false;
  if (s[q] == 'Z' && (q + 1 >= s.size() || !IsAlnum(s[q + 1]))) {
    *offset = 0;
    *i = q + 1;
    return true;
  }
  if (size_t o = OffsetAt(s, q, offset); o > 0) {
    *i = q + o;
    return true;
  }
  size_t a = AlphaRun(s, q);
  if (a < 2 || a > kMaxZoneNameChars) return false;
  std::string_view w = s.substr(q, a);
  if (w == "UTC" || w == "GMT") {
    *offset = 0;
    *i = q + a;
    if (size_t o = OffsetAt(s, q + a, offset); o > 0) *i += o;
    return true;
  }
  for (const NamedZone& z : named_zones_) {
    if (z.name == w) {
      *named = &z;
      *i = q + a;
      return true;
    }
  }
  return false;
}

bool TimePattern::Parse(std::string_view s, const TimeContext& ctx, ParsedTime* out) const {
  int64_t year = -1, month = 0, day = 0, hour = 0, minute = 0, second = 0, frac = 0;
  int pm = -1;
  size_t i = 0;
  bool has_zone = false;
  const NamedZone* named = nullptr;
  int64_t offset = 0;
  for (const TimeElement& e : elements_) {
    switch (e.part) {
      case TimePart::kLiteral:
        if (e.literal == " ") {
          if (i >= s.size() || !IsBlank(s[i])) return false;
          while (i < s.size() && IsBlank(s[i])) ++i;
        } else {
          if (s.substr(i, e.literal.size()) != e.literal) return false;
          i += e.literal.size();
        }
        break;
      case TimePart::kMonthName:
      case TimePart::kWeekday: {
        size_t a = AlphaRun(s, i);
        std::string_view w = s.substr(i, a);
        if (e.part == TimePart::kMonthName) {
          month = MonthFromName(w);
          if (month == 0) return false;
        } else if (!IsWeekdayName(w)) {
          return false;
        }
        i += a;
        break;
      }
      case TimePart::kFraction: {
        size_t d = DigitRun(s, i);
        if (d == 0) return false;
        frac = ValueOf(s, i, std::min<size_t>(d, 9));
        for (size_t k = d; k < 9; ++k) frac *= 10;
        i += d;
        break;
      }
      case TimePart::kAmPm: {
        size_t q = i;
        while (q < s.size() && IsBlank(s[q])) ++q;
        if (q + 1 < s.size() && (s[q + 1] | 0x20) == 'm' &&
            ((s[q] | 0x20) == 'a' || (s[q] | 0x20) == 'p') &&
            (q + 2 >= s.size() || !IsAlnum(s[q + 2]))) {
          pm = (s[q] | 0x20) == 'p';
          i = q + 2;
        }
        break;
      }
      case TimePart::kZone:
        has_zone = ZoneAt(s, &i, &named, &offset);  // optional: i moves only when there is one
        break;
      case TimePart::kEpoch: {
        size_t d = DigitRun(s, i);
        if (d != e.max_width) return false;
        size_t end = i + d;
        if (d == 10 && end + 1 < s.size() && s[end] == '.' && DigitRun(s, end + 1) > 0)
          end += 1 + DigitRun(s, end + 1);
        ParsedTime pt;
        if (!ParseEpoch(s.substr(i, end - i), &pt)) return false;
        if (end < s.size() && IsAlnum(s[end])) return false;
        pt.consumed = static_cast<uint32_t>(end);
        *out = pt;
        return true;
      }
      default: {
        size_t d = DigitRun(s, i);
        if (d < e.min_width) return false;
        d = std::min<size_t>(d, e.max_width);
        int64_t v = ValueOf(s, i, d);
        i += d;
        switch (e.part) {
          case TimePart::kYear4:
            year = v;
            break;
          case TimePart::kYear2:
            year = YearValue(static_cast<int>(v), 2);
            break;
          case TimePart::kMonth:
            month = v;
            break;
          case TimePart::kDay:
            day = v;
            break;
          case TimePart::kHour:
            hour = v;
            break;
          case TimePart::kMinute:
            minute = v;
            break;
          case TimePart::kSecond:
            second = v;
            break;
          default:
            return false;
        }
      }
    }
  }
  if (pm >= 0) {
    if (hour < 1 || hour > 12) return false;
    hour = hour % 12 + (pm ? 12 : 0);
  }
  ParsedTime pt;
  if (year < 0) {
    year = ctx.default_year > 0 ? ctx.default_year : 1970;
    pt.year_assumed = true;
  }
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, static_cast<int>(month)) || hour > 23 || minute > 59 || second > 60)
    return false;
  int64_t local_s =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      hour * 3600 + minute * 60 + second;
  if (named) {
    offset = named->zone.OffsetForLocal(local_s);
  } else if (!has_zone) {
    if (ctx.zone) offset = ctx.zone->OffsetForLocal(local_s);
    pt.zone_assumed = true;
  }
  if (i < s.size() && IsAlnum(s[i])) return false;
  pt.time = (local_s - offset) * kNanosPerSecond + frac;
  pt.consumed = static_cast<uint32_t>(i);
  *out = pt;
  return true;
}

}  // namespace inquest
