// What kind of evidence a file is, decided by its content: a log, change records (deploys,
// config, flags), detection records (alerts, pages, tickets, chat), a trace export, a runtime dump
// (goroutines, Java threads, hs_err, Python, gdb), an ELF core, or unknown. Folder and file names
// are hints that only break near-ties; the reason is given in words, and a file that could be
// two things names the runner-up. Records (JSON lines, JSON arrays, CSV) are classified by
// evidence/record_roles.h: by what their values look like, keys only as hints.
//
// evidence/ sits below logs/ and timeline/, so the log and change probes are passed in
// (analyze/ wires in FormatRegistry::Detect, ProbeChanges and the trace, dump and core
// readers' probes):
//
//   SniffProbes probes;
//   probes.log = [&](std::string_view head) { ... return LogGuess{"jsonl", 0.97}; };
//   probes.changes = [](std::string_view head) { return ProbeChanges(head); };
//   Sniffed s = SniffEvidence("exports/0529-a.jsonl", head_bytes, probes);
//   // s.kind == EvidenceKind::kChanges, s.reason == "JSON lines with time, service and ..."
#ifndef INQUEST_EVIDENCE_SNIFF_H_
#define INQUEST_EVIDENCE_SNIFF_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/record_roles.h"

namespace inquest {

enum class EvidenceKind : uint8_t {
  kUnknown,
  kLog,
  kChanges,
  kDetection,
  kTrace,
  kDump,
  kCore,
  kHeap,
  kProfile,
};
// "unknown", "log", "changes", "detection records", "trace", "dump", "core", "heap dump",
// "profile".
std::string_view EvidenceKindName(EvidenceKind k);
// The kinds of program-state evidence read by their own readers, not as records of text:
// traces, dumps, cores, heap dumps and profiles.
inline bool IsStateKind(EvidenceKind k) {
  return k == EvidenceKind::kTrace || k == EvidenceKind::kDump || k == EvidenceKind::kCore ||
         k == EvidenceKind::kHeap || k == EvidenceKind::kProfile;
}

// What detection records a file holds (for the report: "alerts", "pages", "tickets", "chat").
enum class DetectionSource : uint8_t { kUnknown, kAlert, kPage, kTicket, kChat };
std::string_view DetectionSourceName(DetectionSource s);
// What a file was taken for, in words: "log", "changes", "alert records", "page records",
// "ticket records", "chat records", "unknown".
std::string TakenForName(EvidenceKind kind, DetectionSource detection);

struct LogGuess {
  std::string format;  // the log format's name; empty when none fits
  double score = 0;    // 0..1
};

// A probe for one of the dedicated kinds (trace, dump, core): the reader's name and score.
struct KindProbe {
  EvidenceKind kind = EvidenceKind::kUnknown;
  std::function<LogGuess(std::string_view head)> probe;
};

struct SniffProbes {
  std::function<LogGuess(std::string_view head)> log;
  std::function<double(std::string_view head)> changes;
  // Traces, dumps and cores: asked first, since their files can also pass for a log (an OTLP
  // export is one JSON document, a dump has timestamped lines); the best score above
  // kMinSniffScore that is not below the log probe's wins.
  std::vector<KindProbe> others;
};

struct Sniffed {
  EvidenceKind kind = EvidenceKind::kUnknown;
  double confidence = 0;
  std::string format;  // log format, "jsonl" for records, the reader for traces, dumps, cores
  DetectionSource detection = DetectionSource::kUnknown;
  std::string reason;  // one sentence: why it was taken for this
  // The next best reading when it comes close (within kRunnerUpMargin): "log", "ticket
  // records", ...; empty when no other reading is close.
  std::string runner_up;
  double runner_up_score = 0;
};

// Bytes of a file's start that sniffing looks at: enough for kProbeLines long JSON lines.
inline constexpr size_t kSniffHeadBytes = 256 << 10;
// Below this a probe does not claim a file.
inline constexpr double kMinSniffScore = 0.5;
// A second reading scoring at least kMinRunnerUpScore and within this of the winner is named as
// the runner-up: the file could be either, and the user should know.
inline constexpr double kRunnerUpMargin = 0.3;
inline constexpr double kMinRunnerUpScore = 0.25;
// What a file name hint adds to a probe's score: enough to break a near-tie, never enough to
// make a file that fails a probe pass it.
inline constexpr double kNameHintBonus = 0.1;

// `head` is the start of the (decompressed) file; `path` is used for hints and the reason only.
Sniffed SniffEvidence(std::string_view path, std::string_view head, const SniffProbes& probes);

// 0..1: how surely the records at the start of `head` (JSON lines, a JSON array, CSV) are
// detection records: alerts, pages, tickets or chat messages, by their shape
// (evidence/record_roles.h). *source says which.
double ProbeDetectionRecords(std::string_view head, DetectionSource* source);

// The detection source of a record role (kUnknown for log and change).
DetectionSource DetectionSourceOf(RecordRole role);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_SNIFF_H_
