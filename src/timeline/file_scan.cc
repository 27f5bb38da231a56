#include "timeline/file_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "base/strings.h"
#include "logs/field_inference.h"
#include "logs/path_service.h"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace inquest {

Result<FileContext> PrepareFile(std::string_view data, const std::string& path, int64_t mtime_ns,
                                const FormatRegistry& registry, const LoadOptions& opts) {
  FileContext fc;
  fc.time.zone = opts.zone;
  fc.service = ServiceFromPath(path);
  Arena arena;
  ParseContext ctx;
  ctx.time = fc.time;
  ctx.arena = &arena;
  if (opts.fields) ctx.fields = opts.fields;
  if (opts.format) {
    fc.format = opts.format;
    fc.confidence = 1;
  } else {
    Detection d = registry.Detect(data, ctx);
    if (!d.format) {
      if (HeadLines(data, 1).empty()) return fc;
      return Status::BadInput(
          fmt::format("no log format matches this file (best score {:.2f})", d.score),
          SourceLocation{path});
    }
    fc.format = d.format;
    fc.confidence = d.score;
  }
  if (fc.format->keyed_fields()) {
    FieldInference inferred = InferFields(*fc.format, data, ctx);
    if (inferred.names) {
      fc.fields = std::move(inferred.names);
      ctx.fields = fc.fields.get();
    }
  }
  // Does the format need a year? Parse the head with no default year: a year-less format then
  // lands in 1970. A file named after the host its records name ("web17-0.txt" of host web17)
  // names no service (as LoadLogFile decides).
  bool needs_year = false, year_known = false;
  Event ev;
  std::string why;
  for (std::string_view line : HeadLines(data, kProbeLines)) {
    ev.Clear();
    if (fc.format->ParseLine(line, ctx, &ev, &why) != LineKind::kRecord) continue;
    if (!fc.service.empty() && EqualsIgnoreCase(ev.host, fc.service)) fc.service.clear();
    if (!year_known && ev.time != kNoTime) {
      needs_year = YearOf(ev.time) == 1970;
      year_known = true;
    }
  }
  if (!needs_year) return fc;
  if (opts.year != 0) {
    fc.year_used = opts.year;
    fc.year_source = "--year";
  } else if (opts.year_hint != 0) {
    fc.year_used = opts.year_hint;
    fc.year_source = "other files";
  } else if (mtime_ns > 0) {
    fc.year_used = YearOf(mtime_ns);
    fc.year_source = "file modification time";
  }
  fc.time.default_year = fc.year_used;
  return fc;
}

size_t NextRecordStart(std::string_view data, size_t pos) {
  if (pos == 0) return 0;
  if (pos >= data.size()) return data.size();
  // Move to the start of the next line unless already at one.
  if (data[pos - 1] != '\n') {
    const void* nl = memchr(data.data() + pos, '\n', data.size() - pos);
    if (!nl) return data.size();
    pos = static_cast<const char*>(nl) - data.data() + 1;
  }
  for (uint32_t n = 0; n < kMaxRecordLines && pos < data.size(); ++n) {
    size_t end = data.find('\n', pos);
    std::string_view line = data.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (!LooksLikeContinuation(line)) return pos;
    if (end == std::string_view::npos) return data.size();
    pos = end + 1;
  }
  return std::min(pos, data.size());
}

std::vector<std::pair<size_t, size_t>> SplitAtRecords(std::string_view data, size_t parts) {
  std::vector<std::pair<size_t, size_t>> out;
  if (parts == 0) parts = 1;
  size_t begin = 0;
  for (size_t i = 1; i <= parts && begin < data.size(); ++i) {
    size_t end = i == parts ? data.size() : NextRecordStart(data, data.size() / parts * i);
    if (end <= begin) continue;
    out.emplace_back(begin, end);
    begin = end;
  }
  if (begin < data.size()) {
    if (out.empty()) {
      out.emplace_back(begin, data.size());
    } else {
      out.back().second = data.size();
    }
  }
  return out;
}

uint64_t CountNewlines(const char* p, const char* end) {
  uint64_t n = 0;
#if defined(__AVX2__)
  const __m256i nl32 = _mm256_set1_epi8('\n');
  while (end - p >= 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    n +=
        __builtin_popcount(static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl32))));
    p += 32;
  }
#endif
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    n += __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))));
    p += 16;
  }
#endif
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

int WorkerThreads(int cap) {
  unsigned n = std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  return std::max(1, std::min<int>(cap, static_cast<int>(n)));
}

}  // namespace inquest
