#include "analyze/state_evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "analyze/jvm_frames.h"
#include "analyze/profile_evidence.h"
#include "base/input_file.h"
#include "base/strings.h"
#include "dumps/dump_time.h"
#include "dumps/java/java_readers.h"
#include "dumps/runtime_view.h"
#include "heap/dominators.h"
#include "heap/heap_analysis.h"
#include "heap/heap_findings.h"
#include "heap/heap_graph.h"
#include "native/core_findings.h"
#include "traces/trace_findings.h"

namespace inquest {
namespace {

// "path:..." -> "relative:..." in every evidence reference of `fs`.
void Relativize(std::vector<Finding>* fs, const std::string& path, const std::string& relative) {
  for (Finding& f : *fs)
    for (EvidenceRef& e : f.evidence)
      if (e.source.starts_with(path) && e.source.size() > path.size() &&
          (e.source[path.size()] == ':' || e.source[path.size()] == ' '))
        e.source = relative + e.source.substr(path.size());
}

const DumpReader* FindDumpReader(std::string_view name) {
  for (const DumpReader& r : DumpReaders())
    if (r.name == name) return &r;
  return nullptr;
}

void AddNotes(const std::vector<std::string>& from, StateFileResult* r) {
  for (const std::string& d : from) {
    if (r->notes.size() == kStateNotesPerFile) break;
    r->notes.push_back(d);
  }
}

void ReadDump(const StateFile& f, const DumpOptions& options, StateFileResult* r,
              StateEvidence* out) {
  const DumpReader* reader = FindDumpReader(f.format);
  if (!reader) {
    r->error = Status::Internal(fmt::format("{}: no dump reader named {}", f.relative, f.format));
    return;
  }
  Result<InputFile> in = InputFile::Open(f.path);
  if (!in.ok()) {
    r->error = in.status();
    return;
  }
  Result<DumpAnalysis> a = reader->analyze(f.path, in->data(), options);
  if (!a.ok()) {
    r->error = a.status();
    return;
  }
  AddNotes(a->diagnostics, r);
  SettleDumpTime(&*a, options, in->mtime_ns());
  Relativize(&a->verdicts, f.path, f.relative);
  r->records = a->verdicts.size();
  for (const Finding& v : a->verdicts) out->findings.push_back(v);
  a->path = f.relative;
  out->dumps.push_back(std::move(*a));
}

void ReadTraces(const std::vector<StateFile>& files, TimePoint from, TimePoint to,
                StateEvidence* out) {
  std::vector<std::string> paths;
  std::vector<size_t> index;
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].kind == EvidenceKind::kTrace) {
      paths.push_back(files[i].path);
      index.push_back(i);
    }
  if (paths.empty()) return;
  out->traces = std::make_unique<TraceSet>(LoadTraceSet(paths));
  const TraceSet& ts = *out->traces;
  for (const TraceFileInfo& info : ts.spans.files)
    for (size_t k = 0; k < paths.size(); ++k)
      if (info.path == paths[k]) {
        out->files[index[k]].records = info.spans;
        out->files[index[k]].skipped = info.skipped;
      }
  for (const TraceIssue& issue : ts.spans.issues)
    if (issue.file < ts.spans.files.size())
      for (size_t k = 0; k < paths.size(); ++k)
        if (ts.spans.files[issue.file].path == paths[k] &&
            out->files[index[k]].notes.size() < kStateNotesPerFile)
          out->files[index[k]].notes.push_back(ts.spans.IssueText(issue));
  for (const Status& s : ts.file_errors)
    for (size_t k = 0; k < paths.size(); ++k)
      if (s.message().find(paths[k]) != std::string::npos) out->files[index[k]].error = s;

  std::vector<Finding> fs = TraceFindings(ts, from, to);
  for (size_t k = 0; k < paths.size(); ++k) Relativize(&fs, paths[k], files[index[k]].relative);
  for (Finding& f : fs) out->findings.push_back(std::move(f));

  // The report draws one waterfall: the longest trace in the window, failing ones first.
  int64_t best = -1;
  bool best_failed = false;
  for (size_t t = 0; t < ts.traces.size(); ++t) {
    const Trace& tr = ts.traces[t];
    if (from != kNoTime && tr.end < from) continue;
    if (to != kNoTime && tr.start > to) continue;
    bool failed = tr.error_spans > 0;
    if (failed < best_failed) continue;
    if (failed == best_failed && tr.duration() <= best) continue;
    best = tr.duration();
    best_failed = failed;
    out->worst_trace = static_cast<int>(t);
  }
}

