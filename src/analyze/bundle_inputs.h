// The files of an incident bundle, each taken for what its content is (from its head only:
// a 10 GiB log is never read to be sniffed), and the records that are not logs (change records,
// alerts, pages, tickets, plain tracebacks) read whole by their own readers. Logs are left to
// the streaming passes; traces, dumps and cores to state_evidence.
#ifndef INQUEST_ANALYZE_BUNDLE_INPUTS_H_
#define INQUEST_ANALYZE_BUNDLE_INPUTS_H_

#include <string>
#include <vector>

#include "base/progress.h"
#include "base/status.h"
#include "evidence/bundle.h"
#include "evidence/finding.h"
#include "evidence/sniff.h"
#include "logs/field_names.h"
#include "logs/log_reader.h"
#include "logs/registry.h"
#include "timeline/change.h"
#include "timeline/detectors/detector.h"

namespace inquest {

// What one file was taken for and what reading it met.
struct InputReport {
  std::string path;      // as opened
  std::string relative;  // bundle-relative: used in every evidence reference
  EvidenceKind kind = EvidenceKind::kUnknown;
  DetectionSource detection = DetectionSource::kUnknown;
  std::string format;
  double confidence = 0;
  std::string reason;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t records = 0;
  uint64_t skipped = 0;  // malformed lines or records not used
  std::vector<ParseIssue> samples;
  std::vector<std::string> notes;  // assumptions made (zone, year), truncated input
  Status error;                    // the file could not be read at all
  // A file in a folder `inquest capture` wrote (analyze/capture_manifest.h): when its step
  // took it, and which step.
  TimePoint captured_at = kNoTime;
  std::string capture_step;
};

struct BundleInputs {
  std::vector<InputReport> inputs;               // one per file, in the bundle's order
  std::vector<std::string> names;                // bundle-relative names, parallel to inputs
  std::vector<std::string> executables;          // ELF programs: candidates for the cores
  std::vector<std::vector<Change>> changes;      // per file
  std::vector<std::vector<Signal>> signals;      // per file
  std::vector<std::vector<Finding>> tracebacks;  // per file: plain traceback files
  std::vector<char> traceback_head;              // per file: its head reads as tracebacks
};

// Sniffs every file from its head (decompressed when compressed).
BundleInputs DetectInputs(const std::vector<BundleFile>& files, const FormatRegistry& registry,
                          const FieldNames& fields, const TimeZone* zone, Progress* progress);

// Reads the change, detection and traceback files whole (on `threads` threads), and counts the
// lines of traces and dumps.
void ReadRecordInputs(BundleInputs* in, const TimeZone* zone, int threads, Progress* progress);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_BUNDLE_INPUTS_H_
