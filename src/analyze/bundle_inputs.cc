#include "analyze/bundle_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "analyze/capture_manifest.h"
#include "analyze/evidence_probes.h"
#include "base/decompress.h"
#include "base/input_file.h"
#include "base/parallel.h"
#include "base/strings.h"
#include "timeline/detection_records.h"
#include "timeline/detectors/exceptions.h"
#include "timeline/exception_signature.h"
#include "timeline/file_scan.h"

namespace inquest {
namespace {

// A first line longer than this is not looked for further: the file is not a log we can read.
constexpr size_t kMaxSniffLineBytes = 16 << 20;

// The start of a file for sniffing: kSniffHeadBytes cut at a line end, or the whole first line
// when it alone is longer (one huge JSON record must not make a log "unknown").
Result<std::string> ReadHead(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> s, ByteStream::Open(path));
  std::string head;
  char buf[64 << 10];
  while (head.size() < kMaxSniffLineBytes) {
    INQ_ASSIGN_OR_RETURN(size_t n, s->Read(buf, sizeof buf));
    if (n == 0) break;
    head.append(buf, n);
    if (head.size() >= kSniffHeadBytes && head.find('\n') != std::string::npos) break;
  }
  if (head.size() > kSniffHeadBytes) {
    size_t nl = head.rfind('\n', kSniffHeadBytes);
    if (nl == std::string::npos) nl = head.find('\n');
    if (nl != std::string::npos) head.resize(nl + 1);
  }
  return head;
}

// The lines of a file, streamed.
uint64_t CountLinesOf(const std::string& path) {
  Result<std::unique_ptr<ByteStream>> s = ByteStream::Open(path);
  if (!s.ok()) return 0;
  char buf[64 << 10];
  uint64_t n = 0;
  char last = '\n';
  while (true) {
    Result<size_t> got = (*s)->Read(buf, sizeof buf);
    if (!got.ok() || *got == 0) break;
    n += CountNewlines(buf, buf + *got);
    last = buf[*got - 1];
  }
  return n + (last != '\n');
}

uint64_t CountLines(std::string_view data) {
  return CountNewlines(data.data(), data.data() + data.size()) +
         (!data.empty() && data.back() != '\n');
}

// "path:12" -> "relative:12" for sources built from the opened path.
std::string Relativize(const std::string& source, const std::string& path,
                       const std::string& relative) {
  if (source.starts_with(path) && source.size() > path.size() && source[path.size()] == ':')
    return relative + source.substr(path.size());
  return source;
}

// A capture folder of the bundle: its bundle-relative prefix ("pid-4242/", "" at the root).
struct CaptureFolder {
  std::string prefix;
  CaptureManifest manifest;
};

// The capture folders among `files`: those holding a manifest.json that reads as a capture's.
std::vector<CaptureFolder> FindCaptures(const std::vector<BundleFile>& files) {
  std::vector<CaptureFolder> out;
  for (const BundleFile& f : files) {
    if (Basename(f.relative) != "manifest.json" || f.size > kMaxManifestBytes || !f.refused.empty())
      continue;
    Result<InputFile> in = InputFile::Open(f.path);
    if (!in.ok()) continue;
    Result<CaptureManifest> m = ParseCaptureManifest(in->data());
    if (!m.ok()) continue;
    out.push_back(
        {f.relative.substr(0, f.relative.size() - std::string_view("manifest.json").size()),
         std::move(*m)});
  }
  return out;
}

// What the capture says `relative` is: sets the report's capture fields and, for files that are
// no evidence to sniff (the manifest, the /proc snapshot), its reason. True when sniffing is
// to be skipped.
bool ReadAsCaptured(const std::vector<CaptureFolder>& captures, InputReport* r) {
  for (const CaptureFolder& c : captures) {
    if (!r->relative.starts_with(c.prefix)) continue;
    std::string_view inside = std::string_view(r->relative).substr(c.prefix.size());
    const CaptureManifest& m = c.manifest;
    if (inside == "manifest.json") {
      r->reason =
          m.writer.empty()
              ? fmt::format("the manifest of `inquest capture` of pid {} ({}, {}), taken {}", m.pid,
                            m.exe, m.runtime, FormatTime(m.started, 0))
              : fmt::format("the manifest of a dump handler ({}, {}) listing {} dumps since {}",
                            m.writer, m.runtime, m.files.size(), FormatTime(m.started, 0));
      return true;
    }
    const CapturedFile* f = m.Find(inside);
    if (!f) continue;
    r->captured_at = f->taken;
    r->capture_step = f->step;
    if (f->step == kProcSnapshotStep || inside.starts_with("proc/")) {
      r->reason = fmt::format(
          "the /proc snapshot `inquest capture` took of pid {} at {}: process state, not a log",
          m.pid, FormatTime(f->taken, 0));
      return true;
    }
    return false;
  }
  return false;
}

}  // namespace

