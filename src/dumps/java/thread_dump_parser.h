// Reads Java thread dumps printed as text: jstack and jcmd Thread.print (JDK 6 to 25, with
// cpu=/elapsed=, decimal or hex nid, SMR thread lists, virtual threads mounted on carriers),
// SIGQUIT output mixed into a console log, the JMX ThreadInfo form ("id=12 in WAITING"),
// JRockit's format, and `jhsdb jstack` (from a core or a live process: its frames become
// "java.lang.Thread.join(long) line 1313"). Several dumps in one text are split on their headers.
//
//   JavaDumpText text = DecodeJavaDumpText(bytes);   // UTF-16 (with or without BOM) -> UTF-8
//   std::vector<std::string> diagnostics;
//   std::vector<JavaThreadDump> dumps = ParseJavaThreadDumps(text.utf8(), &diagnostics);
//
// Line numbers are those of the file (CRLF and UTF-16 keep them).
#ifndef INQUEST_DUMPS_JAVA_THREAD_DUMP_PARSER_H_
#define INQUEST_DUMPS_JAVA_THREAD_DUMP_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "dumps/java/thread_dump.h"

namespace inquest {

struct JavaDumpText {
  std::string_view input;  // the bytes given (not owned)
  std::string decoded;     // the UTF-8 text when the input was UTF-16
  bool converted = false;
  size_t bom = 0;        // bytes of a UTF-8 byte-order mark skipped
  std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE"
  // The text to parse: valid while this object and the input bytes live.
  std::string_view utf8() const { return converted ? decoded : input.substr(bom); }
};

// Detects UTF-16 by its byte-order mark or, without one, by NUL bytes in every other position
// of the first line, and converts it (unpaired surrogates become U+FFFD). A UTF-8 BOM is
// skipped.
JavaDumpText DecodeJavaDumpText(std::string_view bytes);

// Parses every dump in `text`. Lines that belong to no dump construct are reported in
// `diagnostics` ("line 12: 5 lines of unrecognised text"), at most kMaxJavaDiagnostics of
// them plus a final count; what could be read is returned. Text with thread headers but no
// "Full thread dump" header yields one dump starting at line 1.
std::vector<JavaThreadDump> ParseJavaThreadDumps(std::string_view text,
                                                 std::vector<std::string>* diagnostics);

// Diagnostics past this number are counted, not listed: a garbage file must not produce a
// report longer than itself.
inline constexpr size_t kMaxJavaDiagnostics = 50;

// How sure we are that `head` (the first bytes of a file, already decoded) is a text thread
// dump: 0..1.
double ProbeJavaThreadDumpText(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_THREAD_DUMP_PARSER_H_
