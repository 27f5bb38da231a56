// Rebuilding one request end to end: every event that carries its id, across files and
// services, in time order, with the gap before each event (the primer's "4019 ms wait").
//
// An event belongs to the request when a correlation field (request_id, trace_id, span_id) or
// any attribute equals the id, or when the id appears as a whole token in the raw record
// ("[req-38101a0b-…]", "rid=7af3c2", "request 7af3c2 failed").
//
// Two ways in:
//   - MatchRequest over events already loaded (MergedTimeline);
//   - ScanFileForId, the fast path for big files: the raw bytes are searched for the id with
//     memmem on two threads (chunks split at line boundaries) and only the records holding a hit
//     are parsed. Its result owns the file's bytes and the decoded text its events point into.
#ifndef INQUEST_TIMELINE_CORRELATE_H_
#define INQUEST_TIMELINE_CORRELATE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "base/input_file.h"
#include "base/status.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {

// A wait longer than this between two events of one request is highlighted: a request's own
// steps are usually milliseconds apart, and a full second is the order of the client timeouts
// (1-5 s) whose expiry is what a post-mortem is looking for.
inline constexpr int64_t kSlowGapNs = 1000 * kNanosPerMilli;

// Whether `id` occurs in `text` as a whole token: the byte before it is not a letter, digit or
// '_', and the byte after it is not a letter, digit, '_' or '-' (so "req-1" does not match
// "req-12" nor "req-1a", but "38101a0b-…" matches inside "req-38101a0b-…").
bool ContainsToken(std::string_view text, std::string_view id);

// Whether `id` is written in hex (trace and span ids, UUIDs): at least kMinHexIdDigits hex
// digits, optionally joined by dashes. Such ids mean the same in either case ("4BF92F35..." is
// "4bf92f35..."), so they compare case-insensitively everywhere.
inline constexpr size_t kMinHexIdDigits = 8;
bool IsHexId(std::string_view id);
// Whether `value` is `id`: equal bytes, or both hex ids equal but for case.
bool SameId(std::string_view value, std::string_view id);

// Whether the event belongs to request `id` (see above; hex ids in any case).
bool EventMatchesId(const Event& e, std::string_view id);

struct RequestStep {
  const Event* event = nullptr;
  int64_t gap_ns = 0;  // since the previous step (0 for the first, or when a time is missing)
  bool slow = false;   // gap_ns >= the threshold
};

struct RequestTimeline {
  std::string id;
  std::vector<RequestStep> steps;     // time order
  std::vector<std::string> services;  // distinct, in order of first appearance
  TimePoint start = kNoTime;
  TimePoint end = kNoTime;
  int64_t duration_ns() const { return start == kNoTime ? 0 : end - start; }
  size_t slow_gaps() const;
};

// Keeps the events of `events` (already in time order) that match `id`, with their gaps.
RequestTimeline MatchRequest(std::span<const Event* const> events, std::string_view id,
                             int64_t slow_gap_ns = kSlowGapNs);
// Computes gaps and services for events already known to belong to the request.
RequestTimeline BuildRequestTimeline(std::span<const Event* const> events, std::string_view id,
                                     int64_t slow_gap_ns = kSlowGapNs);

// The records of one file that contain `id`, found by the fast path.
struct IdScan {
  std::string path;
  InputFile input;
  const LogFormat* format = nullptr;
  double confidence = 0;
  std::vector<Event> events;                   // file order; each event's `file` is the index given
  std::vector<std::unique_ptr<Arena>> arenas;  // decoded text of the events
  uint64_t hits = 0;                           // raw occurrences of the id
  uint64_t records_parsed = 0;
  uint64_t not_token = 0;  // records holding the bytes but not as a token (skipped)
  uint64_t malformed = 0;  // malformed lines met while parsing those records
  IssueLog issues{""};
  int year_used = 0;
  std::string year_source;
  std::string path_service;  // the service the path names; events without one point here
};

// Threads the fast path uses (the machine's cores, at most this many).
inline constexpr int kScanThreads = 2;

// Scans one file for `id`: detects the format (unless opts.format) from its head, finds every
// occurrence of the id's bytes (of a hex id: as given, in lower case or in upper case; an id
// written in mixed case in the file is found only when given the same way), backs up from each to
// the start of its record (over continuation lines) and parses that record only. A file whose
// content matches no format is BadInput.
Result<std::unique_ptr<IdScan>> ScanFileForId(const std::string& path, uint32_t file_index,
                                              std::string_view id, const FormatRegistry& registry,
                                              const LoadOptions& opts);
// The same over bytes already in memory.
Result<std::unique_ptr<IdScan>> ScanFileForId(InputFile input, uint32_t file_index,
                                              std::string_view id, const FormatRegistry& registry,
                                              const LoadOptions& opts);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CORRELATE_H_
