// LoadRecordFile: sniff, then read change or detection records as Events, or load a log.
#include "timeline/record_file.h"

#include <algorithm>

#include "evidence/sniff.h"
#include "timeline/change.h"
#include "timeline/detection_records.h"
#include "timeline/record_events.h"

namespace inquest {

Result<std::unique_ptr<LogFile>> LoadRecordFile(const std::string& path,
                                                const FormatRegistry& registry,
                                                const LoadOptions& opts,
                                                const StateRecordReader* state) {
  INQ_ASSIGN_OR_RETURN(InputFile input, InputFile::Open(path));
  std::string_view data = input.data();
  std::string_view head = data.substr(0, std::min(data.size(), kSniffHeadBytes));
  Arena probe_arena;
  ParseContext ctx;
  ctx.arena = &probe_arena;
  ctx.time.zone = opts.zone;
  if (opts.fields) ctx.fields = opts.fields;
  SniffProbes probes;
  probes.log = [&](std::string_view h) {
    Detection d = registry.Detect(h, ctx);
    LogGuess g;
    if (d.format) g = {std::string(d.format->name()), d.score};
    return g;
  };
  probes.changes = [](std::string_view h) { return ProbeChanges(h); };
  if (state) probes.others = state->probes;
  Sniffed s = SniffEvidence(path, head, probes);
  bool state_file = state && IsStateKind(s.kind);
  if (s.kind != EvidenceKind::kChanges && s.kind != EvidenceKind::kDetection && !state_file)
    return LoadLogFile(std::move(input), 0, registry, opts);

  auto f = std::make_unique<LogFile>();
  f->path = input.path();
  f->warning = input.warning();
  f->input = std::move(input);
  f->issues = IssueLog(f->path);
  f->confidence = s.confidence;
  f->taken_for = TakenForName(s.kind, s.detection);
  TimeContext tctx;
  tctx.zone = opts.zone;
  if (state_file) {
    INQ_RETURN_IF_ERROR(state->read(f->path, s, f.get()));
  } else if (s.kind == EvidenceKind::kChanges) {
    INQ_ASSIGN_OR_RETURN(std::vector<Change> changes, ReadChanges(f->input, tctx, &f->issues));
    AppendChangeEvents(changes, 0, &f->arena, &f->events);
  } else {
    std::vector<Signal> signals =
        ReadDetectionRecords(f->input, f->path, s.detection, tctx, &f->issues);
    AppendSignalEvents(signals, 0, &f->arena, &f->events);
  }
  f->stats.records = f->events.size();
  f->stats.malformed = f->issues.count();
  f->SortByTime();
  return f;
}

}  // namespace inquest
