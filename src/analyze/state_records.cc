#include "analyze/state_records.h"

#include <fmt/format.h>

#include "analyze/evidence_probes.h"
#include "analyze/state_evidence.h"
#include "timeline/record_events.h"

namespace inquest {
namespace {

// The time source of a dump whose own timestamp had its zone: nothing to flag.
constexpr std::string_view kOwnTime = "the dump's own timestamp";
constexpr std::string_view kCoreTime = "the core file's modification time";

RecordRole RoleOfKind(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::kTrace:
      return RecordRole::kSpan;
    case EvidenceKind::kCore:
      return RecordRole::kCore;
    case EvidenceKind::kHeap:
      return RecordRole::kHeap;
    case EvidenceKind::kProfile:
      return RecordRole::kProfile;
    default:
      return RecordRole::kDump;
  }
}

Level LevelOf(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return Level::kInfo;
    case Severity::kWarning:
      return Level::kWarn;
    case Severity::kError:
      return Level::kError;
    case Severity::kCritical:
      return Level::kFatal;
  }
  return Level::kUnknown;
}

}  // namespace

void AppendFindingEvents(const std::vector<Finding>& findings, RecordRole role, uint32_t file,
                         Arena* arena, std::vector<Event>* out) {
  for (const Finding& f : findings) {
    Event e;
    e.role = role;
    e.kind = arena->Copy(f.kind);
    e.time = f.time;
    e.file = file;
    e.level = LevelOf(f.severity);
    e.service = arena->Copy(f.service);
    e.message = arena->Copy(f.title);
    if (!f.evidence.empty()) {
      e.line = SourceLine(f.evidence.front().source);
      e.raw = arena->Copy(f.evidence.front().excerpt);
    }
    if (e.line == 0) e.line = 1;  // the file as a whole: its start
    if (e.raw.empty()) e.raw = e.message;
    if (!f.subject.empty()) e.attrs.push_back({"subject", arena->Copy(f.subject)});
    out->push_back(std::move(e));
  }
}

StateRecordReader StateRecords(const TimeZone* zone) {
  StateRecordReader r;
  r.probes = DedicatedProbes();
  r.read = [zone](const std::string& path, const Sniffed& sniffed, LogFile* out) -> Status {
    StateFile file{path, path, sniffed.kind, sniffed.format};
    StateEvidence s = AnalyzeStateEvidence({file}, {}, kNoTime, kNoTime, nullptr, zone,
                                           /*flame_graphs=*/false);
    const StateFileResult& result = s.files.front();
    if (!result.error.ok()) return result.error;
    // The reader's complaints (a dump cut off, garbage between records) are about the file as a
    // whole, not lines skipped: the first is the file's warning.
    if (!result.notes.empty() && out->warning.ok())
      out->warning = Status::BadInput(result.notes.front());
    const RecordRole role = RoleOfKind(sniffed.kind);
    AppendFindingEvents(s.findings, role, 0, &out->arena, &out->events);
    for (const DumpAnalysis& d : s.dumps) {
      // A dump that gives no verdict is still evidence of when the process was looked at.
      if (d.verdicts.empty()) {
        Finding none;
        none.kind = "dump";
        none.time = d.time;
        none.title = fmt::format("{} dump: no verdict (nothing stuck or crashed)", d.kind);
        AppendFindingEvents({none}, role, 0, &out->arena, &out->events);
      }
      // A time that is not the dump's own says where it came from.
      if (!d.time_source.empty() && d.time_source != kOwnTime)
        for (Event& e : out->events) e.attrs.push_back({"time", out->arena.Copy(d.time_source)});
    }
    // A core holds no time of its own: its findings are placed when the file was written.
    if (sniffed.kind == EvidenceKind::kCore)
      for (Event& e : out->events) e.attrs.push_back({"time", kCoreTime});
    return Status::Ok();
  };
  return r;
}

}  // namespace inquest
