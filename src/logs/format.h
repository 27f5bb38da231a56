// The interface every log format implements, and what a parse may use.
//
// A format is a parser for single lines plus a probe that scores how well a file's first lines
// fit it. Multi-line records (stack traces, tracebacks) are assembled by LogReader: a format only
// says whether a line starts a record, continues the one above, or is not its format at all.
#ifndef INQUEST_LOGS_FORMAT_H_
#define INQUEST_LOGS_FORMAT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "base/time.h"
#include "logs/event.h"
#include "logs/field_names.h"

namespace inquest {

class IssueLog;  // logs/log_reader.h

struct ParseContext {
  TimeContext time;
  Arena* arena = nullptr;  // for decoded text (JSON escapes); never null
  // JSON/logfmt key discovery; a Projected table also says which attributes the reader wants
  // (JSON lines leaves the others out without decoding their values).
  const FieldNames* fields = &DefaultFieldNames();
  // The service of records that name none: the one the file's path names
  // (logs/path_service.h), or empty. LogReader applies it after parsing.
  std::string_view service;
};

enum class LineKind : uint8_t {
  kRecord,        // the line starts a record; *event is filled
  kContinuation,  // the line belongs to the record above (indented stack frame, "Caused by:")
  kMalformed,     // not this format; *why says what was wrong
};

class LogFormat {
 public:
  virtual ~LogFormat() = default;
  // Short stable id used by --format and in output: "jsonl", "logfmt", "syslog-rfc5424", ...
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;

  // How well `lines` (the first non-empty lines of a file, at most kProbeLines) fit this
  // format: 0 (not at all) to 1 (every line parses as a record, with a time).
  virtual double Probe(std::span<const std::string_view> lines, const ParseContext& ctx) const;

  // Parses one line (no newline; a trailing '\r' already removed). `event` was Clear()ed by the
  // caller, which sets file/line/offset/raw itself. Text views point into `line` or ctx.arena.
  virtual LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                             std::string* why) const = 0;

  // The same as ParseLine, told that `readable_after` bytes past the end of `line` may be read
  // (they belong to the same buffer). Parsers that read ahead (simdjson needs
  // SIMDJSON_PADDING readable bytes) override it to avoid copying the line. LogReader calls this.
  virtual LineKind ParseLineInBuffer(std::string_view line, size_t readable_after,
                                     const ParseContext& ctx, Event* event,
                                     std::string* why) const {
    return ParseLine(line, ctx, event, why);
  }

  // Whether lines that do not parse may be continuation lines of the record above (text
  // formats) or are always errors (JSON lines, where one line is one record). A format that
  // says false never returns kContinuation: LogReader then parses line by line, reading none
  // ahead.
  virtual bool allows_continuations() const { return true; }

  // Whether every role of a record comes from its keys through ParseContext::fields (JSON
  // lines, logfmt): the loaders then infer a file's keys from its values (field_inference.h).
  virtual bool keyed_fields() const { return false; }

  // Formats whose unit is the whole file (an OTLP JSON document) rather than a line return true
  // and implement ParseDocument; LoadLogFile then calls ParseDocument instead of a LogReader.
  virtual bool whole_document() const { return false; }
  // Appends the records of a whole document to *events (file, line, offset, raw set as far as
  // known), reporting unusable parts to *issues. Returns false when `data` is not this format
  // at all (then *issues says why). Views point into `data` or ctx.arena.
  virtual bool ParseDocument(std::string_view data, const ParseContext& ctx, uint32_t file_index,
                             std::vector<Event>* events, IssueLog* issues) const {
    return false;
  }
};

// Lines a probe looks at.
inline constexpr size_t kProbeLines = 64;

// The default Probe: the share of lines that parse as records with a time, where continuation
// lines count neither for nor against (but a sample of only continuations scores 0).
double ScoreByParsing(const LogFormat& format, std::span<const std::string_view> lines,
                      const ParseContext& ctx);

// A line that looks like the continuation of a multi-line record whatever the format: starts
// with whitespace, "at ", "Caused by:", "Traceback", "...", "File \"", "}" and so on.
bool LooksLikeContinuation(std::string_view line);

}  // namespace inquest

#endif  // INQUEST_LOGS_FORMAT_H_
