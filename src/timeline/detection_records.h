// Alert, page, ticket and chat records read into detection Signals: when the incident was
// noticed, by what, and whether a customer noticed first.
//
// Any container of evidence/flat_records.h: JSON lines, a JSON array or a wrapped one
// (Alertmanager's webhook {"alerts": [...]} and /api/v2/alerts, PagerDuty's log entries and
// incidents, Opsgenie's alert logs, Slack's message export), CSV help-desk exports. Each
// record's kind comes from its shape (evidence/record_roles.h); its fields are found by the
// words of their keys, nested or not ("labels.alertname", "fields.summary", "via.channel"), and
// its time by the values that parse as times: when it started or was opened, or its end when
// it is resolved. Alertmanager's zero end ("0001-01-01T00:00:00Z") means still firing.
#ifndef INQUEST_TIMELINE_DETECTION_RECORDS_H_
#define INQUEST_TIMELINE_DETECTION_RECORDS_H_

#include <string>
#include <vector>

#include "base/input_file.h"
#include "evidence/sniff.h"
#include "logs/log_reader.h"
#include "timeline/detectors/detector.h"

namespace inquest {

// Reads every record of `file`. `display` names the file in evidence references;
// `hint` (from sniffing) is the kind of record when a record does not say. Lines that are not
// records or have no time go to `issues` (with line and offset) and are skipped.
std::vector<Signal> ReadDetectionRecords(const InputFile& file, const std::string& display,
                                         DetectionSource hint, const TimeContext& ctx,
                                         IssueLog* issues);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_DETECTION_RECORDS_H_