BundleInputs DetectInputs(const std::vector<BundleFile>& files, const FormatRegistry& registry,
                          const FieldNames& fields, const TimeZone* zone, Progress* progress) {
  BundleInputs b;
  const size_t n = files.size();
  b.inputs.resize(n);
  b.names.resize(n);
  b.changes.resize(n);
  b.signals.resize(n);
  b.tracebacks.resize(n);
  b.traceback_head.resize(n, 0);
  const std::vector<KindProbe> dedicated = DedicatedProbes();
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ctx.fields = &fields;
  ctx.time.zone = zone;
  const std::vector<CaptureFolder> captures = FindCaptures(files);
  for (const CaptureFolder& c : captures) {
    // The executable the capture names, when it is on this machine: a candidate for its core.
    std::error_code ec;
    if (!c.manifest.exe.empty() && std::filesystem::is_regular_file(c.manifest.exe, ec))
      b.executables.push_back(c.manifest.exe);
  }
  for (size_t i = 0; i < n; ++i) {
    InputReport& r = b.inputs[i];
    r.path = files[i].path;
    r.relative = b.names[i] = files[i].relative;
    r.bytes = files[i].size;
    if (!files[i].refused.empty()) {
      // A link out of the bundle (evidence/bundle.h): named in the inputs table and on stderr,
      // never opened.
      r.error = Status::BadInput(files[i].refused, {r.path});
      r.reason = files[i].refused;
      continue;
    }
    if (ReadAsCaptured(captures, &r)) continue;
    Result<std::string> head = ReadHead(r.path);
    if (!head.ok()) {
      r.error = head.status();
      r.reason = "could not be read: " + head.status().message();
      continue;
    }
    Detection det = registry.Detect(*head, ctx);
    SniffProbes probes;
    probes.log = [&](std::string_view) {
      LogGuess g;
      if (det.format) g = {std::string(det.format->name()), det.score};
      return g;
    };
    probes.changes = [](std::string_view h) { return ProbeChanges(h); };
    probes.others = dedicated;
    Sniffed s = SniffEvidence(r.relative, *head, probes);
    r.kind = s.kind;
    r.format = s.format;
    r.confidence = s.confidence;
    r.reason = s.reason;
    r.detection = s.detection;
    if (r.kind == EvidenceKind::kUnknown) b.traceback_head[i] = LooksLikeTracebackFile(*head);
    if (r.kind == EvidenceKind::kUnknown && LooksLikeElfProgram(*head)) {
      b.executables.push_back(r.path);
      r.reason = "an ELF program: a candidate executable for the bundle's cores";
    } else if (r.kind == EvidenceKind::kUnknown && r.captured_at != kNoTime) {
      r.reason = fmt::format(
          "captured by `inquest capture` ({}) at {}, but not a kind of "
          "evidence inquest reads: {}",
          r.capture_step.empty() ? "listed in its manifest" : r.capture_step,
          FormatTime(r.captured_at, 0), r.reason);
    }
    if (progress) progress->Add(std::min<uint64_t>(r.bytes, head->size()));
  }
  return b;
}

void ReadRecordInputs(BundleInputs* b, const TimeZone* zone, int threads, Progress* progress) {
  TimeContext tctx;
  tctx.zone = zone;
  ParallelFor(b->inputs.size(), std::max(1, threads), [&](size_t i) {
    InputReport& r = b->inputs[i];
    if (!r.error.ok()) return;
    bool whole = r.kind == EvidenceKind::kChanges || r.kind == EvidenceKind::kDetection ||
                 r.kind == EvidenceKind::kUnknown;
    bool program =
        std::find(b->executables.begin(), b->executables.end(), r.path) != b->executables.end();
    if (r.kind == EvidenceKind::kTrace || r.kind == EvidenceKind::kDump)
      r.lines = CountLinesOf(r.path);
    if (!whole || program) return;
    if (r.kind == EvidenceKind::kUnknown && !b->traceback_head[i]) {
      // Only plain traceback files are read whole among the unknown ones (judged by the head).
      r.lines = CountLinesOf(r.path);
      return;
    }
    Result<InputFile> in = InputFile::Open(r.path);
    if (!in.ok()) {
      r.error = in.status();
      r.reason = "could not be read: " + in.status().message();
      return;
    }
    if (!in->warning().ok()) r.notes.push_back(in->warning().message());
    r.lines = CountLines(in->data());
    IssueLog issues(r.relative);
    switch (r.kind) {
      case EvidenceKind::kChanges: {
        Result<std::vector<Change>> c = ReadChanges(*in, tctx, &issues);
        if (!c.ok()) {
          r.error = c.status();
          break;
        }
        for (Change& ch : *c) ch.source = Relativize(ch.source, r.path, r.relative);
        r.records = c->size();
        r.skipped = issues.count();
        r.samples = issues.samples();
        b->changes[i] = std::move(*c);
        break;
      }
      case EvidenceKind::kDetection: {
        b->signals[i] = ReadDetectionRecords(*in, r.relative, r.detection, tctx, &issues);
        r.records = b->signals[i].size();
        r.skipped = issues.count();
        r.samples = issues.samples();
        break;
      }
      default: {
        std::string_view data = in->data();
        uint64_t traces = 0;
        b->tracebacks[i] = TracebackFileFindings(data, r.relative, in->mtime_ns(), &traces);
        r.records = traces;
        r.reason = "Python tracebacks without times: read for exception signatures";
        break;
      }
    }
    if (progress) progress->Add(2 * r.bytes);
  });
}

}  // namespace inquest
