// Exceptions in logs grouped by signature, counted per window, and ranked against the onset.
//
// A log record carries a stack trace when the reader folded continuation lines into it (the
// record's raw text), or when one of its fields holds one: `stack_trace`,
// `exception.stacktrace`, `error.stack_trace` or any field whose value looks like a trace
// (LooksLikeStackTrace); the field name is never required. The exception's type then comes
// from the trace, else from a type field (`exception.type`, `error.kind`...), else from the
// shape of the record's message.
//
//   std::vector<ExceptionGroup> g = GroupExceptions(events, 60 * kNanosPerSecond);
//   RankExceptionGroups(&g, onset.time, onset.recovery);
#ifndef INQUEST_TIMELINE_EXCEPTION_GROUPS_H_
#define INQUEST_TIMELINE_EXCEPTION_GROUPS_H_

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/event.h"
#include "timeline/exception_signature.h"

namespace inquest {

// How long before the onset window a signature may first appear and still be new with the
// incident: the onset is found per minute, and the first failures can lead its window by up
// to one window.
inline constexpr int64_t kExceptionOnsetLeadNs = 60 * kNanosPerSecond;
// Signatures kept at most; a file full of unique traces must not grow memory without bound
// (the rest are counted in GroupStats::dropped).
inline constexpr size_t kMaxExceptionGroups = 10000;

enum class ExceptionEra : uint8_t {
  kNew,     // first seen from just before the onset up to recovery: new with the incident
  kOld,     // seen before the onset: there before the incident
  kLater,   // first seen after recovery
  kNoOnset  // no onset to compare with
};
std::string_view ExceptionEraName(ExceptionEra e);

struct ExceptionGroup {
  ExceptionSignature signature;
  uint64_t count = 0;
  const Event* first = nullptr;  // the earliest occurrence (time, then file and line)
  const Event* last = nullptr;
  std::map<int64_t, uint64_t> per_window;  // window start (ns) -> occurrences
  std::vector<std::string> services;       // services that logged it, first seen first
  std::string field;                       // the field that held the trace; empty: the record
  // Set by RankExceptionGroups.
  ExceptionEra era = ExceptionEra::kNoOnset;
  uint64_t before_onset = 0;  // occurrences before the onset (minus the lead)
  uint64_t peak_window = 0;   // most occurrences in one window
};

struct ExceptionScan {
  std::vector<ExceptionGroup> groups;  // order of first appearance in `events`
  uint64_t traces = 0;                 // records with a stack trace
  uint64_t dropped = 0;                // traces of signatures past kMaxExceptionGroups
};

// The stack trace of one record, if it carries one; *field names the field it came from
// (empty for the record's own folded lines).
std::optional<ExceptionSignature> ExceptionOf(const Event& e, std::string* field = nullptr);

// Records' traces grouped by signature key as they come, one record at a time, in bounded
// memory (kMaxExceptionGroups groups). The records added must outlive the scan it returns.
class ExceptionGrouper {
 public:
  explicit ExceptionGrouper(int64_t width_ns) : width_ns_(width_ns) {}
  void Add(const Event& e);
  ExceptionScan Take() { return std::move(scan_); }

 private:
  int64_t width_ns_;
  ExceptionScan scan_;
  std::unordered_map<std::string, size_t> index_;
  std::string field_;
};

// Every record's trace grouped by signature key; windows of `width_ns` for the counts.
// `events` should be in time order (first and last are taken by time either way).
ExceptionScan GroupExceptions(const std::vector<const Event*>& events, int64_t width_ns);

// Sets era, before_onset and peak_window and sorts: signatures new with the incident first
// (the earliest after the onset first, then the most frequent), then the ones that were there
// before (the most frequent first), then those after recovery. Without an onset (kNoTime)
// the most frequent come first.
void RankExceptionGroups(std::vector<ExceptionGroup>* groups, TimePoint onset, TimePoint recovery);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_EXCEPTION_GROUPS_H_
