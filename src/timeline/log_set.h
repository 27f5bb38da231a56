// The log files a command was pointed at: expanding FILE…|DIR arguments, loading the files
// (in parallel, one per core), and the summary of what reading them met (files out of order,
// malformed lines, records without a time, assumed zones and years) for stderr.
//
//   INQ_ASSIGN_OR_RETURN(std::vector<InputPath> paths, ExpandPaths(args));
//   INQ_ASSIGN_OR_RETURN(LogSet set, LoadLogSet(paths, registry, opts));
//   for (const std::string& line : set.Summary()) fmt::print(stderr, "{}\n", line);
#ifndef INQUEST_TIMELINE_LOG_SET_H_
#define INQUEST_TIMELINE_LOG_SET_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "logs/log_file.h"
#include "logs/registry.h"
#include "timeline/record_file.h"

namespace inquest {

struct InputPath {
  std::string path;
  bool from_dir = false;  // found by listing a folder (not named on the command line)
};

// Files named, plus the regular files of each folder named (recursively, skipping hidden
// entries and report folders `inquest analyze` wrote), each folder's files in name order. NotFound
// for a missing path. A folder's walk never leaves it: symbolic links out of it are not read
// (`analyze` names them in its inputs table), a link to a file inside is read once.
Result<std::vector<InputPath>> ExpandPaths(const std::vector<std::string>& args);

// What reading one file met besides its records (disorder, malformed lines, times without a
// time, zone or year, read warnings): the indented lines under the file's own summary line.
// LogSet::Summary and the `timeline --request` scan both report through it.
struct FileNotes {
  std::string path;
  uint64_t out_of_order = 0;         // records out of time order (sorted)
  uint64_t malformed = 0;            // lines skipped
  const IssueLog* issues = nullptr;  // samples of those lines; may be null
  uint64_t without_time = 0;         // records placed by their neighbours
  uint64_t zone_assumed = 0;         // times without a zone ...
  std::string zone = "UTC";          // ... taken in this one (the --assume-tz value)
  int year_used = 0;                 // year-less times: the year applied (0: none needed)
  std::string year_source;
  Status warning;  // the input's read warning (a truncated gzip...)

  // Whether there is nothing to say.
  bool empty() const;
};
// Appends the lines for `notes` to *out, each indented by four spaces.
void AppendFileNotes(const FileNotes& notes, std::vector<std::string>* out);

// "1 record", "3 records": `n` and the noun in the right number.
std::string CountOf(uint64_t n, std::string_view singular, std::string_view plural);

struct LogSet {
  std::vector<std::unique_ptr<LogFile>> files;  // files[i]->events[*].file == i
  // Files from folders that no log format matches (change records, notes...): "path: reason".
  std::vector<std::string> skipped;
  // What loading decided for the set as a whole (a folder taken for the service of a file's
  // records: timeline/folder_service.h).
  std::vector<std::string> notes;
  std::string zone = "UTC";  // the zone zone-less times were taken in (LoadOptions::zone)
  // Lines for stderr: what was read and every assumption or problem met.
  std::vector<std::string> Summary() const;
  std::vector<const LogFile*> pointers() const;
};

// Loads every path on up to `threads` threads. A file named on the command line that no format
// matches fails the whole load (BadInput); one found in a folder is skipped and listed.
// `state`, when given, reads trace exports, dumps and cores among them as records of their role
// (timeline/record_file.h).
Result<LogSet> LoadLogSet(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                          const LoadOptions& opts, int threads = 2,
                          const StateRecordReader* state = nullptr);

// "OpenStack_2k.log" style short name for output: the path as given.
std::string DisplayPath(const std::string& path);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_LOG_SET_H_
