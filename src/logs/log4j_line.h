// The pieces shared by the log4j-family formats (log4j, logback, Hadoop, Zookeeper): a
// "yyyy-MM-dd HH:mm:ss,SSS" time, a level word that may be padded, a [thread] in brackets
// that may itself contain brackets ("[QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181]").
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

}  // namespace inquest

#endif  // INQUEST_LOGS_LOG4J_LINE_H_
