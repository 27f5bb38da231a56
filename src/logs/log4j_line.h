// The pieces shared by the log4j-family formats (log4j, logback, Hadoop, Zookeeper): a
// "yyyy-MM-dd HH:mm:ss,SSS" time, a level word that may be padded, a [thread] in brackets
// that may itself contain brackets ("[QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181]"), and
// Log4jFamilyFormat, which reads the time at the start and the message at the end so that each
// format only describes what lies between them.
#ifndef INQUEST_LOGS_LOG4J_LINE_H_
#define INQUEST_LOGS_LOG4J_LINE_H_

#include "logs/format.h"
#include "logs/text_scan.h"

namespace inquest {

// The ISO-like time at the cursor ("2015-10-18 18:01:47,978", also with '.' or 'T').
inline bool Log4jTime(TextScan& sc, const ParseContext& ctx, Event* event) {
  return sc.Time([&](std::string_view s, ParsedTime* pt) { return ParseIso8601(s, ctx.time, pt); },
                 event);
}

// "[...]" at the cursor with nested brackets balanced; the inside, without the outer brackets.
inline bool Bracketed(TextScan& sc, std::string_view* inside) {
  std::string_view rest = sc.rest();
  if (rest.empty() || rest[0] != '[') return false;
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '[') {
      ++depth;
    } else if (rest[i] == ']' && --depth == 0) {
      *inside = rest.substr(1, i - 1);
      sc.Advance(i + 1);
      return true;
    }
  }
  return false;
}

// A level word at the cursor; kUnknown (cursor unmoved) when the word is not a level.
inline Level Log4jLevel(TextScan& sc) {
  TextScan probe = sc;
  Level l = ParseLevel(probe.Word());
  if (l != Level::kUnknown) sc = probe;
  return l;
}

// "LEVEL [inside]" at the cursor (level word, spaces, a bracketed field); false when either
// is missing. Sets event->level.
inline bool Log4jLevelAndBracket(TextScan& sc, Event* event, std::string_view* inside) {
  event->level = Log4jLevel(sc);
  if (event->level == Level::kUnknown) return false;
  sc.SkipSpaces();
  return Bracketed(sc, inside);
}

// A log4j-family line: "<time> <header> <message>". ParseLine reads the time, calls ParseHeader
// with the cursor on the first non-space byte after it, and takes what follows the header
// (leading spaces skipped) as the message.
class Log4jFamilyFormat : public LogFormat {
 public:
  Log4jFamilyFormat(std::string_view name, std::string_view description)
      : name_(name), description_(description) {}

  std::string_view name() const final { return name_; }
  std::string_view description() const final { return description_; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const final {
    TextScan sc(line);
    if (!Log4jTime(sc, ctx, event)) {
      *why = "no yyyy-MM-dd HH:mm:ss,SSS time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    if (!ParseHeader(sc, event, why)) return LineKind::kMalformed;
    sc.SkipSpaces();
    event->message = sc.rest();
    return LineKind::kRecord;
  }

 protected:
  // Reads level, thread, logger... into *event and leaves the cursor before the message; on
  // false, *why says what was missing.
  virtual bool ParseHeader(TextScan& sc, Event* event, std::string* why) const = 0;

 private:
  std::string_view name_;  // static strings
  std::string_view description_;
};

}  // namespace inquest

#endif  // INQUEST_LOGS_LOG4J_LINE_H_