// The runtime threads a core holds (CPython's, Go's goroutines), read as `inquest dump` reads
// a py-spy dump or a goroutine dump (one code path for grouping, wait sites and verdicts),
// their evidence pointing at the core.
void ReadRuntimeView(const StateFile& f, CoreReport& core, const DumpOptions& options,
                     std::vector<Finding>* fs, StateEvidence* out) {
  const std::string& runtime = core.runtime.runtime;
  bool go = runtime == "Go", jvm = runtime == "HotSpot";
  Result<DumpAnalysis> a = Status::NotFound("no runtime");
  if (jvm) {
    std::string text = AddJavaFrames(f.path, &core, JvmFramesOptions{}).text;
    if (text.empty()) return;
    a = JavaThreadDumpReader().analyze(f.path, text, options);
  } else if (!runtime.empty()) {
    std::string process =
        fmt::format("{}: {}", core.pid, core.args.empty() ? core.command : core.args);
    a = AnalyzeRuntimeView(core.runtime, f.path, options, process);
  }
  if (!a.ok()) return;
  a->time = core.time;
  a->time_source = "the core's modification time";
  std::string source = f.relative + (go    ? " (its goroutines)"
                                     : jvm ? " (its Java threads, read by jhsdb)"
                                           : " (its CPython threads)");
  for (Finding& v : a->verdicts) {
    v.time = core.time;
    for (EvidenceRef& e : v.evidence) e.source = source;
    fs->push_back(v);
  }
  a->path = source;
  out->dumps.push_back(std::move(*a));
}

void ReadCore(const StateFile& f, const std::vector<std::string>& executables,
              const DumpOptions& options, StateFileResult* r, StateEvidence* out) {
  CoreReport core;
  std::vector<Finding> fs = CoreFindings(f.path, executables, {}, &core);
  Relativize(&fs, f.path, f.relative);
  ReadRuntimeView(f, core, options, &fs, out);
  if (f.taken != kNoTime)
    for (Finding& x : fs) {
      x.time = f.taken;
      x.explanation += " It was taken by `inquest capture` at this time (its manifest.json).";
    }
  r->records = fs.size();
  for (Finding& x : fs) out->findings.push_back(std::move(x));
}

// A heap dump: its leak suspects on the dump's own clock (HPROF headers carry the time the
// dump was written), or one finding saying none was found.
void ReadHeapDump(const StateFile& f, StateFileResult* r, StateEvidence* out) {
  Result<heap::HeapGraph> g = heap::BuildHeapGraph(f.path);
  if (!g.ok()) {
    r->error = g.status();
    return;
  }
  heap::HeapReport report = heap::AnalyzeHeap(*g, heap::ComputeDominators(*g), {});
  // What the reading had to work around (a cut dump, dangling references); garbage not yet
  // collected is normal and not a note.
  for (const std::string& w : g->warnings())
    if (r->notes.size() < kStateNotesPerFile) r->notes.push_back(w);
  std::vector<Finding> fs = heap::HeapFindings(report, f.relative);
  if (fs.empty()) {
    Finding none;
    none.kind = "heap";
    none.title = fmt::format(
        "heap dump: {} live in {} objects; no object or class retains {:.0f}% "
        "of it",
        HumanBytes(report.live_bytes), WithThousands(report.live_objects),
        100 * report.suspect_share);
    none.confidence = 0.9;
    none.time = report.time;
    none.evidence.push_back({f.relative, report.version});
    fs.push_back(std::move(none));
  }
  if (f.taken != kNoTime)
    for (Finding& x : fs)
      if (x.time == kNoTime) x.time = f.taken;
  r->records = fs.size();
  for (Finding& x : fs) out->findings.push_back(std::move(x));
}

