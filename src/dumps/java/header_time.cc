#include "dumps/java/header_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "base/strings.h"
#include "base/zone_table.h"
#include "base/zone_text.h"

namespace inquest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// A byte of a multi-byte UTF-8 character: part of a word in any script.
bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Whether `z` reads as a zone (an offset, an IANA name, or a name in the zone table).
bool IsZoneText(std::string_view z) {
  return !z.empty() && ReadZoneText(z, ZoneTable::Active(), nullptr, 0).ok();
}

// Characters (code points) in UTF-8 text.
size_t CodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Month names, lowercase, in the languages date(1) and Windows write most: English, French,
// German, Spanish, Italian, Portuguese, Dutch, Russian (nominative and genitive).
struct Name {
  std::string_view text;
  int value;
};
constexpr Name kMonthNames[] = {
    {"january", 1},    {"february", 2},  {"march", 3},     {"april", 4},      {"may", 5},
    {"june", 6},       {"july", 7},      {"august", 8},    {"september", 9},  {"october", 10},
    {"november", 11},  {"december", 12}, {"janvier", 1},   {"février", 2},    {"mars", 3},
    {"avril", 4},      {"mai", 5},       {"juin", 6},      {"juillet", 7},    {"août", 8},
    {"septembre", 9},  {"octobre", 10},  {"novembre", 11}, {"décembre", 12},  {"januar", 1},
    {"jänner", 1},     {"februar", 2},   {"märz", 3},      {"juni", 6},       {"juli", 7},
    {"oktober", 10},   {"dezember", 12}, {"enero", 1},     {"febrero", 2},    {"marzo", 3},
    {"abril", 4},      {"mayo", 5},      {"junio", 6},     {"julio", 7},      {"agosto", 8},
    {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},  {"noviembre", 11}, {"diciembre", 12},
    {"gennaio", 1},    {"febbraio", 2},  {"aprile", 4},    {"maggio", 5},     {"giugno", 6},
    {"luglio", 7},     {"settembre", 9}, {"ottobre", 10},  {"dicembre", 12},  {"janeiro", 1},
    {"fevereiro", 2},  {"março", 3},     {"maio", 5},      {"junho", 6},      {"julho", 7},
    {"setembro", 9},   {"outubro", 10},  {"dezembro", 12}, {"januari", 1},    {"februari", 2},
    {"maart", 3},      {"mrt", 3},       {"mei", 5},       {"augustus", 8},   {"январь", 1},
    {"февраль", 2},    {"март", 3},      {"апрель", 4},    {"май", 5},        {"июнь", 6},
    {"июль", 7},       {"август", 8},    {"сентябрь", 9},  {"октябрь", 10},   {"ноябрь", 11},
    {"декабрь", 12},   {"января", 1},    {"февраля", 2},   {"марта", 3},      {"апреля", 4},
    {"мая", 5},        {"июня", 6},      {"июля", 7},      {"августа", 8},    {"сентября", 9},
    {"октября", 10},   {"ноября", 11},   {"декабря", 12},
};
constexpr std::string_view kWeekdayNames[] = {
    "sunday",   "monday",   "tuesday",   "wednesday", "thursday",   "friday",      "saturday",
    "dimanche", "lundi",    "mardi",     "mercredi",  "jeudi",      "vendredi",    "samedi",
    "sonntag",  "montag",   "dienstag",  "mittwoch",  "donnerstag", "freitag",     "samstag",
    "domingo",  "lunes",    "martes",    "miércoles", "jueves",     "viernes",     "sábado",
    "domenica", "lunedì",   "martedì",   "mercoledì", "giovedì",    "venerdì",     "sabato",
    "segunda",  "terça",    "quarta",    "quinta",    "sexta",      "zondag",      "maandag",
    "dinsdag",  "woensdag", "donderdag", "vrijdag",   "zaterdag",   "воскресенье", "понедельник",
    "вторник",  "среда",    "четверг",   "пятница",   "суббота",    "вс",          "пн",
    "вт",       "ср",       "чт",        "пт",        "сб",
};
// Words between the parts of a date that say nothing of it: "29 de noviembre de 2021",
// "segunda-feira", "um 06:26".
constexpr std::string_view kFillerWords[] = {"de", "del", "feira", "um", "at", "à", "le", "h"};
// The CJK marks written after a number, and the part each makes it.
enum class Part : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond };
struct Mark {
  std::string_view text;
  Part part;
};
constexpr Mark kCjkMarks[] = {
    {"年", Part::kYear},   {"년", Part::kYear},   {"月", Part::kMonth},  {"월", Part::kMonth},
    {"日", Part::kDay},    {"일", Part::kDay},    {"時", Part::kHour},   {"时", Part::kHour},
    {"시", Part::kHour},   {"分", Part::kMinute}, {"분", Part::kMinute}, {"秒", Part::kSecond},
    {"초", Part::kSecond},
};
constexpr std::string_view kAmWords[] = {"am", "午前", "上午", "오전"};
constexpr std::string_view kPmWords[] = {"pm", "午後", "下午", "오후"};

