// One evidence file read into records of its role for the timeline: change records (deploys,
// config, flags, git log) and detection records (alerts, pages, tickets, chat) are told from
// logs by their content (evidence/sniff.h, the same reading `analyze` makes) and read with
// their own readers into Events of their role (timeline/record_events.h); anything else is
// loaded as a log (logs/log_file.h).
//
//   INQ_ASSIGN_OR_RETURN(std::unique_ptr<LogFile> f, LoadRecordFile(path, registry, opts));
//   // f->taken_for: "change records", "alert records", ... or empty for a log
#ifndef INQUEST_TIMELINE_RECORD_FILE_H_
#define INQUEST_TIMELINE_RECORD_FILE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "evidence/sniff.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {

// The readers of the evidence whose files are not records line by line (trace exports,
// runtime dumps, ELF cores), given by a caller that links them (analyze/state_records.h): the
// probes that sniff them, and `read`, which turns one such file into Events of its role (span,
// dump, core) in `out`.
struct StateRecordReader {
  std::vector<KindProbe> probes;
  std::function<Status(const std::string& path, const Sniffed& sniffed, LogFile* out)> read;
};

// A file of change or detection records comes back as a LogFile without a format, its events
// of their role in time order, `taken_for` saying what it was read as, rows that are not
// records in `issues`; with `state`, a trace export, dump or core likewise. BadInput as
// LoadLogFile for a file that is none of these.
Result<std::unique_ptr<LogFile>> LoadRecordFile(const std::string& path,
                                                const FormatRegistry& registry,
                                                const LoadOptions& opts,
                                                const StateRecordReader* state = nullptr);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RECORD_FILE_H_
