#include "postmortem/state_evidence.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/input_file.h"
#include "dumps/dump_time.h"
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

void ReadCore(const StateFile& f, const std::vector<std::string>& executables, StateFileResult* r,
              StateEvidence* out) {
  std::vector<Finding> fs = CoreFindings(f.path, executables);
  Relativize(&fs, f.path, f.relative);
  r->records = fs.size();
  for (Finding& x : fs) out->findings.push_back(std::move(x));
}

}  // namespace

StateEvidence AnalyzeStateEvidence(const std::vector<StateFile>& files,
                                   const std::vector<std::string>& executables, TimePoint from,
                                   TimePoint to, const TimeZone* zone) {
  StateEvidence out;
  DumpOptions dump_options;
  dump_options.zone = zone;
  out.files.resize(files.size());
  ReadTraces(files, from, to, &out);
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].kind == EvidenceKind::kDump) ReadDump(files[i], dump_options, &out.files[i], &out);
    if (files[i].kind == EvidenceKind::kCore) ReadCore(files[i], executables, &out.files[i], &out);
  }
  return out;
}

}  // namespace inquest
