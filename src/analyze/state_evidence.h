// The program-state half of `analyze`: the bundle's trace exports, runtime dumps and cores,
// read with their own readers and turned into findings on the incident's clock. The log half
// (analysis.h) hands over the files sniffing gave these kinds and the incident window.
//
//   StateEvidence s = AnalyzeStateEvidence(files, executables, onset - 10min, recovery);
//   // s.findings: slow and failing traces, skew, dump verdicts ("deadlock: ..."), crashes
#ifndef INQUEST_ANALYZE_STATE_EVIDENCE_H_
#define INQUEST_ANALYZE_STATE_EVIDENCE_H_

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "dumps/dump.h"
#include "evidence/finding.h"
#include "evidence/sniff.h"
#include "traces/trace_set.h"

namespace inquest {

// A bundle file that sniffing took for a trace, a dump or a core.
struct StateFile {
  std::string path;      // as opened
  std::string relative;  // bundle-relative: what evidence references name
  EvidenceKind kind = EvidenceKind::kUnknown;
  std::string format;  // the reader sniffing chose ("otlp", "go-goroutines", "elf-core")
  // When `inquest capture` took it (its manifest), or kNoTime: a dump without a timestamp of its
  // own, and a core, are placed there rather than at the file's modification time.
  TimePoint taken = kNoTime;
};

// What reading one of them gave, for the inputs table.
struct StateFileResult {
  uint64_t records = 0;  // spans, verdicts, or crash findings
  uint64_t skipped = 0;
  std::vector<std::string> notes;  // the reader's diagnostics (first few)
  Status error;                    // nothing could be read
};

// A flame graph of a bundle's profile or snapshot (or of the growth between two), for the report.
struct FlameSvg {
  std::string title;  // "main.(*Store).Put ... heap-2.pb.gz": what the graph shows, in words
  std::string svg;    // one self-contained <svg> element (profile/flame_graph.h)
};

struct StateEvidence {
  std::vector<StateFileResult> files;  // parallel to the StateFile list
  std::unique_ptr<TraceSet> traces;    // null when the bundle has no trace files
  int worst_trace = -1;                // index into traces->traces: the report's waterfall
  std::vector<DumpAnalysis> dumps;
  std::vector<Finding> findings;       // evidence sources bundle-relative
  std::vector<FlameSvg> flame_graphs;  // of the profiles and snapshots (ReadProfiles)
};

// Diagnostics of one file kept for the inputs table; the rest are counted.
inline constexpr size_t kStateNotesPerFile = 5;

// Reads every file. `executables` are the bundle's ELF programs (candidates for the cores).
// [from, to] is the incident window for traces (kNoTime: unbounded). `wait_sites` are the
// dumps' wait sites (null: the built-in table). `zone` is --assume-tz (null: UTC): the zone of
// dump times written without one. `flame_graphs`: draw the profiles' flame graphs (for the
// report; a timeline has no use for them). Never fails: a file that cannot be read has its
// error in files[i].error.
StateEvidence AnalyzeStateEvidence(const std::vector<StateFile>& files,
                                   const std::vector<std::string>& executables, TimePoint from,
                                   TimePoint to, const WaitSiteTable* wait_sites = nullptr,
                                   const TimeZone* zone = nullptr, bool flame_graphs = true);

// A dump taken this long before a log-side saturation episode starts still shows its queue
// forming; one taken up to kFuseLagNs after it ends shows the same queue (dumps are usually
// taken at the end of an incident, before the restart that ends it).
inline constexpr int64_t kFuseLeadNs = 5 * 60 * kNanosPerSecond;
inline constexpr int64_t kFuseLagNs = 30 * 60 * kNanosPerSecond;

// Fuses each log-side saturation finding ("saturation", timeline/detectors) with the dump
// verdicts that show the same pool exhausted ("pool-exhausted", dumps/wait_report.h) at a
// time inside the episode's [start - kFuseLeadNs, end + kFuseLagNs] and naming no other class
// of resource: the saturation finding keeps its kind, its title gains what the dump shows,
// its evidence gains the dump's, and the dump verdict is removed. Returns how many were fused.
size_t FuseSaturationWithDumps(std::vector<Finding>* findings);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_STATE_EVIDENCE_H_
