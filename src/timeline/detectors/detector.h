// What every contributing-factor detector reads, and the helpers they share: where an event
// came from ("file:line"), a redacted excerpt, a field by name from attributes or from
// "key=value" text, and the service an event belongs to.
//
// Detectors are plain functions `std::vector<Finding> DetectX(const DetectorInput&)`; each
// names its thresholds as constants with the reason for their values. They must work on any
// logs: they look for shapes (a burst of misses for one key, fixed retry intervals, waits on a
// pool), never for one bundle's strings.
//
// Views and pointers in DetectorInput belong to the caller and must outlive the call.
#ifndef INQUEST_TIMELINE_DETECTORS_DETECTOR_H_
#define INQUEST_TIMELINE_DETECTORS_DETECTOR_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/word_set.h"
#include "evidence/finding.h"
#include "logs/event.h"
#include "timeline/change.h"
#include "timeline/onset.h"

namespace inquest {

// A detection signal: an alert, a page or a ticket (from alert/pager/ticket records).
struct Signal {
  enum class Kind : uint8_t { kAlert, kPage, kTicket, kChat };
  Kind kind = Kind::kAlert;
  TimePoint time = kNoTime;
  std::string name;            // alert name, incident id, ticket id
  std::string summary;         // what it said
  std::string service;         // the service it names, when it does
  std::string status;          // "firing", "resolved", "triggered", "acknowledged", "open", ...
  bool from_customer = false;  // a ticket or page opened by a customer or support
  EvidenceRef evidence;
};
std::string_view SignalKindName(Signal::Kind k);

struct DetectorInput {
  std::vector<const Event*> events;   // every event, in time order
  std::vector<std::string> files;     // Event::file -> path shown in evidence (bundle-relative)
  std::vector<Change> changes;        // change records and change-like log events
  Onset onset;                        // onset.found may be false
  TimePoint precise_onset = kNoTime;  // the first error event of the onset window, if any
  std::vector<Signal> signals;        // time order
  std::vector<Finding> prior;         // findings of the detectors that ran before
};

// Longest excerpt kept for a piece of evidence: one log line is enough to recognise it.
inline constexpr size_t kMaxExcerptChars = 240;
// Evidence lines attached to one finding: enough to show the pattern, few enough to read.
inline constexpr size_t kMaxEvidencePerFinding = 6;

// A finding's identity: its kind, how bad, what it is about (service and subject may be empty)
// and when (`end` stays kNoTime for an instant). Title, explanation, confidence and evidence
// are the detector's to fill.
Finding NewFinding(std::string_view kind, Severity severity, std::string_view service,
                   std::string_view subject, TimePoint time, TimePoint end = kNoTime);

// "pods/checkout.log:1234" and the record's first line, trimmed and redacted.
EvidenceRef EvidenceFor(const DetectorInput& in, const Event& e);
std::string SourceOf(const DetectorInput& in, const Event& e);
// `text` cut to kMaxExcerptChars (on a UTF-8 boundary, with "…"), secrets redacted.
std::string Excerpt(std::string_view text);

// The value of field `name` of an event: a correlation field or attribute (EventField), else a
// "name=value" or "name: value" token in the message ("key=catalog:v98", "waited=4000ms").
// Quoted values lose their quotes. Empty when absent.
std::string_view FieldValue(const Event& e, std::string_view name);
// The first non-empty FieldValue of `names`.
std::string_view FirstField(const Event& e, std::initializer_list<std::string_view> names);

// Whether `text` contains `word` ignoring ASCII case.
bool ContainsIgnoreCase(std::string_view text, std::string_view word);
// Sets the bit of each of `words` that the message (or, when it has none, the raw record) or a
// field holding error text (IsErrorTextKey) contains, ASCII case ignored.
void ScanMessage(const Event& e, const WordSet& words, WordSet::Found* found);
// Whether the message, the raw record or an error-text field contains any of `words`.
bool MessageHasAny(const Event& e, const WordSet& words);
// Whether a field of this name holds the text of an error: error, err, reason, cause,
// exception... alone or as the first or last part of a dotted name ("error.message").
bool IsErrorTextKey(std::string_view key);

// The event's service; when the record names none, the one its file's path names
// (logs/path_service.h), or "".
std::string ServiceOf(const DetectorInput& in, const Event& e);

// A number from a field value that may carry a unit: "4000", "4000ms", "4.0s" -> ms.
bool FieldMs(std::string_view value, double* ms);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_DETECTOR_H_
