#include "timeline/record_scan.h"

#include <sys/mman.h>
#include <unistd.h>

#include <thread>

#include "base/decompress.h"
#include "base/input_file.h"
#include "base/mapped_file.h"
#include "timeline/file_scan.h"

namespace inquest {
namespace {

struct RangeCount {
  uint64_t lines = 0, records = 0, without_time = 0, zone_assumed = 0;
  IssueLog issues{""};
};

// Drops the whole pages of [begin, end) of a file mapping from this process's memory (the
// kernel's page cache keeps them): a mapped 10 GiB log then costs a few pieces of resident
// memory, not its size. Only for read-only file mappings, where it cannot lose data.
void ReleasePages(std::string_view data, size_t begin, size_t end) {
  static const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  uintptr_t lo = reinterpret_cast<uintptr_t>(data.data()) + begin;
  uintptr_t hi = reinterpret_cast<uintptr_t>(data.data()) + end;
  lo = (lo + kPage - 1) / kPage * kPage;
  hi = hi / kPage * kPage;
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

void ScanRange(std::string_view data, size_t begin, size_t end, uint64_t base_offset,
               const FileContext& fc, const LoadOptions& load, uint32_t file_index, bool mapped,
               RecordSink* sink, RangeCount* out) {
  Arena arena;
  ParseContext ctx;
  ctx.time = fc.time;
  ctx.arena = &arena;
  if (load.fields) ctx.fields = load.fields;
  if (fc.fields) ctx.fields = fc.fields.get();
  ctx.service = fc.service;
  Event ev;
  size_t pos = begin;
  while (pos < end) {
    size_t piece_end =
        pos + kScanPieceBytes >= end ? end : NextRecordStart(data, pos + kScanPieceBytes);
    if (piece_end > end || piece_end <= pos) piece_end = end;
    LogReader reader(data.substr(pos, piece_end - pos), *fc.format, ctx, file_index, &out->issues,
                     out->lines + 1, base_offset + pos);
    while (reader.Next(&ev)) {
      ++out->records;
      if (ev.time == kNoTime || ev.time_from_neighbour) ++out->without_time;
      if (ev.zone_assumed) ++out->zone_assumed;
      sink->Add(ev);
    }
    out->lines += reader.lines_read();
    if (mapped) ReleasePages(data, pos, piece_end);
    pos = piece_end;
    arena = Arena();  // nothing points into it any more: sinks copy what they keep
  }
}

// Scans `data` (a whole file or a chunk of one, starting at `base_offset` of the file) on up
// to `threads` threads.
void ScanData(std::string_view data, uint64_t base_offset, const FileContext& fc,
              const LoadOptions& load, uint32_t file_index, int threads, bool mapped,
              const ScanSinks& sinks, ScanReport* report) {
  std::vector<std::pair<size_t, size_t>> ranges =
      data.size() < 2 * kScanPieceBytes ? SplitAtRecords(data, 1) : SplitAtRecords(data, threads);
  std::vector<RangeCount> counts(ranges.size());
  std::vector<std::unique_ptr<RecordSink>> range_sinks;
  for (size_t i = 0; i < ranges.size(); ++i) range_sinks.push_back(sinks.make());
  std::vector<std::thread> pool;
  for (size_t i = 0; i < ranges.size(); ++i) {
    auto run = [&, i] {
      ScanRange(data, ranges[i].first, ranges[i].second, base_offset, fc, load, file_index, mapped,
                range_sinks[i].get(), &counts[i]);
    };
    if (i + 1 == ranges.size()) {
      run();
    } else {
      pool.emplace_back(run);
    }
  }
  for (std::thread& t : pool) t.join();
  for (size_t i = 0; i < ranges.size(); ++i) {
    RangeCount& c = counts[i];
    uint64_t line_base = report->lines;
    for (const ParseIssue& issue : c.issues.samples()) {
      if (report->samples.size() >= IssueLog::kMaxIssueSamples) break;
      ParseIssue shifted = issue;
      shifted.line += line_base;
      report->samples.push_back(std::move(shifted));
    }
    report->malformed += c.issues.count();
    report->lines += c.lines;
    report->records += c.records;
    report->without_time += c.without_time;
    report->zone_assumed += c.zone_assumed;
    sinks.merge(std::move(range_sinks[i]), line_base);
  }
}

void Describe(const FileContext& fc, ScanReport* r) {
  r->format = fc.format ? std::string(fc.format->name()) : "";
  r->confidence = fc.confidence;
  r->year_used = fc.year_used;
  r->year_source = fc.year_source;
  r->service = fc.service;
  r->context = fc;
}

Status ScanWhole(std::string_view data, const std::string& path, int64_t mtime_ns, bool mapped,
                 uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                 int threads, const ScanSinks& sinks, ScanReport* report) {
  report->bytes = data.size();
  INQ_ASSIGN_OR_RETURN(FileContext fc, PrepareFile(data, path, mtime_ns, registry, load));
  Describe(fc, report);
  if (!fc.format) return Status::Ok();
  ScanData(data, 0, fc, load, file_index, threads, mapped, sinks, report);
  return Status::Ok();
}

Status ScanStream(std::unique_ptr<ByteStream> stream, const std::string& path, uint32_t file_index,
                  const FormatRegistry& registry, const LoadOptions& load, int threads,
                  const ScanSinks& sinks, ScanReport* report) {
  int64_t mtime = stream->mtime_ns();
  ChunkReader chunks(std::move(stream));
  std::string_view chunk;
  FileContext fc;
  bool first = true;
  while (true) {
    Result<bool> more = chunks.Next(&chunk);
    if (!more.ok()) {
      report->warning = more.status();
      break;
    }
    if (!*more) break;
    if (first) {
      INQ_ASSIGN_OR_RETURN(fc, PrepareFile(chunk, path, mtime, registry, load));
      Describe(fc, report);
      first = false;
      if (!fc.format) return Status::Ok();
    }
    report->bytes += chunk.size();
    ScanData(chunk, chunks.offset(), fc, load, file_index, threads, /*mapped=*/false, sinks,
             report);
  }
  if (chunks.over_limit()) return chunks.error();
  if (!chunks.error().ok()) report->warning = chunks.error();
  return Status::Ok();
}

}  // namespace

Status ScanLogFile(const std::string& path, uint32_t file_index, const FormatRegistry& registry,
                   const LoadOptions& load, int threads, const ScanSinks& sinks,
                   ScanReport* report) {
  report->path = path;
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, ByteStream::Open(path));
  if (stream->compression() != Compression::kNone)
    return ScanStream(std::move(stream), path, file_index, registry, load, threads, sinks, report);
  stream.reset();
  INQ_ASSIGN_OR_RETURN(MappedFile map, MappedFile::Open(path));
  map.AdviseSequential();
  return ScanWhole(map.data(), path, map.mtime_ns(), /*mapped=*/true, file_index, registry, load,
                   threads, sinks, report);
}

Status ScanLogBytes(std::string_view data, const std::string& path, int64_t mtime_ns,
                    uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                    int threads, const ScanSinks& sinks, ScanReport* report) {
  report->path = path;
  return ScanWhole(data, path, mtime_ns, /*mapped=*/false, file_index, registry, load, threads,
                   sinks, report);
}

}  // namespace inquest
