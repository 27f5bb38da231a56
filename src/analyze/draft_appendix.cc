// The draft's appendix: what each file was taken for, how requests were counted, the failed
// request rebuilt end to end, how the onset was found, and where the rest lives.
#include <fmt/format.h>

#include "analyze/draft_parts.h"

namespace inquest {

void DraftAppendixTables(const Analysis& a, DraftModel* m) {
  DraftAppendix read{
      "Evidence read", "", {"File", "Taken for", "Format", "Records", "Skipped", "Why"}, {}};
  for (const InputReport& r : a.inputs) {
    std::string taken(EvidenceKindName(r.kind));
    if (r.kind == EvidenceKind::kDetection)
      taken = std::string(DetectionSourceName(r.detection)) + " records";
    read.rows.push_back({fmt::format("`{}`", r.relative), taken, r.format.empty() ? "-" : r.format,
                         std::to_string(r.records), std::to_string(r.skipped),
                         r.error.ok() ? r.reason : r.error.ToString()});
  }
  m->appendix.push_back(std::move(read));
  if (a.impact.known && !a.impact.rule.empty())
    m->appendix.push_back({"How requests were counted", a.impact.rule, {}, {}});
  if (!a.example.steps.empty()) {
    DraftAppendix req{fmt::format("Request {} end to end", a.example.id),
                      "",
                      {"Time", "Gap", "Service", "Event", "Source"},
                      {}};
    for (const RequestStep& s : a.example.steps) {
      std::string event = DescribeEvent(*s.event);
      for (char& c : event)
        if (c == '`') c = '\'';
      req.rows.push_back({FormatClock(s.event->time, 3),
                          (s.gap_ns ? "+" + FormatDuration(s.gap_ns) : std::string()) +
                              (s.slow ? " **slow**" : ""),
                          ServiceOf(a.detector_input, *s.event), event,
                          fmt::format("`{}`", SourceOf(a.detector_input, *s.event))});
    }
    m->appendix.push_back(std::move(req));
  }
  if (a.onset.found)
    m->appendix.push_back({"How the onset was found", a.onset.explanation, {}, {}});
  m->appendix.push_back({"Links",
                         "- `findings.json`: every conclusion with its evidence.\n"
                         "- `report.html`: the error rate, the merged timeline, the rebuilt "
                         "request and an excerpt of every cited line.",
                         {},
                         {}});
}

}  // namespace inquest