// Shortest abbreviation matched as a prefix of a month name (three letters: "jan", "févr"),
// and of a weekday name (two: "Mo", "di").
constexpr size_t kMinMonthPrefix = 3;
constexpr size_t kMinWeekdayPrefix = 2;
// Words a time line may carry after a time the base parsers read: a zone of up to four words
// ("W. Australia Standard Time"). More is a log message.
constexpr size_t kMaxWordsAfterATime = 4;

// The month a word names (a full name, or a prefix of names of one month only); 0 if none.
int MonthOf(std::string_view w) {
  int found = 0;
  for (const Name& n : kMonthNames) {
    bool match = n.text == w || (CodePoints(w) >= kMinMonthPrefix && n.text.starts_with(w));
    if (!match) continue;
    if (found != 0 && found != n.value) return 0;  // "jui": juin or juillet
    found = n.value;
  }
  return found;
}

bool IsWeekday(std::string_view w) {
  for (std::string_view d : kWeekdayNames)
    if (d == w || (CodePoints(w) >= kMinWeekdayPrefix && d.starts_with(w))) return true;
  return false;
}

template <size_t N>
bool OneOf(std::string_view w, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  // Upper-case letters with accents in the two-byte Latin-1 block (É -> é, Ä -> ä).
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    auto b0 = static_cast<unsigned char>(out[i]), b1 = static_cast<unsigned char>(out[i + 1]);
    if (b0 == 0xC3 && b1 >= 0x80 && b1 <= 0x9E && b1 != 0x97)
      out[i + 1] = static_cast<char>(b1 + 0x20);
  }
  return out;
}

struct Token {
  enum Kind : uint8_t { kNumber, kWord, kOffset } kind;
  std::string_view text;
  bool glued = false;  // no separator between the token before and this one
  char sep = ' ';      // the first non-space separator after it (' ' when none)
  int value = 0;       // numbers
};

// Splits a line into numbers, words and (after a clock) zone offsets; separators are recorded
// on the token before them. False for a character no time line holds.
bool Tokenize(std::string_view s, std::vector<Token>* out) {
  bool clock = false;  // a "H:MM" was seen: a sign now starts an offset
  size_t end_of_last = std::string_view::npos;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    size_t j = i;
    Token t;
    if (IsDigit(c)) {
      while (j < s.size() && IsDigit(s[j])) ++j;
      if (j - i > 4) return false;  // no date part has more than four digits
      t.kind = Token::kNumber;
      for (size_t k = i; k < j; ++k) t.value = t.value * 10 + (s[k] - '0');
      if (!out->empty() && out->back().kind == Token::kNumber && out->back().sep == ':' &&
          end_of_last == i - 1)
        clock = true;
    } else if (IsAsciiAlpha(c) || IsNonAscii(c)) {
      while (j < s.size() && (IsAsciiAlpha(s[j]) || IsNonAscii(s[j]))) ++j;
      t.kind = Token::kWord;
    } else if (clock && (c == '+' || c == '-') && i + 1 < s.size() && IsDigit(s[i + 1])) {
      j = i + 1;
      while (j < s.size() && (IsDigit(s[j]) || s[j] == ':')) ++j;
      t.kind = Token::kOffset;
    } else {
      if (!out->empty() && out->back().sep == ' ' && c != ' ' && c != '\t') out->back().sep = c;
      if (c == ' ' || c == '\t' || c == ',' || c == '.' || c == '/' || c == '-' || c == ':' ||
          c == '(' || c == ')' || c == '\r') {
        ++i;
        continue;
      }
      return false;
    }
    t.text = s.substr(i, j - i);
    t.glued = end_of_last == i;
    out->push_back(t);
    end_of_last = j;
    i = j;
  }
  return true;
}

struct DateParts {
  int year = -1, month = -1, day = -1, hour = -1, minute = -1, second = 0;
  bool am = false, pm = false;
  std::string zone;
  int64_t offset_s = 0;
  bool has_offset = false;
};

int* PartField(DateParts* p, Part part) {
  switch (part) {
    case Part::kYear:
      return &p->year;
    case Part::kMonth:
      return &p->month;
    case Part::kDay:
      return &p->day;
    case Part::kHour:
      return &p->hour;
    case Part::kMinute:
      return &p->minute;
    case Part::kSecond:
      return &p->second;
  }
  return nullptr;
}

