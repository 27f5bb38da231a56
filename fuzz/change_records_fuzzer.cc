// Change exports (records with columns mapped by their values, git log) and detection records
// (alerts, pages, tickets, chat) through their readers.
#include <string>

#include "base/input_file.h"
#include "logs/log_reader.h"
#include "timeline/change.h"
#include "timeline/detection_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  inquest::InputFile file = inquest::InputFile::FromString(text, "fuzz");
  inquest::IssueLog issues("fuzz");
  (void)inquest::ReadChanges(file, inquest::TimeContext(), &issues);
  inquest::ProbeChanges(text);
  inquest::ReadDetectionRecords(file, "fuzz", inquest::DetectionSource::kUnknown,
                                inquest::TimeContext(), &issues);
  return 0;
}
