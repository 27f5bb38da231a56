// The knowledge the record classifier uses, kept as data: which words, as the value of a short
// field or as a part of a field's name, are evidence of which role (a log line, a change, an
// alert, a page, a ticket, a chat message), and what a value looks like (a time, a version, a
// rollout share, a commit, a log level, a trace id, free text).
//
// Words are evidence, never a verdict: a record's role is decided by summing all of its
// evidence (evidence/record_roles.h), so a key missing from these tables costs a little
// confidence, not the reading.
#ifndef INQUEST_EVIDENCE_RECORD_VOCABULARY_H_
#define INQUEST_EVIDENCE_RECORD_VOCABULARY_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/record_role.h"

namespace inquest {

struct RoleWord {
  std::string_view word;  // lower case
  RecordRole role;
  double weight;  // evidence it adds (see record_roles.cc for the scale)
};

// Words that, as (part of) a short value, say what a record is: "deploy", "rollback",
// "firing", "acknowledged", "solved", "bot_message", ...
std::span<const RoleWord> ValueWords();
// Words that, as a part of a field's name ("labels.alertname" -> "labels", "alertname";
// "requester_id" -> "requester", "id"), hint at a role. Weaker than values.
std::span<const RoleWord> KeyWords();

// Whether a value word says a person responded to a notification ("acknowledged",
// "escalated", "snoozed"): paging tools record that, alerting systems never do, so a file of
// alert-like records with such a value in any of them is a page log (Opsgenie and PagerDuty
// entries carry the alert's own text).
bool IsHumanResponseWord(std::string_view lower_word);

// What a field's value looks like, judged from the value alone.
enum class ValueShape : uint8_t {
  kEmpty,
  kTime,      // ISO 8601, RFC 3339, an epoch in s/ms/µs/ns, ... (base/time.h)
  kVersion,   // "v2.317", "1.4.0-rc1", "registry/app:2.3.1"
  kPercent,   // "10%", "12.5 %"
  kCommit,    // 7..40 hex digits with letters and digits, not an id's 16 or 32
  kTraceId,   // 16 or 32 hex digits, or a UUID: request and trace ids
  kTicketId,  // "SUP-1234", "PROJ-88": a project key and a number
  kLevel,     // a log level word ("error", "WARN", "I")
  kNumber,
  kEmail,
  kWord,  // one short token: "checkout-service", "new_checkout_flow"
  kText,  // free text: several words
};
std::string_view ValueShapeName(ValueShape s);
ValueShape ShapeOfValue(std::string_view v);

// Whether `v` is a log level word (case-insensitive); one-letter levels only when
// `allow_letters` (they are levels only under a key that says so).
bool IsLevelWord(std::string_view v, bool allow_letters);

// The lower-case tokens of a key or a short value: split at non-alphanumerics and at
// camelCase humps ("startsAt" -> "starts", "at"; "trigger_log_entry" -> "trigger", "log",
// "entry").
std::vector<std::string> WordTokens(std::string_view s);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_RECORD_VOCABULARY_H_
