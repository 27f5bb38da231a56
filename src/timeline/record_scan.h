// Streaming every record of a log file through consumers, on all cores, never holding the file's
// events: the one full read behind `rate` and `analyze`'s first pass.
//
//   ScanSinks sinks;
//   sinks.make = [&] { return std::make_unique<MyCounter>(); };
//   sinks.merge = [&](std::unique_ptr<RecordSink> s, uint64_t line_base) { total.Merge(...); };
//   ScanReport report;
//   INQ_RETURN_IF_ERROR(ScanLogFile("api.log.gz", 0, registry, load, 2, sinks, &report));
//
// Plain files are mapped, split at record boundaries into one range per thread, and the pages
// already read are released as the scan goes (a 10 GiB file costs a few pieces of memory, not
// its size). Compressed files are decompressed in chunks, each chunk split the same way. Each
// range gets its own sink (no locks); sinks are merged in file order after their threads end.
#ifndef INQUEST_TIMELINE_RECORD_SCAN_H_
#define INQUEST_TIMELINE_RECORD_SCAN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "logs/log_file.h"
#include "logs/log_reader.h"
#include "logs/registry.h"
#include "timeline/file_scan.h"

namespace inquest {

// A consumer of the records of one range of a file, in file order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // One record. Its views (message, attributes, raw) are valid only during the call. Its
  // `line` counts from the start of the range (1 for the range's first line); its `offset` is
  // the byte offset in the whole (decompressed) file.
  virtual void Add(const Event& e) = 0;
};

struct ScanSinks {
  // A new sink for one range (called on the scanning thread, before the range's thread starts).
  std::function<std::unique_ptr<RecordSink>()> make;
  // Folds a range's sink in, in file order, once its thread has ended. `line_base` is the
  // number of lines of the file before the range: a record's line in the file is its Event::line
  // plus line_base.
  std::function<void(std::unique_ptr<RecordSink>, uint64_t line_base)> merge;
};

// What reading one file met.
struct ScanReport {
  std::string path;
  std::string format;
  double confidence = 0;
  uint64_t bytes = 0;  // decompressed bytes read
  uint64_t lines = 0;
  uint64_t records = 0;
  uint64_t malformed = 0;
  std::vector<ParseIssue> samples;  // the first malformed lines, with line numbers
  uint64_t without_time = 0;        // records with no time of their own
  uint64_t zone_assumed = 0;
  int year_used = 0;
  std::string year_source;
  std::string service;  // the service the path names (FileContext::service), or ""
  Status warning;       // a truncated compressed file: what was readable was scanned
  FileContext context;  // how the file was read (format, zone, year, inferred keys)
};

// Reading a range's bytes goes in pieces of this size, so the arena of decoded text is dropped
// between them and memory stays bounded.
inline constexpr size_t kScanPieceBytes = 4 << 20;

// Detects the format (unless load.format) from the file's head and streams every record
// through sinks made by `sinks.make`. A non-empty file that no format matches is BadInput
// naming the file, before any record reaches a sink; an expansion limit (base/decompress.h)
// passed is BadInput too. Malformed lines are counted in `report`, never fatal.
Status ScanLogFile(const std::string& path, uint32_t file_index, const FormatRegistry& registry,
                   const LoadOptions& load, int threads, const ScanSinks& sinks,
                   ScanReport* report);
// The same over bytes in memory (tests; `mapped` false).
Status ScanLogBytes(std::string_view data, const std::string& path, int64_t mtime_ns,
                    uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                    int threads, const ScanSinks& sinks, ScanReport* report);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RECORD_SCAN_H_
