// What kind of evidence a file is, decided by its content: a log, change records (deploys,
// config, flags), detection records (alerts, pages, tickets), a trace export, a runtime dump
// (goroutines, Java threads, hs_err, Python, gdb), an ELF core, or unknown. Folder and file names
// are hints that only break near-ties; the reason is given in words.
//
// evidence/ sits below logs/ and timeline/, so the log and change probes are passed in
// (postmortem/ wires in FormatRegistry::Detect, ProbeChanges and the trace, dump and core
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

namespace inquest {

enum class EvidenceKind : uint8_t { kUnknown, kLog, kChanges, kDetection, kTrace, kDump, kCore };
// "unknown", "log", "changes", "detection records", "trace", "dump", "core".
std::string_view EvidenceKindName(EvidenceKind k);

// What detection records a file holds (for the report: "alerts", "pages", "tickets").
enum class DetectionSource : uint8_t { kUnknown, kAlert, kPage, kTicket };
std::string_view DetectionSourceName(DetectionSource s);
// What a file was taken for, in words: "log", "changes", "alert records", "page records",
// "ticket records", "unknown".
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
};

// Bytes of a file's start that sniffing looks at: enough for kProbeLines long JSON lines.
inline constexpr size_t kSniffHeadBytes = 256 << 10;
// Below this a probe does not claim a file.
inline constexpr double kMinSniffScore = 0.5;
// What a file name hint adds to a probe's score: enough to break a near-tie, never enough to
// make a file that fails a probe pass it.
inline constexpr double kNameHintBonus = 0.1;

// `head` is the start of the (decompressed) file; `path` is used for hints and the reason only.
Sniffed SniffEvidence(std::string_view path, std::string_view head, const SniffProbes& probes);

// 0..1: the share of the first lines that are JSON objects with a time field and the fields of
// an alert (alertname, labels), a page (incident, urgency, acknowledged), or a ticket (ticket,
// summary + status). *source says which dominates. No JSON library: a key scan suffices for a
// probe; postmortem/ parses the records properly.
double ProbeDetectionRecords(std::string_view head, DetectionSource* source);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_SNIFF_H_
