// Records of an export, whatever its container: JSON lines (one object per line), one JSON
// document holding an array of objects (a bare array, or an object that wraps one: a webhook's
// "alerts", a pager's "log_entries", a chat export's "messages"), or CSV with a header row
// (any column order, quoted fields with commas, quotes and newlines; read with libcsv).
// Every record becomes a flat list of "key" -> text fields (nested objects as "a.b"), with
// the line and byte offset where it starts, so the readers above can look at the values.
//
//   RecordTable t = ReadRecordTable(data, 200);
//   for (const FlatRecord& r : t.records) if (const std::string* v = r.Find("labels.alertname"))
//   ...
#ifndef INQUEST_EVIDENCE_FLAT_RECORDS_H_
#define INQUEST_EVIDENCE_FLAT_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inquest {

enum class RecordLayout : uint8_t { kNone, kJsonLines, kJsonArray, kCsv };
// "none", "JSON lines", "JSON array", "CSV".
std::string_view RecordLayoutName(RecordLayout l);

struct FlatRecord {
  uint64_t line = 0;                                        // 1-based line where the record starts
  uint64_t offset = 0;                                      // byte offset where the record starts
  std::vector<std::pair<std::string, std::string>> fields;  // in the record's order
  std::string_view raw;  // the record's text (points into the data given to ReadRecordTable)
  // The value of `key` (exact), or null.
  const std::string* Find(std::string_view key) const;
};

// A record that could not be read: where, and why.
struct RecordProblem {
  uint64_t line = 0;
  uint64_t offset = 0;
  std::string message;
};

struct RecordTable {
  RecordLayout layout = RecordLayout::kNone;
  // The CSV header, or every key seen in the records in first-seen order.
  std::vector<std::string> columns;
  std::vector<FlatRecord> records;
  std::vector<RecordProblem> problems;
  // Lines or records that were not records (blank lines are not counted).
  uint64_t rejected = 0;
};

// Reads `data` as records in the layout its start shows. `max_records` bounds the work (0:
// every record); a record cut by the end of `data` (a sniffed head) is dropped silently.
// Never throws; malformed records go to `problems` with their line and offset.
RecordTable ReadRecordTable(std::string_view data, size_t max_records = 0);

// The layout `data`'s start shows, without reading the records.
RecordLayout SniffRecordLayout(std::string_view data);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_FLAT_RECORDS_H_
