// Change records and detection records (alerts, pages, tickets, chat) as Events of their role,
// so they merge, filter and print with the log records of the same incident:
//
//   std::vector<Event> out;
//   AppendChangeEvents(changes, file_index, &arena, &out);   // role kChange, kind "deploy"...
//   AppendSignalEvents(signals, file_index, &arena, &out);   // role kAlert/kPage/kTicket/kChat
//
// Text is copied into `arena` (the records' own strings need not outlive the events). The line
// of each event comes from the record's source ("exports/deploys.jsonl:3"); its offset is 0
// when the reader did not keep one. Times were read by the record readers, with their zone
// rules: a record without a zone is flagged zone_assumed like a log line.
#ifndef INQUEST_TIMELINE_RECORD_EVENTS_H_
#define INQUEST_TIMELINE_RECORD_EVENTS_H_

#include <vector>

#include "base/arena.h"
#include "logs/event.h"
#include "timeline/change.h"
#include "timeline/detectors/detector.h"

namespace inquest {

void AppendChangeEvents(const std::vector<Change>& changes, uint32_t file, Arena* arena,
                        std::vector<Event>* out);
void AppendSignalEvents(const std::vector<Signal>& signals, uint32_t file, Arena* arena,
                        std::vector<Event>* out);

// The line of a "path:line" source ("exports/deploys.jsonl:3" -> 3), or 0.
uint64_t SourceLine(std::string_view source);

// The role of a detection record's kind.
RecordRole RoleOfSignal(Signal::Kind kind);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RECORD_EVENTS_H_
