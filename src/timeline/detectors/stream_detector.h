// The one interface of the detectors that read log records: a streaming aggregation.
//
//   SaturationDetector d(in);             // the run's context: files, changes, onset, signals
//   for (const Event* e : records) d.Observe(*e);   // each record once, in time order
//   std::vector<Finding> found = d.Finish();        // once, after the last record
//
// A detector keeps bounded state whatever the number of records: counters per key for at most
// kMaxDetectorKeys keys (the rest are counted as untracked and the finding says so), per-window
// counts over the records' span, and a fixed number of records kept as evidence. It reads
// nothing but what Observe shows it and the context it was built with.
//
// Contract: the DetectorInput given at construction, and every record passed to Observe,
// outlive Finish (evidence is copied out of the records kept when the findings are made).
#ifndef INQUEST_TIMELINE_DETECTORS_STREAM_DETECTOR_H_
#define INQUEST_TIMELINE_DETECTORS_STREAM_DETECTOR_H_

#include <vector>

#include "evidence/finding.h"
#include "logs/event.h"

namespace inquest {

// Keys (services, resources, cache keys, requests) one detector tracks at most. A bundle has
// tens of services and pools and thousands of hot cache keys; past this the rest are noise for
// a detector that looks for one dominant pattern.
inline constexpr size_t kMaxDetectorKeys = 10000;

class StreamDetector {
 public:
  virtual ~StreamDetector() = default;
  // One record; records arrive in time order (records without a time may come anywhere and
  // are ignored by detectors that count over time).
  virtual void Observe(const Event& e) = 0;
  // The findings, in the order the detector ranks them. Called once.
  virtual std::vector<Finding> Finish() = 0;
};

// Shows every record of `records` to `d` and returns what it finds.
std::vector<Finding> RunDetector(StreamDetector& d, const std::vector<const Event*>& records);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_STREAM_DETECTOR_H_
