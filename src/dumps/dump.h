// The common shape of every runtime-dump reader (Go goroutine dumps, Java thread dumps, JVM
// hs_err logs, Python faulthandler and py-spy output, gdb transcripts): a probe that says how
// sure it is that a file's start is its kind, and an analysis that turns the whole file into
// verdicts (Findings with file:line evidence) plus a rendered detail in each output format.
//
//   for (const DumpReader& r : DumpReaders()) score = r.probe(head);   // pick the best
//   Result<DumpAnalysis> a = best.analyze(path, bytes, options);
//   // a->verdicts[0].title == "deadlock: all goroutines are asleep"
//
// `inquest dump` prints the verdicts first and the detail after; `analyze` places each
// analysis on the incident timeline at `time` and adds its verdicts to the findings.
#ifndef INQUEST_DUMPS_DUMP_H_
#define INQUEST_DUMPS_DUMP_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/output.h"
#include "base/status.h"
#include "base/time.h"
#include "evidence/finding.h"

namespace inquest {

class WaitSiteTable;
class ZoneTable;

// How finely identical stacks are grouped (goroutines, threads).
enum class StackSimilarity : uint8_t {
  kExact,           // same frames, same argument values, same wait time
  kIgnoreArgs,      // same frames and state; argument values may differ
  kIgnoreWaitTime,  // same frames and state; arguments and wait time may differ (the default)
};

struct DumpOptions {
  StackSimilarity similarity = StackSimilarity::kIgnoreWaitTime;
  // The time to state when the dump holds none and the bundle gives one (kNoTime: use the
  // file's modification time, and say so).
  TimePoint bundle_time = kNoTime;
  size_t max_groups = 20;  // groups shown in the detail; the JSON holds them all
  // The wait sites to recognise (wait_sites.h); null: the built-in table. Must outlive the
  // analysis.
  const WaitSiteTable* wait_sites = nullptr;
  // --assume-tz: the zone of times a dump writes without one, and the meaning taken for an
  // ambiguous zone abbreviation. Not owned; null: UTC, and abbreviations take their default.
  const TimeZone* zone = nullptr;
  // Zone abbreviations and Windows zone names: the built-in table plus inquest.toml's [zones].
  // Not owned; null: the built-in table.
  const ZoneTable* zones = nullptr;
};

struct DumpAnalysis {
  std::string kind;  // the reader's name: "go-goroutines", "java-threads", "hs-err", ...
  std::string path;
  TimePoint time = kNoTime;  // when the dump was taken
  std::string time_source;   // "the dump's own timestamp", "the file's modification time", ...
  // The verdicts, most important first; each with evidence "path:line".
  std::vector<Finding> verdicts;
  // Problems with the input (truncation, garbage between records), each naming the line;
  // what could be read is still analysed.
  std::vector<std::string> diagnostics;
  // The detail after the verdicts, rendered once per output format. `json` is one JSON object
  // (base/json_writer.h: its strings redacted as it was written).
  std::string text;
  std::string markdown;
  Redacted json;
};

struct DumpReader {
  std::string_view name;     // "go-goroutines"
  std::string_view summary;  // "Go goroutine dump (panic, SIGQUIT, pprof debug=1/2)"
  // 0..1: how sure the reader is that a file starting with `head` is its kind.
  std::function<double(std::string_view head)> probe;
  // `bytes` is the whole (decompressed) file. Errors only when nothing at all can be read.
  std::function<Result<DumpAnalysis>(std::string_view path, std::string_view bytes,
                                     const DumpOptions& options)>
      analyze;
};

// Every reader, in the order ties are broken.
const std::vector<DumpReader>& DumpReaders();

}  // namespace inquest

#endif  // INQUEST_DUMPS_DUMP_H_
