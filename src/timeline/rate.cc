#include "timeline/rate.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <thread>

#include "base/decompress.h"
#include "base/input_file.h"
#include "base/mapped_file.h"
#include "timeline/file_scan.h"
#include "timeline/log_set.h"
#include "timeline/window_counter.h"

namespace inquest {
namespace {

// Attribute keys that carry a duration, and the unit of a bare number under each.
struct DurationKey {
  std::string_view key;
  double bare_unit_ms;
};
constexpr DurationKey kDurationKeys[] = {
    {"duration_ms", 1},
    {"latency_ms", 1},
    {"elapsed_ms", 1},
    {"took_ms", 1},
    {"time_ms", 1},
    {"response_time_ms", 1},
    {"request_time_ms", 1},
    {"waited_ms", 1},
    {"duration", 1},  // bare numbers: ms, the common choice of JSON loggers
    {"latency", 1},
    {"elapsed", 1},
    {"took", 1},
    {"time_taken", 1},  // IIS time-taken is milliseconds
    {"response_time", 1},
    {"after", 1},  // "timeout after=4019ms"
    {"duration_s", 1000},
    {"elapsed_s", 1000},
    {"latency_s", 1000},
    {"duration_us", 0.001},
    {"duration_ns", 0.000001},
    {"request_time", 1000},  // nginx $request_time is seconds
    {"upstream_response_time", 1000},
    {"upstream_time", 1000},
    {"rt", 1000},  // nginx log_format convention rt=$request_time
    {"urt", 1000},
};

// kDurationKeys bucketed by key length so that most attributes are rejected by one compare.
constexpr size_t kMaxKeyLen = 32;
struct KeyTable {
  std::array<std::array<int8_t, 4>, kMaxKeyLen> by_len{};
  KeyTable() {
    for (auto& row : by_len) row.fill(-1);
    for (size_t i = 0; i < std::size(kDurationKeys); ++i) {
      auto& row = by_len[kDurationKeys[i].key.size()];
      for (auto& slot : row) {
        if (slot < 0) {
          slot = static_cast<int8_t>(i);
          break;
        }
      }
    }
  }
};
const KeyTable& Keys() {
  static const KeyTable t;
  return t;
}

// Reading a whole file's bytes, or a compressed file's chunks, splits into these pieces per
// thread so the arena of decoded text can be dropped between them: memory stays bounded.
constexpr size_t kPieceBytes = 4 << 20;

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

void CountRange(std::string_view data, size_t begin, size_t end, uint64_t base_offset,
                const FileContext& fc, const LoadOptions& load, uint32_t file_index, bool mapped,
                WindowCounter* counter, RangeCount* out) {
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
    size_t piece_end = pos + kPieceBytes >= end ? end : NextRecordStart(data, pos + kPieceBytes);
    if (piece_end > end || piece_end <= pos) piece_end = end;
    LogReader reader(data.substr(pos, piece_end - pos), *fc.format, ctx, file_index, &out->issues,
                     out->lines + 1, base_offset + pos);
    while (reader.Next(&ev)) {
      ++out->records;
      if (ev.time == kNoTime || ev.time_from_neighbour) ++out->without_time;
      if (ev.zone_assumed) ++out->zone_assumed;
      counter->Add(ev);
    }
    out->lines += reader.lines_read();
    if (mapped) ReleasePages(data, pos, piece_end);
    pos = piece_end;
    arena = Arena();  // nothing points into it any more: the counter copies what it keeps
  }
}

// Counts `data` (a whole file or a chunk of one) on up to `threads` threads into `counter`,
// adding line counts and issues to `report`.
void CountData(std::string_view data, uint64_t base_offset, const FileContext& fc,
               const LoadOptions& load, const RateOptions& opts, uint32_t file_index, int threads,
               bool mapped, WindowCounter* counter, RateFileReport* report) {
  std::vector<std::pair<size_t, size_t>> ranges =
      data.size() < 2 * kPieceBytes ? SplitAtRecords(data, 1) : SplitAtRecords(data, threads);
  std::vector<RangeCount> counts(ranges.size());
  std::vector<WindowCounter> counters;
  counters.reserve(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) counters.emplace_back(opts);
  std::vector<std::thread> pool;
  for (size_t i = 0; i < ranges.size(); ++i) {
    auto run = [&, i] {
      CountRange(data, ranges[i].first, ranges[i].second, base_offset, fc, load, file_index, mapped,
                 &counters[i], &counts[i]);
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
    for (const ParseIssue& issue : c.issues.samples()) {
      if (report->samples.size() >= IssueLog::kMaxIssueSamples) break;
      ParseIssue shifted = issue;
      shifted.line += report->lines;
      report->samples.push_back(std::move(shifted));
    }
    report->malformed += c.issues.count();
    report->lines += c.lines;
    report->records += c.records;
    report->without_time += c.without_time;
    report->zone_assumed += c.zone_assumed;
    counter->Merge(std::move(counters[i]));
  }
}

void Describe(const FileContext& fc, RateFileReport* r) {
  r->format = fc.format ? std::string(fc.format->name()) : "";
  r->confidence = fc.confidence;
  r->year_used = fc.year_used;
  r->year_source = fc.year_source;
}

Status CountBytes(std::string_view data, const std::string& path, int64_t mtime_ns, bool mapped,
                  uint32_t file_index, const FormatRegistry& registry, const LoadOptions& load,
                  const RateOptions& opts, int threads, WindowCounter* counter,
                  RateFileReport* report) {
  report->bytes = data.size();
  INQ_ASSIGN_OR_RETURN(FileContext fc, PrepareFile(data, path, mtime_ns, registry, load));
  Describe(fc, report);
  if (!fc.format) return Status::Ok();
  CountData(data, 0, fc, load, opts, file_index, threads, mapped, counter, report);
  return Status::Ok();
}

Status CountStream(std::unique_ptr<ByteStream> stream, const std::string& path, uint32_t file_index,
                   const FormatRegistry& registry, const LoadOptions& load, const RateOptions& opts,
                   int threads, WindowCounter* counter, RateFileReport* report) {
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
    CountData(chunk, chunks.offset(), fc, load, opts, file_index, threads, /*mapped=*/false,
              counter, report);
  }
  if (chunks.over_limit()) return chunks.error();
  if (!chunks.error().ok()) report->warning = chunks.error();
  return Status::Ok();
}

Result<RateResult> Finish(WindowCounter& counter, std::vector<RateFileReport> files) {
  RateResult r;
  INQ_ASSIGN_OR_RETURN(r.series, counter.Finish());
  r.files = std::move(files);
  r.counted = counter.counted();
  r.filtered = counter.filtered();
  r.untimed = counter.untimed();
  return r;
}

}  // namespace

