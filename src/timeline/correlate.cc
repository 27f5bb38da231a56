#include "timeline/correlate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <thread>

#include "base/find.h"
#include "timeline/file_scan.h"

namespace inquest {
namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c == '_'; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool EqualFolded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

// The spellings of `id` the raw search looks for: the id itself, and for a hex id its lower
// and upper case forms (distinct ones only).
std::vector<std::string> Spellings(std::string_view id) {
  std::vector<std::string> out = {std::string(id)};
  if (!IsHexId(id)) return out;
  std::string lower(id), upper(id);
  for (char& c : lower) c = Lower(c);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string* v : {&lower, &upper})
    if (std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(std::move(*v));
  return out;
}

// The earliest occurrence of any spelling in `hay`, or null.
const char* FindAny(std::string_view hay, const std::vector<std::string>& spellings) {
  const char* best = nullptr;
  for (const std::string& s : spellings) {
    std::string_view within = best ? hay.substr(0, best - hay.data() + s.size() - 1) : hay;
    if (const char* p = FindSubstring(within, s); p && (!best || p < best)) best = p;
  }
  return best;
}

bool IsContinuation(const LogFormat& format, std::string_view line, const ParseContext& ctx,
                    Event* scratch, std::string* why) {
  scratch->Clear();
  LineKind k = format.ParseLine(line, ctx, scratch, why);
  if (k == LineKind::kContinuation) return true;
  return k == LineKind::kMalformed && format.allows_continuations() && LooksLikeContinuation(line);
}

std::string_view LineAt(std::string_view data, size_t start) {
  size_t end = data.find('\n', start);
  std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

size_t LineStartBefore(std::string_view data, size_t pos, size_t floor) {
  while (pos > floor && data[pos - 1] != '\n') --pos;
  return pos;
}

struct ThreadScan {
  std::vector<Event> events;  // `line` relative to the range's first line (1-based)
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();
  IssueLog issues{""};
  uint64_t hits = 0, parsed = 0, not_token = 0;
  uint64_t newlines = 0;  // in the whole range, for the line numbers of the ranges after it
};

void ScanRange(std::string_view data, size_t begin, size_t end, std::string_view id,
               const LogFormat& format, ParseContext ctx, uint32_t file_index, ThreadScan* out) {
  ctx.arena = out->arena.get();
  Event scratch, ev;
  std::string why;
  size_t pos = begin;
  size_t parsed_end = begin;  // bytes before this belong to records already parsed
  size_t counted = begin;     // newlines counted up to here
  uint64_t line_no = 1;       // line number (relative to the range) at `counted`
  const size_t search_end = std::min(data.size(), end + id.size() - 1);
  const std::vector<std::string> spellings = Spellings(id);
  while (pos < end) {
    // FindSubstring: see bench/find_benchmark.cc for why not memmem.
    const char* found = FindAny(data.substr(pos, search_end - pos), spellings);
    if (!found) break;
    size_t hit = static_cast<const char*>(found) - data.data();
    if (hit >= end) break;
    ++out->hits;
    if (hit < parsed_end) {
      pos = hit + 1;
      continue;
    }
    size_t start = LineStartBefore(data, hit, 0);
    // Back up over continuation lines to the record's first line.
    for (uint32_t n = 0; n < kMaxRecordLines && start > parsed_end && start > 0; ++n) {
      if (!IsContinuation(format, LineAt(data, start), ctx, &scratch, &why)) break;
      start = LineStartBefore(data, start - 1, 0);
    }
    if (start < parsed_end) start = parsed_end;
    if (start >= counted) {
      line_no += CountNewlines(data.data() + counted, data.data() + start);
      counted = start;
    } else {
      // The record began in the range before ours: its line number is negative relative to the
      // range; count backwards.
      line_no -= CountNewlines(data.data() + start, data.data() + counted);
      counted = start;
    }
    LogReader reader(data.substr(start), format, ctx, file_index, &out->issues, line_no, start);
    ev.Clear();
    bool got = reader.Next(&ev);
    ++out->parsed;
    size_t rec_end = got ? ev.offset + ev.raw.size() : hit + id.size();
    if (got && ev.offset <= hit && hit < rec_end) {
      if (EventMatchesId(ev, id)) {
        out->events.push_back(ev);
      } else {
        ++out->not_token;
      }
    }
    parsed_end = std::max(rec_end, hit + 1);
    pos = parsed_end;
  }
  // The ranges after this one number their lines from its end: count the rest here, on this
  // thread, rather than on one thread after the join.
  if (counted <= end) {
    out->newlines = line_no - 1 + CountNewlines(data.data() + counted, data.data() + end);
  } else {
    out->newlines = line_no - 1 - CountNewlines(data.data() + end, data.data() + counted);
  }
}

}  // namespace

bool IsHexId(std::string_view id) {
  size_t digits = 0;
  for (char c : id) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '-') {
      return false;
    }
  }
  return digits >= kMinHexIdDigits && id.front() != '-' && id.back() != '-';
}

bool SameId(std::string_view value, std::string_view id) {
  if (value == id) return true;
  return value.size() == id.size() && IsHexId(id) && IsHexId(value) && EqualFolded(value, id);
}

