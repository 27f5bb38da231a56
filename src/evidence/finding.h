// A Finding: one conclusion of an analysis with the evidence that supports it. The draft
// post-mortem is assembled from findings only, so every sentence can be traced to evidence.
#ifndef INQUEST_EVIDENCE_FINDING_H_
#define INQUEST_EVIDENCE_FINDING_H_

#include <string>
#include <vector>

#include "base/time.h"

namespace inquest {

enum class Severity : uint8_t { kInfo, kWarning, kError, kCritical };
std::string_view SeverityName(Severity s);

// "pricing-db" rather than "pricing pricing-db": the service, then the subject unless the
// subject already names it or is a phrase rather than an identifier (either may be empty).
std::string ServiceAndSubject(std::string_view service, std::string_view subject);

// A pointer into an evidence file: "path:line" (or a byte offset) and the text found there.
struct EvidenceRef {
  std::string source;   // "logs/checkout.jsonl:1234" or "core: byte 4096"
  std::string excerpt;  // the line, trimmed to a readable length, secrets redacted
};

struct Finding {
  std::string kind;  // stable id: "onset", "cache-stampede", "retry-storm", "saturation", ...
  Severity severity = Severity::kInfo;
  std::string title;        // one sentence a human reads first
  std::string explanation;  // why the evidence supports the title, and what it cannot show
  double confidence = 0;    // 0..1
  TimePoint time = kNoTime;
  TimePoint end = kNoTime;  // for a time range; kNoTime for an instant
  std::vector<EvidenceRef> evidence;
  std::string service;  // the service the finding is about, when there is one ("pricing")
  std::string subject;  // what in it: a cache key, a pool, a change ref ("catalog:v98")
};

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_FINDING_H_
