#include "timeline/record_scan.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "base/chunk_prefetch.h"
#include "base/decompress.h"
#include "base/input_file.h"
#include "base/mapped_file.h"
#include "timeline/file_scan.h"

namespace inquest {
namespace {

struct RangeCount {
  uint64_t lines = 0, records = 0, without_time = 0, zone_assumed = 0;
  IssueLog issues{""};
  Status error;  // a read that failed: the range stopped there
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

// Bytes read past a piece's nominal end, to find where its last record ends without touching
// the map (NextRecordStart looks at the lines there).
constexpr size_t kCutSlack = 64 << 10;

// A range's copy of the piece it parses, with simdjson's padding after it: grown to the largest
// piece, never cleared (filling 4 MiB with zeros costs as much as reading it).
class PieceBuffer {
 public:
  // Reads [begin, end) of the file `fd`; false on a read error, said in *error.
  bool Read(int fd, size_t begin, size_t end, std::string* error) {
    size_t size = end - begin;
    if (capacity_ < size + kPadding) {
      capacity_ = std::max(size, kScanPieceBytes + kCutSlack) + kPadding;
      bytes_.reset(new char[capacity_]);
    }
    size_t done = 0;
    while (done < size) {
      ssize_t n = pread(fd, bytes_.get() + done, size - done, static_cast<off_t>(begin + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *error = n < 0 ? strerror(errno) : "the file shrank while it was read";
        return false;
      }
      done += static_cast<size_t>(n);
    }
    memset(bytes_.get() + size, ' ', kPadding);
    size_ = size;
    return true;
  }
  std::string_view data() const { return {bytes_.get(), size_}; }
  // Bytes readable after data(): what was read past a piece's end, then the padding.
  size_t padding_after(size_t piece) const { return size_ - piece + kPadding; }

 private:
  static constexpr size_t kPadding = 64;  // simdjson::SIMDJSON_PADDING
  std::unique_ptr<char[]> bytes_;
  size_t capacity_ = 0, size_ = 0;
};

// Where the piece of [pos, end) starting at `pos` ends: at the first record start at or after
// pos + kScanPieceBytes (NextRecordStart over `data`), or at `end`.
size_t PieceEnd(std::string_view data, size_t pos, size_t end) {
  if (pos + kScanPieceBytes >= end) return end;
  size_t cut = NextRecordStart(data, pos + kScanPieceBytes);
  return cut > end || cut <= pos ? end : cut;
}

// The same found in `read`, the bytes of data from `pos` on (kScanPieceBytes and more), when
// they settle it: NextRecordStart then looked at whole lines of them only. npos otherwise.
size_t PieceEndIn(std::string_view read, size_t pos, size_t end) {
  if (pos + kScanPieceBytes >= end) return end;
  size_t cut = NextRecordStart(read, kScanPieceBytes);
  // The line at `cut` was judged whole: its newline is in `read` too.
  if (cut >= read.size() || read.find('\n', cut) == std::string_view::npos)
    return std::string_view::npos;
  return cut > end - pos || cut == 0 ? end : pos + cut;
}

// `data` is the whole file or chunk; with `fd` >= 0 it is a map of the file `fd`, and the pieces
// are read with pread into a buffer the range owns instead: touching a map costs a page fault
// every few pages, which on a machine with virtualised page tables is most of the cost of a
// JSON-lines parse, while a copy out of the page cache costs a tenth of that. The map is touched
// only when a piece's last record runs past kCutSlack.
void ScanRange(std::string_view data, size_t begin, size_t end, uint64_t base_offset,
               const FileContext& fc, const LoadOptions& load, uint32_t file_index, int fd,
               RecordSink* sink, RangeCount* out) {
  Arena arena;
  ParseContext ctx;
  ctx.time = fc.time;
  ctx.arena = &arena;
  if (load.fields) ctx.fields = load.fields;
  if (fc.fields) ctx.fields = fc.fields.get();
  ctx.service = fc.service;
  FieldNames projected;
  if (load.attributes) {
    projected = ctx.fields->Projected(*load.attributes, load.attribute_test);
    ctx.fields = &projected;
  }
  Event ev;
  PieceBuffer buffer;
  size_t pos = begin;
  while (pos < end) {
    std::string_view piece;
    size_t piece_end, padding;
    if (fd < 0) {
      piece_end = PieceEnd(data, pos, end);
      piece = data.substr(pos, piece_end - pos);
      padding = data.size() - piece_end;
    } else {
      std::string error;
      size_t read_end = std::min(end, pos + kScanPieceBytes + kCutSlack);
      if (!buffer.Read(fd, pos, read_end, &error)) {
        out->error = Status::IoError(fmt::format("cannot read: {}", error));
        return;
      }
      piece_end = PieceEndIn(buffer.data(), pos, end);
      if (piece_end == std::string_view::npos) {
        piece_end = PieceEnd(data, pos, end);
        ReleasePages(data, pos, piece_end);
        if (piece_end > read_end && !buffer.Read(fd, pos, piece_end, &error)) {
          out->error = Status::IoError(fmt::format("cannot read: {}", error));
          return;
        }
      }
      piece = buffer.data().substr(0, piece_end - pos);
      padding = buffer.padding_after(piece.size());
    }
    LogReader reader(piece, *fc.format, ctx, file_index, &out->issues, out->lines + 1,
                     base_offset + pos, padding);
    while (reader.Next(&ev)) {
      ++out->records;
      if (ev.time == kNoTime || ev.time_from_neighbour) ++out->without_time;
      if (ev.zone_assumed) ++out->zone_assumed;
      sink->Add(ev);
    }
    out->lines += reader.lines_read();
    pos = piece_end;
    arena = Arena();  // nothing points into it any more: sinks copy what they keep
  }
}

// Scans `data` (a whole file or a chunk of one, starting at `base_offset` of the file) on up
// to `threads` threads.
Status ScanData(std::string_view data, uint64_t base_offset, const FileContext& fc,
                const LoadOptions& load, uint32_t file_index, int threads, int fd,
                const ScanSinks& sinks, ScanReport* report) {
  std::vector<std::pair<size_t, size_t>> ranges =
      data.size() < 2 * kScanPieceBytes ? SplitAtRecords(data, 1) : SplitAtRecords(data, threads);
  std::vector<RangeCount> counts(ranges.size());
  std::vector<std::unique_ptr<RecordSink>> range_sinks;
  for (size_t i = 0; i < ranges.size(); ++i) range_sinks.push_back(sinks.make());
  std::vector<std::thread> pool;
  for (size_t i = 0; i < ranges.size(); ++i) {
    auto run = [&, i] {
      ScanRange(data, ranges[i].first, ranges[i].second, base_offset, fc, load, file_index, fd,
                range_sinks[i].get(), &counts[i]);
    };
    if (i + 1 == ranges.size()) {
      run();
    } else {
      pool.emplace_back(run);
    }
  }
  for (std::thread& t : pool) t.join();
  for (const RangeCount& c : counts)
    if (!c.error.ok()) return c.error;
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
  return Status::Ok();
}

void Describe(const FileContext& fc, ScanReport* r) {
  r->format = fc.format ? std::string(fc.format->name()) : "";
  r->confidence = fc.confidence;
  r->year_used = fc.year_used;
  r->year_source = fc.year_source;
  r->service = fc.service;
  r->context = fc;
}

Status ScanWhole(std::string_view data, const std::string& path, int64_t mtime_ns, int fd,
                 uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                 int threads, const ScanSinks& sinks, ScanReport* report) {
  report->bytes = data.size();
  INQ_ASSIGN_OR_RETURN(FileContext fc, PrepareFile(data, path, mtime_ns, registry, load));
  Describe(fc, report);
  if (!fc.format) return Status::Ok();
  return ScanData(data, 0, fc, load, file_index, threads, fd, sinks, report);
}

Status ScanStream(std::unique_ptr<ByteStream> stream, const std::string& path, uint32_t file_index,
                  const FormatRegistry& registry, const LoadOptions& load, int threads,
                  const ScanSinks& sinks, ScanReport* report) {
  int64_t mtime = stream->mtime_ns();
  ChunkPrefetcher chunks(std::move(stream));
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
    INQ_RETURN_IF_ERROR(
        ScanData(chunk, chunks.offset(), fc, load, file_index, threads, /*fd=*/-1, sinks, report));
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
  // The map serves the format detection and the cuts between pieces; the pieces are read.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("cannot open: {}", strerror(errno)), path);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Status st = ScanWhole(map.data(), path, map.mtime_ns(), fd, file_index, registry, load, threads,
                        sinks, report);
  close(fd);
  if (st.code() == StatusCode::kIoError && st.where().file.empty())
    return Status::IoError(st.message(), path);
  return st;
}

Status ScanLogBytes(std::string_view data, const std::string& path, int64_t mtime_ns,
                    uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                    int threads, const ScanSinks& sinks, ScanReport* report) {
  report->path = path;
  return ScanWhole(data, path, mtime_ns, /*fd=*/-1, file_index, registry, load, threads, sinks,
                   report);
}

}  // namespace inquest