bool ContainsToken(std::string_view text, std::string_view id) {
  if (id.empty() || text.size() < id.size()) return false;
  const std::vector<std::string> spellings = Spellings(id);
  size_t from = 0;
  while (true) {
    const char* p = FindAny(text.substr(from), spellings);
    if (!p) return false;
    size_t at = static_cast<const char*>(p) - text.data();
    size_t after = at + id.size();
    bool left_ok = at == 0 || !IsWordByte(text[at - 1]);
    bool right_ok = after >= text.size() || (!IsWordByte(text[after]) && text[after] != '-');
    if (left_ok && right_ok) return true;
    from = at + 1;
    if (text.size() - from < id.size()) return false;
  }
}

bool EventMatchesId(const Event& e, std::string_view id) {
  if (id.empty()) return false;
  if (SameId(e.request_id, id) || SameId(e.trace_id, id) || SameId(e.span_id, id)) return true;
  for (const Attr& a : e.attrs)
    if (SameId(a.value, id)) return true;
  return ContainsToken(e.raw.empty() ? e.message : e.raw, id);
}

size_t RequestTimeline::slow_gaps() const {
  return std::count_if(steps.begin(), steps.end(), [](const RequestStep& s) { return s.slow; });
}

RequestTimeline BuildRequestTimeline(std::span<const Event* const> events, std::string_view id,
                                     int64_t slow_gap_ns) {
  RequestTimeline t;
  t.id = std::string(id);
  TimePoint prev = kNoTime;
  for (const Event* e : events) {
    RequestStep s;
    s.event = e;
    if (e->time != kNoTime) {
      if (prev != kNoTime) {
        s.gap_ns = e->time - prev;
        s.slow = s.gap_ns >= slow_gap_ns;
      }
      prev = e->time;
      if (t.start == kNoTime || e->time < t.start) t.start = e->time;
      if (t.end == kNoTime || e->time > t.end) t.end = e->time;
    }
    if (!e->service.empty() &&
        std::find(t.services.begin(), t.services.end(), e->service) == t.services.end())
      t.services.emplace_back(e->service);
    t.steps.push_back(s);
  }
  return t;
}

RequestTimeline MatchRequest(std::span<const Event* const> events, std::string_view id,
                             int64_t slow_gap_ns) {
  std::vector<const Event*> kept;
  for (const Event* e : events)
    if (EventMatchesId(*e, id)) kept.push_back(e);
  return BuildRequestTimeline(kept, id, slow_gap_ns);
}

Result<std::unique_ptr<IdScan>> ScanFileForId(const std::string& path, uint32_t file_index,
                                              std::string_view id, const FormatRegistry& registry,
                                              const LoadOptions& opts) {
  INQ_ASSIGN_OR_RETURN(InputFile in, InputFile::Open(path));
  return ScanFileForId(std::move(in), file_index, id, registry, opts);
}

Result<std::unique_ptr<IdScan>> ScanFileForId(InputFile input, uint32_t file_index,
                                              std::string_view id, const FormatRegistry& registry,
                                              const LoadOptions& opts) {
  if (id.empty()) return Status::InvalidArgument("empty request id");
  auto scan = std::make_unique<IdScan>();
  scan->path = input.path();
  scan->issues = IssueLog(scan->path);
  scan->input = std::move(input);
  std::string_view data = scan->input.data();

  INQ_ASSIGN_OR_RETURN(FileContext fc,
                       PrepareFile(data, scan->path, scan->input.mtime_ns(), registry, opts));
  if (!fc.format) return scan;  // an empty file holds no request
  scan->format = fc.format;
  scan->confidence = fc.confidence;
  scan->year_used = fc.year_used;
  scan->year_source = fc.year_source;
  ParseContext ctx;
  ctx.time = fc.time;
  if (opts.fields) ctx.fields = opts.fields;
  if (fc.fields) ctx.fields = fc.fields.get();
  scan->path_service = fc.service;  // the events outlive fc
  ctx.service = scan->path_service;

  std::vector<std::pair<size_t, size_t>> ranges = SplitAtRecords(data, WorkerThreads(kScanThreads));
  std::vector<ThreadScan> parts(ranges.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ranges.size(); ++i) {
    parts[i].issues = IssueLog(scan->path);
    auto run = [&, i] {
      ScanRange(data, ranges[i].first, ranges[i].second, id, *scan->format, ctx, file_index,
                &parts[i]);
    };
    if (i + 1 == ranges.size()) {
      run();
    } else {
      threads.emplace_back(run);
    }
  }
  for (std::thread& t : threads) t.join();

  // Line numbers were relative to each range: shift by the lines of the ranges before.
  uint64_t lines_before = 0;
  uint64_t last_offset_plus_one = 0;  // dedupe records found by two threads
  for (size_t i = 0; i < parts.size(); ++i) {
    ThreadScan& p = parts[i];
    scan->hits += p.hits;
    scan->records_parsed += p.parsed;
    scan->not_token += p.not_token;
    for (Event& e : p.events) {
      if (e.offset + 1 <= last_offset_plus_one) continue;
      e.line += lines_before;
      last_offset_plus_one = e.offset + 1;
      scan->events.push_back(std::move(e));
    }
    for (const ParseIssue& issue : p.issues.samples())
      scan->issues.Add(issue.line + lines_before, issue.offset, issue.reason);
    scan->malformed += p.issues.count();
    lines_before += p.newlines;
    scan->arenas.push_back(std::move(p.arena));
  }
  return scan;
}

}  // namespace inquest
