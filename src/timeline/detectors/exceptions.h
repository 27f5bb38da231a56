// Exceptions in logs as findings: each stack-trace signature (the root cause's type plus the
// program's own top frames, see timeline/exception_signature.h) that is new with the incident,
// or that surged after the onset, with where it first appeared and how often:
// "NullPointerException at OrderMapper.map:88 appeared at 14:11:02, 3,412 times".
#ifndef INQUEST_TIMELINE_DETECTORS_EXCEPTIONS_H_
#define INQUEST_TIMELINE_DETECTORS_EXCEPTIONS_H_

#include <vector>

#include "base/strings.h"  // WithThousands
#include "timeline/detectors/detector.h"
#include "timeline/detectors/stream_detector.h"
#include "timeline/exception_groups.h"

namespace inquest {

// Fewest occurrences of a signature to report it: one or two traces are the background of
// any busy service; a signature that repeats is a pattern.
inline constexpr uint64_t kExceptionMinCount = 3;
// A signature that was there before the onset is reported only when its rate per minute
// during the incident is at least this many times its rate before: it got worse, not merely
// continued.
inline constexpr double kExceptionSurgeFactor = 3.0;
// Exception findings at most: the rest are in `inquest timeline` for who wants them.
inline constexpr size_t kMaxExceptionFindings = 5;
// Window for counting occurrences: the minute grain of the analysis.
inline constexpr int64_t kExceptionWindowNs = 60 * kNanosPerSecond;

// Findings of kind "exception", ranked: signatures new with the incident first (severity
// error), then ones that surged (warning); without an onset, the most frequent (warning).
// Each carries the first occurrence (file:line) and the last as evidence.
std::vector<Finding> DetectExceptions(const DetectorInput& in);

// The same as a streaming aggregation: signatures grouped as the records come
// (timeline/exception_groups.h, at most kMaxExceptionGroups), ranked against the onset at the
// end.
class ExceptionsDetector : public StreamDetector {
 public:
  explicit ExceptionsDetector(const DetectorInput& in) : in_(in), grouper_(kExceptionWindowNs) {}
  void Observe(const Event& e) override { grouper_.Add(e); }
  std::vector<Finding> Finish() override;

 private:
  const DetectorInput& in_;
  ExceptionGrouper grouper_;
};

// Findings of kind "exception" for a plain traceback file (see LooksLikeTracebackFile): one
// per signature, most frequent first, at most kMaxExceptionFindings. The file has no times of
// its own: each finding is placed at `file_time` (its modification time) and says so. Its
// evidence is "<source>:<line>" of the signature's first traceback. *traces counts them all.
std::vector<Finding> TracebackFileFindings(std::string_view text, std::string_view source,
                                           TimePoint file_time, uint64_t* traces);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTORS_EXCEPTIONS_H_
