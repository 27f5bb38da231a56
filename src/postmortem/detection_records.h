// Alert, pager and ticket records (JSON lines) read into detection Signals: when the incident
// was noticed, by what, and whether a customer noticed first.
//
// Field names are discovered, not fixed: Alertmanager ("startsAt", "labels.alertname",
// "annotations.summary"), PagerDuty-like exports ("created_at", "incident", "event",
// "summary") and ticket exports ("opened", "ticket", "channel") all work, and nested objects
// are flattened as "a.b".
#ifndef INQUEST_POSTMORTEM_DETECTION_RECORDS_H_
#define INQUEST_POSTMORTEM_DETECTION_RECORDS_H_

#include <string>
#include <vector>

#include "base/input_file.h"
#include "evidence/sniff.h"
#include "logs/log_reader.h"
#include "timeline/detectors/detector.h"

namespace inquest {

// Reads every line of `file` as one record. `display` names the file in evidence references;
// `hint` (from sniffing) is the kind of record when a record does not say. Lines that are not
// JSON objects or have no time go to `issues` and are skipped.
std::vector<Signal> ReadDetectionRecords(const InputFile& file, const std::string& display,
                                         DetectionSource hint, const TimeContext& ctx,
                                         IssueLog* issues);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DETECTION_RECORDS_H_
