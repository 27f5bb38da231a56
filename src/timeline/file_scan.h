// What the streaming readers of one log file share (the id scan of `timeline --request` and
// `rate`): choosing the format and the year for year-less times, and cutting the bytes into
// ranges that start on a record's first line so that threads can parse them independently.
#ifndef INQUEST_TIMELINE_FILE_SCAN_H_
#define INQUEST_TIMELINE_FILE_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {

struct FileContext {
  const LogFormat* format = nullptr;  // null only for an empty file
  double confidence = 0;
  TimeContext time;         // zone and default year to parse with
  int year_used = 0;        // the default year applied, 0 when none was needed
  std::string year_source;  // "--year", "other files", "file modification time"
  // The key table to parse with when the format's keys were inferred from the file's values
  // (field_inference.h); null: LoadOptions::fields.
  std::shared_ptr<const FieldNames> fields;
  std::string service;  // the service the path names (logs/path_service.h), or empty
};

// Detects the format (unless opts.format) from the head of `data` and picks the year for
// year-less formats: --year, then a year seen in the other files, then the file's modification
// time. A non-empty file no format matches is BadInput naming `path`.
Result<FileContext> PrepareFile(std::string_view data, const std::string& path, int64_t mtime_ns,
                                const FormatRegistry& registry, const LoadOptions& opts);

// The first position at or after `pos` that starts a line which does not look like a
// continuation line (at most kMaxRecordLines lines ahead), or data.size().
size_t NextRecordStart(std::string_view data, size_t pos);

// About `parts` ranges covering `data`, each starting at a record boundary (NextRecordStart).
std::vector<std::pair<size_t, size_t>> SplitAtRecords(std::string_view data, size_t parts);

// The number of '\n' bytes in [begin, end): SSE2 where available, 16 bytes per step (line
// numbers for the id scan need a count over everything before each hit).
uint64_t CountNewlines(const char* begin, const char* end);

// The number of cores to use (std::thread::hardware_concurrency, at least 1, at most `cap`).
int WorkerThreads(int cap);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_FILE_SCAN_H_
