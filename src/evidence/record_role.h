// What a record is evidence of. Every reader yields its records as one type (logs/event.h's
// Event) carrying one of these roles, so merging, filtering, the timeline and the analyses
// read logs, change records, alerts, pages, tickets, chat, spans and dump verdicts alike.
#ifndef INQUEST_EVIDENCE_RECORD_ROLE_H_
#define INQUEST_EVIDENCE_RECORD_ROLE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace inquest {

enum class RecordRole : uint8_t {
  // Roles a flat record (a JSON line, a CSV row) is scored for by its content
  // (evidence/record_roles.h); they come first.
  kLog,
  kChange,
  kAlert,
  kPage,
  kTicket,
  kChat,
  // Roles of records that their own readers make.
  kSpan,
  kDump,
  kCore,
  kHeap,
  kMetric,
  kProfile,
};
// The roles content scoring chooses among: kLog .. kChat.
inline constexpr size_t kScoredRoleCount = 6;
inline constexpr size_t kRecordRoleCount = 12;

// "log", "change", "alert", "page", "ticket", "chat", "span", "dump", "core", "heap", "metric",
// "profile".
std::string_view RecordRoleName(RecordRole r);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_RECORD_ROLE_H_
