// Level names: every common spelling of a severity, and the syslog numeric severities.
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "logs/event.h"

namespace inquest {
namespace {

struct Spelling {
  std::string_view text;  // lower case
  Level level;
};

// Spellings seen in the wild: log4j/logback, Python logging, Go (zap, logrus, klog letters),
// syslog keywords, .NET/OTLP ("Information", "Critical"), java.util.logging (SEVERE, FINE).
constexpr Spelling kSpellings[] = {
    {"trace", Level::kTrace},
    {"trc", Level::kTrace},
    {"finest", Level::kTrace},
    {"finer", Level::kTrace},
    {"verbose", Level::kTrace},
    {"t", Level::kTrace},
    {"debug", Level::kDebug},
    {"dbg", Level::kDebug},
    {"debg", Level::kDebug},
    {"fine", Level::kDebug},
    {"config", Level::kDebug},
    {"d", Level::kDebug},
    {"v", Level::kDebug},
    {"info", Level::kInfo},
    {"inf", Level::kInfo},
    {"information", Level::kInfo},
    {"informational", Level::kInfo},
    {"i", Level::kInfo},
    {"notice", Level::kNotice},
    {"note", Level::kNotice},
    {"n", Level::kNotice},
    {"warn", Level::kWarn},
    {"warning", Level::kWarn},
    {"wrn", Level::kWarn},
    {"w", Level::kWarn},
    {"error", Level::kError},
    {"err", Level::kError},
    {"eror", Level::kError},
    {"e", Level::kError},
    {"severe", Level::kError},
    {"dpanic", Level::kError},
    {"fatal", Level::kFatal},
    {"ftl", Level::kFatal},
    {"f", Level::kFatal},
    {"crit", Level::kFatal},
    {"critical", Level::kFatal},
    {"alert", Level::kFatal},
    {"emerg", Level::kFatal},
    {"emergency", Level::kFatal},
    {"panic", Level::kFatal},
    {"c", Level::kFatal},
};

// Longest spelling above; anything longer is not a level.
constexpr size_t kMaxLevelChars = 13;

// Syslog severities (RFC 5424 section 6.2.1): 0 emerg .. 7 debug.
constexpr Level kSyslogSeverity[8] = {Level::kFatal, Level::kFatal,  Level::kFatal, Level::kError,
                                      Level::kWarn,  Level::kNotice, Level::kInfo,  Level::kDebug};

// kSpellings by length, each packed into two words (lower case, zero-padded) so that a lookup
// compares integers: the level of every record of a structured log goes through here.
struct PackedSpelling {
  uint64_t head, tail;
  Level level;
};
struct SpellingTable {
  std::array<std::vector<PackedSpelling>, kMaxLevelChars + 1> by_size;
  SpellingTable() {
    for (const Spelling& sp : kSpellings) {
      char padded[16] = {};
      memcpy(padded, sp.text.data(), sp.text.size());
      PackedSpelling p{0, 0, sp.level};
      memcpy(&p.head, padded, 8);
      memcpy(&p.tail, padded + 8, 8);
      by_size[sp.text.size()].push_back(p);
    }
  }
};

}  // namespace

Level ParseLevel(std::string_view s) {
  if (s.empty() || s.size() > kMaxLevelChars) return Level::kUnknown;
  if (s.size() == 1 && s[0] >= '0' && s[0] <= '7') return kSyslogSeverity[s[0] - '0'];
  char lower[16] = {};
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  uint64_t head, tail;
  memcpy(&head, lower, 8);
  memcpy(&tail, lower + 8, 8);
  static const SpellingTable kTable;
  for (const PackedSpelling& p : kTable.by_size[s.size()])
    if (p.head == head && p.tail == tail) return p.level;
  return Level::kUnknown;
}

Level PinoLevel(std::string_view s) {
  if (s.size() != 2 || s[1] != '0') return Level::kUnknown;
  switch (s[0]) {
    case '1':
      return Level::kTrace;
    case '2':
      return Level::kDebug;
    case '3':
      return Level::kInfo;
    case '4':
      return Level::kWarn;
    case '5':
      return Level::kError;
    case '6':
      return Level::kFatal;
  }
  return Level::kUnknown;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kTrace:
      return "trace";
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kNotice:
      return "notice";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kFatal:
      return "fatal";
    case Level::kUnknown:
      break;
  }
  return "-";
}

}  // namespace inquest
