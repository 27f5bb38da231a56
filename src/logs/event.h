// The one record type every reader yields and every later pass consumes: a log line, and also a
// change record, an alert, a page, a ticket, a chat message or a span, told apart by `role`
// (evidence/record_role.h) and `kind`. Each has its time on the UTC clock with how it was read
// (the *_assumed and time_from_neighbour flags), its source (file index, line, byte offset),
// service, host, level, summary (`message`), ids and attributes. Log formats make log records;
// timeline/record_events.h turns change, alert, page, ticket and chat records into the same
// type, and timeline/trace_events.h spans.
//
// An Event's text fields are views into the file's bytes (an InputFile) or into an Arena owned
// by whoever parsed it (a LogFile); they stay valid while both live. Copying a line is a bug on
// a hot path.
#ifndef INQUEST_LOGS_EVENT_H_
#define INQUEST_LOGS_EVENT_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "evidence/record_role.h"

namespace inquest {

enum class Level : uint8_t { kUnknown = 0, kTrace, kDebug, kInfo, kNotice, kWarn, kError, kFatal };

// "warn", "WARNING", "E", "err", "crit", "emerg", "notice", syslog severities 0-7 as digits...
// kUnknown when the text is not a level.
Level ParseLevel(std::string_view s);
// Node's pino and bunyan numeric levels: "10" trace, "20" debug, "30" info, "40" warn, "50"
// error, "60" fatal; kUnknown otherwise.
Level PinoLevel(std::string_view s);
// Lower-case canonical name: "trace", "debug", "info", "notice", "warn", "error", "fatal", "-".
std::string_view LevelName(Level l);

// Attribute a parser adds to a record it had to repair to read (invalid UTF-8 replaced), so the
// repair is visible wherever the record goes.
inline constexpr std::string_view kRepairedAttr = "inquest.repaired";

struct Attr {
  std::string_view key;
  std::string_view value;
};

struct Event {
  TimePoint time = kNoTime;
  uint32_t file = 0;         // index into the caller's table of files
  uint32_t extra_lines = 0;  // continuation lines folded into this record (stack traces)
  uint64_t line = 0;         // 1-based line of the record's first line
  uint64_t offset = 0;       // byte offset of the record's first line in the (decompressed) data
  Level level = Level::kUnknown;
  bool time_from_neighbour = false;  // the record had no time; it was placed by its neighbours
  bool zone_assumed = false;         // the time had no zone; TimeContext's zone was applied
  bool year_assumed = false;         // the time had no year; TimeContext's default_year was used
  RecordRole role = RecordRole::kLog;
  std::string_view
      kind;  // within the role: "deploy", "flag", "firing", "acknowledged"...; may be empty
  std::string_view service;
  std::string_view host;
  std::string_view message;
  std::string_view request_id;
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view raw;  // the whole record: first line plus continuation lines
  std::vector<Attr> attrs;

  // Resets every field but keeps the attrs capacity (parsers reuse one Event per line). Field
  // by field: it runs for every line read, and assigning a fresh Event costs twice as much.
  void Clear() {
    time = kNoTime;
    file = 0;
    extra_lines = 0;
    line = 0;
    offset = 0;
    level = Level::kUnknown;
    time_from_neighbour = zone_assumed = year_assumed = false;
    role = RecordRole::kLog;
    kind = service = host = message = request_id = trace_id = span_id = raw = {};
    attrs.clear();
  }
  // The value of the first attribute named `key`, or empty.
  std::string_view Attribute(std::string_view key) const {
    for (const Attr& a : attrs)
      if (a.key == key) return a.value;
    return {};
  }
};
// A field added to Event must be reset by Event::Clear (this fails when the size changes).
static_assert(sizeof(void*) != 8 || sizeof(Event) == 192, "update Event::Clear");

}  // namespace inquest

#endif  // INQUEST_LOGS_EVENT_H_
