// One log file fully loaded: detected, parsed into events held in memory, with its statistics.
// The analyses that need every event (timeline, analyze) use this; streaming commands (rate
// over a huge file) use LogReader on chunks instead.
//
//   LoadOptions opts;
//   INQ_ASSIGN_OR_RETURN(std::unique_ptr<LogFile> f, LoadLogFile("api.log", 0, registry, opts));
//   for (const Event& e : f->events) ...
#ifndef INQUEST_LOGS_LOG_FILE_H_
#define INQUEST_LOGS_LOG_FILE_H_

#include <memory>
#include <string>
#include <vector>

#include "base/arena.h"
#include "base/input_file.h"
#include "logs/field_inference.h"
#include "logs/log_reader.h"
#include "logs/registry.h"

namespace inquest {

struct LoadOptions {
  const LogFormat* format = nullptr;  // --format; null: detect
  const TimeZone* zone = nullptr;     // --assume-tz; null: UTC
  int year = 0;                       // --year for year-less formats; 0: infer
  int year_hint = 0;                  // a year seen in the other files (analyze passes it)
  const FieldNames* fields = nullptr;
  // The attributes the caller reads (parsed with FieldNames::Projected); null: all. For
  // streaming passes that look at a few keys (`rate`); a loaded LogFile has every attribute.
  const KeyIndex* attributes = nullptr;
  // With `attributes`: the other keys the caller reads, by a test (FieldNames::Projected).
  FieldNames::KeyTest attribute_test = nullptr;
};

struct LogStats {
  uint64_t lines = 0;
  uint64_t records = 0;
  uint64_t continuation_lines = 0;
  uint64_t malformed = 0;     // lines skipped, see issues
  uint64_t without_time = 0;  // records kept and placed by their neighbours
  uint64_t out_of_order = 0;  // records earlier than the record before them
  uint64_t zone_assumed = 0;  // records whose time had no zone
  int year_used = 0;          // for year-less formats: the year applied
  std::string year_source;    // "--year", "file modification time", "other files", ...
};

struct LogFile {
  std::string path;
  InputFile input;
  const LogFormat* format = nullptr;
  double confidence = 0;
  Arena arena;
  std::vector<Event> events;  // in file order; each has file == the index given to LoadLogFile
  LogStats stats;
  IssueLog issues{""};
  Status warning;  // e.g. truncated gzip: events hold what was readable
  // Keys whose role was judged from the file's values (keyed formats only; see
  // field_inference.h); empty when the names alone fit.
  std::vector<InferredField> inferred_fields;
  // The service the path names (logs/path_service.h), given to records that name none.
  std::string path_service;
  // For a file of other records read as events (timeline/record_file.h): what it was taken
  // for ("change records", "alert records"); format is null then. Empty for a log.
  std::string taken_for;

  // Sorts events by time (stable), counting how many were out of order first.
  void SortByTime();
};

// Opens, detects (unless opts.format) and parses a whole file. A file whose content matches
// no format is BadInput naming the file. Never fails for malformed lines: they go to issues.
Result<std::unique_ptr<LogFile>> LoadLogFile(const std::string& path, uint32_t file_index,
                                             const FormatRegistry& registry,
                                             const LoadOptions& opts);
// The same from bytes already in memory (tests, fuzzers).
Result<std::unique_ptr<LogFile>> LoadLogFile(InputFile input, uint32_t file_index,
                                             const FormatRegistry& registry,
                                             const LoadOptions& opts);

}  // namespace inquest

#endif  // INQUEST_LOGS_LOG_FILE_H_