// The year, month and day among the numbers not placed by a clock or a mark.
bool PlaceDateNumbers(const std::vector<const Token*>& nums, DateParts* p) {
  std::vector<const Token*> left;
  for (const Token* n : nums) {
    if (p->year < 0 && n->text.size() == 4) {
      p->year = n->value;
    } else {
      left.push_back(n);
    }
  }
  if (p->month > 0) {  // a name or a mark gave the month: one number left, the day
    if (left.size() != (p->day > 0 ? 0u : 1u)) return false;
    if (!left.empty()) p->day = left[0]->value;
    return p->year > 0;
  }
  // All numeric: the year's place among the three numbers says the order.
  if (nums.size() != 3 || p->year < 0 || left.size() != 2) return false;
  bool year_first = nums[0]->text.size() == 4;
  if (year_first) {
    p->month = left[0]->value, p->day = left[1]->value;
    return true;
  }
  if (nums[2]->text.size() != 4) return false;
  if (nums[0]->sep != '/') {  // "29.11.2021", "29-11-2021": day first wherever they are written
    p->day = left[0]->value, p->month = left[1]->value;
    return true;
  }
  // "11/29/2021" (US) or "29/11/2021": only a number over 12 tells them apart.
  if (left[0]->value > 12 && left[1]->value <= 12) {
    p->day = left[0]->value, p->month = left[1]->value;
    return true;
  }
  if (left[1]->value > 12 && left[0]->value <= 12) {
    p->month = left[0]->value, p->day = left[1]->value;
    return true;
  }
  return false;
}

bool ReadParts(const std::vector<Token>& toks, DateParts* p) {
  std::vector<const Token*> date_nums;
  struct MonthCandidate {
    int month;
    bool weekday;
  };
  std::vector<MonthCandidate> months;
  for (size_t k = 0; k < toks.size(); ++k) {
    const Token& t = toks[k];
    const Token* next = k + 1 < toks.size() ? &toks[k + 1] : nullptr;
    if (t.kind == Token::kNumber) {
      if (p->hour < 0 && t.sep == ':' && next && next->kind == Token::kNumber &&
          t.text.size() <= 2 && next->text.size() == 2) {
        p->hour = t.value, p->minute = next->value;
        ++k;
        if (next->sep == ':' && k + 1 < toks.size() && toks[k + 1].kind == Token::kNumber &&
            toks[k + 1].text.size() == 2) {
          p->second = toks[++k].value;
          const Token& s = toks[k];
          if ((s.sep == '.' || s.sep == ',') && k + 1 < toks.size() &&
              toks[k + 1].kind == Token::kNumber && !toks[k + 1].glued)
            ++k;  // a fraction of a second: "6:26:33,12"
        }
        continue;
      }
      if (next && next->kind == Token::kWord && next->glued) {
        auto mark = std::find_if(std::begin(kCjkMarks), std::end(kCjkMarks),
                                 [&](const Mark& m) { return m.text == next->text; });
        if (mark != std::end(kCjkMarks)) {
          *PartField(p, mark->part) = t.value;
          ++k;
          continue;
        }
      }
      date_nums.push_back(&t);
      continue;
    }
    if (t.kind == Token::kOffset) {
      if (p->has_offset || !ParseUtcOffset(t.text, &p->offset_s)) return false;
      p->has_offset = true;
      continue;
    }
    std::string w = Lower(t.text);
    if (OneOf(w, kAmWords)) {
      p->am = true;
    } else if (OneOf(w, kPmWords)) {
      p->pm = true;
    } else if (int m = MonthOf(w); m > 0) {
      months.push_back({m, IsWeekday(w)});
    } else if (IsWeekday(w) || OneOf(w, kFillerWords)) {
      // says nothing the date does not
    } else if (IsNonAscii(t.text[0])) {
      // a weekday or a word in a script not listed: the numbers carry the date
    } else {
      std::string zone(t.text);
      if (next && next->kind == Token::kOffset && next->glued) zone += next->text, ++k;
      bool caps =
          std::all_of(t.text.begin(), t.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      // A zone the table knows, or an upper-case abbreviation it does not (said later).
      if (!p->zone.empty() ||
          !(IsZoneText(zone) || (caps && t.text.size() >= 2 && t.text.size() <= 5)))
        return false;
      p->zone = std::move(zone);
    }
  }
  if (months.size() > 1) {
    // "mar. 30 nov.": "mar" is Tuesday as well as March; the weekday comes first.
    std::vector<MonthCandidate> only_months;
    for (const MonthCandidate& m : months)
      if (!m.weekday) only_months.push_back(m);
    if (only_months.size() > 1) return false;
    if (!only_months.empty()) months = only_months;
  }
  if (!months.empty()) {
    if (p->month > 0) return false;
    p->month = months.back().month;
  }
  if (p->hour < 0 || p->minute < 0 || !PlaceDateNumbers(date_nums, p)) return false;
  if (p->pm && p->hour < 12) p->hour += 12;
  if (p->am && p->hour == 12) p->hour = 0;
  return true;
}

}  // namespace