bool ParseDurationMs(std::string_view v, double bare_unit_ms, double* ms) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '"')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '"')) v.remove_suffix(1);
  if (v.empty()) return false;
  double total = 0;
  size_t i = 0;
  int segments = 0;
  while (i < v.size()) {
    double num = 0;
    bool digits = false;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      num = num * 10 + (v[i++] - '0');
      digits = true;
    }
    if (i < v.size() && v[i] == '.') {
      double scale = 0.1;
      for (++i; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i, scale /= 10) {
        num += (v[i] - '0') * scale;
        digits = true;
      }
    }
    if (!digits) return false;
    size_t u = i;
    while (i < v.size() && !(v[i] >= '0' && v[i] <= '9') && v[i] != '.') ++i;
    std::string_view unit = v.substr(u, i - u);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    double mult;
    if (unit.empty()) {
      if (segments > 0) return false;
      mult = bare_unit_ms;
    } else if (unit == "ms") {
      mult = 1;
    } else if (unit == "s" || unit == "sec" || unit == "secs") {
      mult = 1000;
    } else if (unit == "us" || unit == "µs") {
      mult = 0.001;
    } else if (unit == "ns") {
      mult = 0.000001;
    } else if (unit == "m" || unit == "min") {
      mult = 60'000;
    } else if (unit == "h") {
      mult = 3'600'000;
    } else {
      return false;
    }
    total += num * mult;
    ++segments;
  }
  *ms = total;
  return true;
}