// Classes of resource and the words that name them, on either side: a log line's pool name or
// kind, a dump verdict's resource. Two findings naming different classes are not fused.
struct ResourceClass {
  std::string_view name;
  std::vector<std::string_view> words;
};
const std::vector<ResourceClass>& ResourceClasses() {
  static const std::vector<ResourceClass> kClasses = {
      {"database",
       {"db", "database", "sql", "jdbc", "hikari", "hikaricp", "postgres", "mysql", "psycopg",
        "sqlalchemy", "transaction", "dbcp"}},
      {"http", {"http", "upstream", "urllib3", "httpclient", "transport"}},
      {"cache", {"redis", "memcache", "cache"}},
      {"thread", {"thread pool", "executor", "worker"}},
  };
  return kClasses;
}

bool HasWord(std::string_view text, std::string_view word) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
    bool right = at + word.size() == text.size() ||
                 !std::isalpha(static_cast<unsigned char>(text[at + word.size()]));
    if (left && right) return true;
  }
  return false;
}

// The class of resource a finding speaks of, or empty when it names none (or several).
std::string_view ClassOf(const Finding& f) {
  std::string text = f.subject + " " + f.title;
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view found;
  for (const ResourceClass& rc : ResourceClasses())
    for (std::string_view w : rc.words)
      if (HasWord(text, w)) {
        if (!found.empty() && found != rc.name) return {};
        found = rc.name;
      }
  return found;
}

}  // namespace

size_t FuseSaturationWithDumps(std::vector<Finding>* findings) {
  std::vector<bool> drop(findings->size(), false);
  size_t fused = 0;
  for (size_t i = 0; i < findings->size(); ++i) {
    Finding& sat = (*findings)[i];
    if (sat.kind != "saturation" || sat.time == kNoTime) continue;
    TimePoint end = sat.end == kNoTime ? sat.time : sat.end;
    std::string_view sat_class = ClassOf(sat);
    for (size_t k = 0; k < findings->size(); ++k) {
      const Finding& dump = (*findings)[k];
      if (drop[k] || dump.kind != "pool-exhausted" || dump.time == kNoTime) continue;
      if (dump.time < sat.time - kFuseLeadNs || dump.time > end + kFuseLagNs) continue;
      std::string_view dump_class = ClassOf(dump);
      if (!sat_class.empty() && !dump_class.empty() && sat_class != dump_class) continue;
      std::string source = dump.evidence.empty() ? std::string() : dump.evidence.front().source;
      source = source.substr(0, source.rfind(':'));
      sat.title += fmt::format("; the dump {} at {} shows it: {}", source,
                               FormatClock(dump.time, 0), dump.title);
      sat.explanation += " The runtime dump taken at " + FormatClock(dump.time, 0) +
                         " shows the same exhaustion from inside the process: " + dump.explanation;
      sat.confidence = std::min(1.0, std::max(sat.confidence, dump.confidence) + 0.1);
      if (sat.subject.empty()) sat.subject = dump.subject;
      for (const EvidenceRef& e : dump.evidence) sat.evidence.push_back(e);
      drop[k] = true;
      ++fused;
    }
  }
  size_t w = 0;
  for (size_t i = 0; i < findings->size(); ++i) {
    if (drop[i]) continue;
    if (w != i) (*findings)[w] = std::move((*findings)[i]);  // never a self-move
    ++w;
  }
  findings->resize(w);
  return fused;
}

StateEvidence AnalyzeStateEvidence(const std::vector<StateFile>& files,
                                   const std::vector<std::string>& executables, TimePoint from,
                                   TimePoint to, const WaitSiteTable* wait_sites,
                                   const TimeZone* zone, bool flame_graphs) {
  StateEvidence out;
  DumpOptions dump_options;
  dump_options.zone = zone;
  dump_options.wait_sites = wait_sites;
  out.files.resize(files.size());
  ReadTraces(files, from, to, &out);
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].kind == EvidenceKind::kDump) {
      DumpOptions options = dump_options;
      if (files[i].taken != kNoTime) options.bundle_time = files[i].taken;
      ReadDump(files[i], options, &out.files[i], &out);
    }
    if (files[i].kind == EvidenceKind::kCore)
      ReadCore(files[i], executables, dump_options, &out.files[i], &out);
    if (files[i].kind == EvidenceKind::kHeap) ReadHeapDump(files[i], &out.files[i], &out);
  }
  ReadProfiles(files, flame_graphs, &out);
  return out;
}

}  // namespace inquest
