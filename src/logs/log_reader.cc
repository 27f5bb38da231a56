// LogReader: records out of a buffer of lines, continuation lines folded into the record above.
#include "logs/log_reader.h"

#include <fmt/format.h>

#include <cstring>
#include <utility>

namespace inquest {
namespace {

bool IsBlankLine(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

}  // namespace

void IssueLog::Add(uint64_t line, uint64_t offset, std::string reason) {
  ++count_;
  if (samples_.size() < kMaxIssueSamples) samples_.push_back({line, offset, std::move(reason)});
}

LogReader::LogReader(std::string_view data, const LogFormat& format, const ParseContext& ctx,
                     uint32_t file_index, IssueLog* issues, uint64_t first_line,
                     uint64_t base_offset, size_t padding)
    : data_(data),
      format_(format),
      ctx_(ctx),
      file_index_(file_index),
      issues_(issues),
      first_line_(first_line),
      base_offset_(base_offset),
      padding_(padding),
      line_no_(first_line) {}

bool LogReader::ReadLine(std::string_view* line, uint64_t* line_no, uint64_t* offset) {
  if (pos_ >= data_.size()) return false;
  const char* start = data_.data() + pos_;
  const void* nl = memchr(start, '\n', data_.size() - pos_);
  size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data_.data()) : data_.size();
  std::string_view l(start, end - pos_);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  *line = l;
  *offset = base_offset_ + pos_;
  *line_no = line_no_++;
  pos_ = end + 1;
  return true;
}

LineKind LogReader::ParseInto(std::string_view line, uint64_t line_no, uint64_t offset,
                              Event* event) {
  event->Clear();
  why_.clear();
  std::string_view parsed = line;
  if (line.size() > kMaxParsedLineBytes) {
    issues_->Add(line_no, offset,
                 fmt::format("line of {} bytes is longer than the {}-byte parse limit; only its "
                             "start was parsed",
                             line.size(), kMaxParsedLineBytes));
    parsed = line.substr(0, kMaxParsedLineBytes);
  }
  size_t end = static_cast<size_t>(parsed.data() + parsed.size() - data_.data());
  LineKind kind =
      format_.ParseLineInBuffer(parsed, data_.size() - end + padding_, ctx_, event, &why_);
  event->file = file_index_;
  event->line = line_no;
  event->offset = offset;
  event->raw = line;
  if (event->service.empty()) event->service = ctx_.service;
  return kind;
}

void LogReader::Malformed(uint64_t line_no, uint64_t offset) {
  ++malformed_;
  issues_->Add(line_no, offset, why_.empty() ? fmt::format("not a {} line", format_.name()) : why_);
}

void LogReader::Fold(std::string_view line, Event* event) {
  const char* begin = event->raw.data();
  event->raw = std::string_view(begin, static_cast<size_t>(line.data() + line.size() - begin));
  ++event->extra_lines;
  ++continuation_lines_;
}

bool LogReader::Next(Event* event) {
  std::string_view line;
  uint64_t line_no = 0, offset = 0;
  if (!format_.allows_continuations()) {
    // One line, one record: no need to read the next line ahead (and move events around) to see
    // whether it continues this one.
    for (;;) {
      if (!ReadLine(&line, &line_no, &offset)) return false;
      if (IsBlankLine(line)) continue;
      LineKind kind = ParseInto(line, line_no, offset, event);
      if (kind == LineKind::kRecord) break;
      // The same reasons as the read-ahead below gives: before the first record, a line the
      // format gave no reason for is an orphan continuation line.
      if (records_ == 0 && (kind == LineKind::kContinuation || why_.empty()))
        why_ = "continuation line without a record before it";
      Malformed(line_no, offset);
    }
    ++records_;
    return true;
  }
  if (has_pending_) {
    std::swap(*event, pending_);
    has_pending_ = false;
  } else {
    for (;;) {
      if (!ReadLine(&line, &line_no, &offset)) return false;
      if (IsBlankLine(line)) continue;
      LineKind kind = ParseInto(line, line_no, offset, event);
      if (kind == LineKind::kRecord) break;
      if (kind == LineKind::kContinuation || why_.empty())
        why_ = "continuation line without a record before it";
      Malformed(line_no, offset);
    }
  }
  const bool text = format_.allows_continuations();
  for (;;) {
    if (!ReadLine(&line, &line_no, &offset)) break;
    if (IsBlankLine(line)) continue;
    LineKind kind = ParseInto(line, line_no, offset, &pending_);
    if (kind == LineKind::kRecord) {
      has_pending_ = true;
      break;
    }
    bool continuation = kind == LineKind::kContinuation || (text && LooksLikeContinuation(line));
    if (!continuation) {
      Malformed(line_no, offset);
      continue;
    }
    if (event->extra_lines + 1 >= kMaxRecordLines) {
      // A runaway trace: this line starts a record of its own, placed by its neighbours.
      pending_.Clear();
      pending_.file = file_index_;
      pending_.line = line_no;
      pending_.offset = offset;
      pending_.raw = line;
      pending_.message = line.substr(0, kMaxParsedLineBytes);
      has_pending_ = true;
      break;
    }
    Fold(line, event);
  }
  ++records_;
  return true;
}

}  // namespace inquest