bool EventDurationMs(const Event& e, double* ms) {
  const KeyTable& t = Keys();
  for (const Attr& a : e.attrs) {
    if (a.key.size() >= kMaxKeyLen) continue;
    for (int8_t k : t.by_len[a.key.size()]) {
      if (k < 0) break;
      const DurationKey& dk = kDurationKeys[k];
      if (memcmp(dk.key.data(), a.key.data(), a.key.size()) != 0) continue;
      std::string_view v = a.value;
      // "0.004, 0.002" (nginx, one per upstream tried): the first upstream's time.
      if (size_t comma = v.find(','); comma != std::string_view::npos) v = v.substr(0, comma);
      if (ParseDurationMs(v, dk.bare_unit_ms, ms)) return true;
    }
  }
  return false;
}

Result<RateResult> ComputeRates(const std::vector<std::string>& paths,
                                const FormatRegistry& registry, const LoadOptions& load,
                                const RateOptions& opts, int threads) {
  std::vector<InputPath> in;
  for (const std::string& p : paths) in.push_back({p, false});
  return ComputeRates(in, registry, load, opts, threads);
}

Result<RateResult> ComputeRates(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                                const LoadOptions& load, const RateOptions& opts, int threads) {
  WindowCounter counter(opts);
  std::vector<RateFileReport> files;
  std::vector<std::string> skipped;
  for (size_t i = 0; i < paths.size(); ++i) {
    RateFileReport report;
    report.path = paths[i].path;
    uint32_t index = static_cast<uint32_t>(files.size());
    INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, ByteStream::Open(report.path));
    Status st;
    if (stream->compression() == Compression::kNone) {
      stream.reset();
      INQ_ASSIGN_OR_RETURN(MappedFile map, MappedFile::Open(report.path));
      map.AdviseSequential();
      st = CountBytes(map.data(), report.path, map.mtime_ns(), /*mapped=*/true, index, registry,
                      load, opts, threads, &counter, &report);
    } else {
      st = CountStream(std::move(stream), report.path, index, registry, load, opts, threads,
                       &counter, &report);
    }
    if (!st.ok()) {
      // A file found in a folder that is not a log (change records, notes) is left out; the
      // detection happens before any event is counted.
      if (paths[i].from_dir && st.code() == StatusCode::kBadInput && report.records == 0) {
        skipped.push_back(st.ToString());
        continue;
      }
      return st;
    }
    files.push_back(std::move(report));
  }
  Result<RateResult> r = Finish(counter, std::move(files));
  if (r.ok()) r->skipped = std::move(skipped);
  return r;
}

Result<RateResult> ComputeRates(std::vector<InputFile> inputs, const FormatRegistry& registry,
                                const LoadOptions& load, const RateOptions& opts, int threads) {
  WindowCounter counter(opts);
  std::vector<RateFileReport> files;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RateFileReport report;
    report.path = inputs[i].path();
    report.warning = inputs[i].warning();
    INQ_RETURN_IF_ERROR(CountBytes(inputs[i].data(), inputs[i].path(), inputs[i].mtime_ns(),
                                   /*mapped=*/false, i, registry, load, opts, threads, &counter,
                                   &report));
    files.push_back(std::move(report));
  }
  return Finish(counter, std::move(files));
}

Result<RateResult> RatesOfEvents(std::span<const Event* const> events, const RateOptions& opts) {
  WindowCounter counter(opts);
  for (const Event* e : events) counter.Add(*e);
  return Finish(counter, {});
}

}  // namespace inquest
