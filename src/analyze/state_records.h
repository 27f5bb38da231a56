// Trace exports, runtime dumps and ELF cores as records, so `inquest timeline DIR` merges them
// with the logs, changes and alerts of the same incident: each file is read with its own reader
// (state_evidence.h) and each finding it gives (a dump's verdict, a crash, a slow or failing
// trace) becomes an Event of the file's role (span, dump, core) with the finding's time, kind
// ("pool-exhausted", "deadlock", "crash"...), title as its summary, service, and the line its
// first evidence names. A dump without a timestamp of its own is placed at its file's
// modification time, as the dump readers settle it, and says so in attribute "time".
//
//   StateRecordReader state = StateRecords(opts.zone);
//   LoadLogSet(paths, registry, opts, threads, &state);
#ifndef INQUEST_ANALYZE_STATE_RECORDS_H_
#define INQUEST_ANALYZE_STATE_RECORDS_H_

#include <vector>

#include "base/arena.h"
#include "base/time.h"
#include "evidence/finding.h"
#include "logs/event.h"
#include "timeline/record_file.h"

namespace inquest {

// The probes and the reader; `zone` (--assume-tz, may be null) is the zone of dump times
// written without one. The zone must outlive the reader.
StateRecordReader StateRecords(const TimeZone* zone);

// Findings as Events of `role` from file `file`: time, kind, summary, service, line (from the
// first evidence's "path:line"), severity as the level. Text is copied into `arena`.
void AppendFindingEvents(const std::vector<Finding>& findings, RecordRole role, uint32_t file,
                         Arena* arena, std::vector<Event>* out);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_STATE_RECORDS_H_
