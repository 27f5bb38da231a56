// Pulls whole records (a first line plus its continuation lines) out of a file's bytes with a
// given format, reporting malformed lines and going on (LevelDB's log::Reader discipline).
//
//   IssueLog issues("app.log");
//   LogReader r(data, *format, ctx, /*file_index=*/0, &issues);
//   Event ev;
//   while (r.Next(&ev)) Use(ev);
#ifndef INQUEST_LOGS_LOG_READER_H_
#define INQUEST_LOGS_LOG_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logs/format.h"

namespace inquest {

// A line that could not be used, with where it is.
struct ParseIssue {
  uint64_t line = 0;
  uint64_t offset = 0;
  std::string reason;
};

// Collects problems found while reading one file: every one is counted, the first
// kMaxIssueSamples are kept with their line and reason.
class IssueLog {
 public:
  static constexpr size_t kMaxIssueSamples = 20;
  explicit IssueLog(std::string file) : file_(std::move(file)) {}
  void Add(uint64_t line, uint64_t offset, std::string reason);
  uint64_t count() const { return count_; }
  const std::vector<ParseIssue>& samples() const { return samples_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  uint64_t count_ = 0;
  std::vector<ParseIssue> samples_;
};

// Longest record LogReader assembles; further continuation lines start a new (timeless) record
// so that one runaway stack trace cannot hold the whole file.
inline constexpr uint32_t kMaxRecordLines = 2000;
// Lines longer than this are cut for parsing (and reported); the record keeps the full raw text.
// 64 MiB: far beyond any real log line (shippers split at 16 KiB to 1 MiB), so every real
// record parses whole, while one corrupt newline-free file cannot make a parse hold more.
inline constexpr size_t kMaxParsedLineBytes = size_t{64} << 20;

class LogReader {
 public:
  // `data`, `ctx` and `issues` must outlive the reader. `first_line`/`base_offset` locate
  // `data` in the whole file when it is a chunk of it. `padding`: bytes readable after `data`
  // (a buffer with room for simdjson's reads past the end saves copying its last line).
  LogReader(std::string_view data, const LogFormat& format, const ParseContext& ctx,
            uint32_t file_index, IssueLog* issues, uint64_t first_line = 1,
            uint64_t base_offset = 0, size_t padding = 0);

  // Fills *event with the next record; false at the end. Malformed lines are reported to the
  // IssueLog and skipped (or, for text formats, folded into the record above when they look
  // like continuations). Views in *event are valid while `data` and ctx.arena live.
  bool Next(Event* event);

  uint64_t lines_read() const { return line_no_ - first_line_; }
  // Records returned so far, continuation lines folded into them, lines skipped as malformed.
  uint64_t records() const { return records_; }
  uint64_t continuation_lines() const { return continuation_lines_; }
  uint64_t malformed() const { return malformed_; }

 private:
  bool ReadLine(std::string_view* line, uint64_t* line_no, uint64_t* offset);
  // Parses one line into *event (Clear()ed here) and sets its location.
  LineKind ParseInto(std::string_view line, uint64_t line_no, uint64_t offset, Event* event);
  void Malformed(uint64_t line_no, uint64_t offset);
  // Appends a continuation line to *event.
  void Fold(std::string_view line, Event* event);

  std::string_view data_;
  const LogFormat& format_;
  const ParseContext& ctx_;
  uint32_t file_index_;
  IssueLog* issues_;
  uint64_t first_line_;
  uint64_t base_offset_;
  size_t padding_;
  size_t pos_ = 0;
  uint64_t line_no_;
  Event pending_;  // a record read ahead while looking for continuation lines
  bool has_pending_ = false;
  std::string why_;
  uint64_t records_ = 0;
  uint64_t continuation_lines_ = 0;
  uint64_t malformed_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_LOGS_LOG_READER_H_
