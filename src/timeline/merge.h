// Merging the events of many log files into one time order, with the timeline filters applied.
//
// Each file is first put in time order on its own (stable, so records with equal times keep
// their file order); records that came earlier than the record before them are counted per
// file, since a file out of order is worth saying. Records without a time sort at their
// neighbour's time (the one before them in the file, else the one after). Ties between files
// go to the file listed first.
//
//   std::vector<const LogFile*> files = ...;  // files[i]->events[*].file == i
//   MergedTimeline m = MergeEvents(files, filter);
//   for (const Event* e : m.events) Print(*e, files[e->file]->path);
//
// The merged timeline holds pointers into the LogFiles: valid while they live, unchanged.
#ifndef INQUEST_TIMELINE_MERGE_H_
#define INQUEST_TIMELINE_MERGE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "logs/log_file.h"
#include "timeline/event_filter.h"

namespace inquest {

struct FileMergeStats {
  uint64_t events = 0;        // records in the file
  uint64_t kept = 0;          // records that passed the filter
  uint64_t out_of_order = 0;  // records earlier than the record before them in the file
  uint64_t without_time = 0;  // records placed by their neighbours
};

struct MergedTimeline {
  std::vector<const Event*> events;   // time order
  std::vector<FileMergeStats> files;  // parallel to the input files
  TimePoint first = kNoTime;          // time of the first and last kept event
  TimePoint last = kNoTime;
};

// The time an event sorts at: its own, else its neighbour's (see above). One value per event of
// `events`, which are in file order.
std::vector<TimePoint> SortKeys(std::span<const Event> events);

// Merges every event of `files` that passes `filter`. An event's `file` field must equal the
// index of its LogFile in `files` (LoadLogFile is given that index).
MergedTimeline MergeEvents(std::span<const LogFile* const> files, const EventFilter& filter);

// The same over plain event lists (tests, and callers that did not load whole files).
MergedTimeline MergeEventLists(std::span<const std::span<const Event>> lists,
                               const EventFilter& filter);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_MERGE_H_