bool ReadHeaderTime(std::string_view t, HeaderTime* out) {
  if (t.empty() || t.size() > kMaxTimeLine) return false;
  ParsedTime pt;
  TimeContext ctx;
  if (ParseIso8601(t, ctx, &pt) || ParseCtime(t, ctx, &pt)) {
    std::string_view rest = t.substr(pt.consumed);
    if (rest.empty()) {
      *out = {pt.time, pt.zone_assumed, {}};
      return true;
    }
    rest = TrimSpace(rest);
    if (pt.zone_assumed && t[pt.consumed] == ' ' && IsZoneText(rest)) {
      *out = {pt.time, true, std::string(rest)};
      return true;
    }
    return false;
  }
  // date(1): the zone between the clock and the year.
  std::vector<std::string_view> w;
  for (std::string_view part : Split(t, ' '))
    if (!part.empty()) w.push_back(part);
  auto digits = [](std::string_view x) { return std::all_of(x.begin(), x.end(), IsDigit); };
  // Cheap shape checks first: a clock in the fourth word, a year in the sixth.
  if (w.size() != 6 || w[5].size() != 4 || !digits(w[5]) || w[3].size() != 8 || w[3][2] != ':' ||
      !IsZoneText(w[4]))
    return false;
  std::string norm = fmt::format("{} {} {:0>2} {} {}", w[0], w[1], w[2], w[3], w[5]);
  if (!ParseCtime(norm, ctx, &pt) || pt.consumed != norm.size()) return false;
  *out = {pt.time, true, std::string(w[4])};
  return true;
}

bool ReadLocalHeaderTime(std::string_view t, HeaderTime* out) {
  t = TrimSpace(t);
  if (ReadHeaderTime(t, out)) return true;
  if (t.empty() || t.size() > kMaxLocalTimeLine) return false;
  std::vector<Token> toks;
  DateParts p;
  if (!Tokenize(t, &toks) || !ReadParts(toks, &p)) return false;
  // base/time.h validates the date and the clock and does the calendar arithmetic.
  std::string iso = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", p.year, p.month, p.day,
                                p.hour, p.minute, p.second);
  ParsedTime pt;
  if (!ParseIso8601(iso, TimeContext{}, &pt)) return false;
  HeaderTime h;
  h.time = pt.time;
  h.zone_assumed = !p.has_offset;
  if (p.has_offset) h.time -= p.offset_s * kNanosPerSecond;
  h.zone = p.has_offset ? std::string() : p.zone;
  *out = std::move(h);
  return true;
}

bool LooksLikeTimeLine(std::string_view t) {
  t = TrimSpace(t);
  if (t.empty() || t.size() > kMaxLocalTimeLine || t[0] == '"') return false;
  // A log line ("2021-11-29 06:26:33,123 INFO [main] started") opens with a time a log parser
  // reads and goes on with a message: it is not the dump's own time line.
  ParsedTime pt;
  if (ParseTimePrefix(t, TimeContext{}, &pt)) {
    size_t words = 0;
    for (std::string_view w : Split(TrimSpace(t.substr(pt.consumed)), ' ')) words += !w.empty();
    if (words > kMaxWordsAfterATime) return false;
  }
  size_t clock = std::string_view::npos;
  for (size_t i = 1; i + 2 < t.size(); ++i) {
    if (t[i] == ':' && IsDigit(t[i - 1]) && IsDigit(t[i + 1]) && IsDigit(t[i + 2])) {
      clock = i;
      break;
    }
  }
  if (clock == std::string_view::npos) return false;
  // Another number besides the clock's: a date.
  size_t start = clock - 1;
  while (start > 0 && IsDigit(t[start - 1])) --start;
  for (size_t i = 0; i < start; ++i)
    if (IsDigit(t[i])) return true;
  size_t end = clock + 3;
  while (end < t.size() && (IsDigit(t[end]) || t[end] == ':')) ++end;
  for (size_t i = end; i < t.size(); ++i)
    if (IsDigit(t[i])) return true;
  return false;
}

}  // namespace inquest
