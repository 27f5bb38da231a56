#include "analyze/window_pass.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "base/chunk_prefetch.h"
#include "base/decompress.h"
#include "base/input_file.h"

namespace inquest {
namespace {

// [begin, end) of the file, read into the buffer at `at`; `line` is begin's line; a window
// segment keeps only records of the window, a placed one only its first record.
struct Segment {
  uint64_t begin = 0, end = 0;
  uint64_t line = 1;
  bool window = false;
  size_t at = 0, size = 0;
  // A window segment: its span, the offset of its last record start (UINT64_MAX: up to the
  // end), and whether its bytes were cut by the span's cap.
  TimePoint from = kNoTime, to = kNoTime;
  uint64_t last_start = UINT64_MAX;
  bool capped = false;
};

// Fills each segment's bytes into *buf (segments sorted by begin, not overlapping).
Status ReadPlain(const std::string& path, std::vector<Segment>& segs, std::string* buf) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("cannot open: {}", strerror(errno)), path);
  Status st;
  // One allocation for every segment, of the bytes the file holds (a segment may run "to the
  // end"): growing the buffer segment by segment copied it each time.
  struct stat info;
  if (fstat(fd, &info) == 0 && info.st_size > 0) {
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    uint64_t total = 0;
    for (const Segment& s : segs) total += std::min(s.end, size) - std::min(s.begin, size);
    buf->reserve(buf->size() + total);
  }
  for (Segment& s : segs) {
    s.at = buf->size();
    buf->resize(s.at + (s.end - s.begin));
    size_t got = 0;
    while (got < s.end - s.begin) {
      ssize_t r = pread(fd, buf->data() + s.at + got, s.end - s.begin - got,
                        static_cast<off_t>(s.begin + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        st = Status::IoError(
            fmt::format("cannot read at byte {}: {}", s.begin + got, strerror(errno)), path);
        break;
      }
      if (r == 0) break;  // the file shrank: keep what is there
      got += static_cast<size_t>(r);
    }
    buf->resize(s.at + got);
    s.size = got;
    if (!st.ok()) break;
  }
  close(fd);
  return st;
}

// The same for a compressed file: streamed from the start, keeping the segments' bytes (each
// in its own buffer while streaming: segments may overlap).
Status ReadStream(const std::string& path, std::vector<Segment>& segs, std::string* buf) {
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, ByteStream::Open(path));
  ChunkPrefetcher chunks(std::move(stream));
  std::string_view chunk;
  std::vector<std::string> parts(segs.size());
  size_t k = 0;
  while (k < segs.size()) {
    INQ_ASSIGN_OR_RETURN(bool more, chunks.Next(&chunk));
    if (!more) break;
    uint64_t lo = chunks.offset(), hi = lo + chunk.size();
    for (size_t j = k; j < segs.size() && segs[j].begin < hi; ++j) {
      uint64_t from = std::max(segs[j].begin, lo), to = std::min(segs[j].end, hi);
      if (from < to) parts[j].append(chunk.substr(from - lo, to - from));
    }
    while (k < segs.size() && segs[k].end <= hi) ++k;
  }
  if (chunks.over_limit()) return chunks.error();
  size_t total = 0;
  for (const std::string& p : parts) total += p.size();
  buf->reserve(buf->size() + total);
  for (size_t j = 0; j < segs.size(); ++j) {
    segs[j].at = buf->size();
    segs[j].size = parts[j].size();
    buf->append(parts[j]);
    parts[j] = std::string();
  }
  return Status::Ok();
}

}  // namespace

uint64_t WindowBytes(const std::map<int64_t, WindowSpan>& index, int64_t width_ns, TimePoint from,
                     TimePoint to) {
  uint64_t lo = UINT64_MAX, hi = 0;
  for (auto it = index.lower_bound(from == kNoTime ? INT64_MIN : WindowIndex(from, width_ns));
       it != index.end(); ++it) {
    if (to != kNoTime && it->first * width_ns >= to) break;
    lo = std::min(lo, it->second.begin);
    hi = std::max(hi, it->second.last);
  }
  return lo > hi ? 0 : hi - lo;
}

Result<std::unique_ptr<LogFile>> ReadWindow(const std::string& path, uint32_t file_index,
                                            const FileContext& fc, const FieldNames* fields,
                                            const std::map<int64_t, WindowSpan>& index,
                                            const WindowRequest& req,
                                            std::vector<HeldLines>* held) {
  auto f = std::make_unique<LogFile>();
  f->path = path;
  f->format = fc.format;
  f->confidence = fc.confidence;
  f->issues = IssueLog(path);
  f->path_service = fc.service;
  if (!fc.format) return f;

  std::vector<Segment> segs;
  uint64_t records = 0;
  for (const TimeSpan& span : req.spans) {
    Segment win;
    win.window = true;
    win.from = span.from;
    win.to = span.to;
    if (req.whole_file) {
      // No index to go by: the file from its start, up to the span's cap.
      win.begin = 0;
      if (span.max_bytes != UINT64_MAX) {
        win.capped = true;
        win.last_start = span.max_bytes;
      }
      win.end = span.max_bytes;
      segs.push_back(win);
      continue;
    }
    uint64_t lo = UINT64_MAX, last = 0, line = 1, n = 0;
    auto it = span.from == kNoTime ? index.begin()
                                   : index.lower_bound(WindowIndex(span.from, req.width_ns));
    for (; it != index.end(); ++it) {
      if (span.to != kNoTime && it->first * req.width_ns >= span.to) break;
      if (it->second.begin < lo) {
        lo = it->second.begin;
        line = it->second.line;
      }
      last = std::max(last, it->second.last);
      n += it->second.records;
    }
    if (lo == UINT64_MAX) continue;
    win.begin = lo;
    win.line = line;
    if (last - lo > span.max_bytes) {
      win.capped = true;
      last = lo + span.max_bytes;  // read up to here, the last whole line before it
      n = std::min<uint64_t>(n, span.max_bytes / 64);
    }
    win.last_start = last;
    win.end = last + kMaxRecordTailBytes;
    records += n;
    segs.push_back(win);
  }
  f->events.reserve(records + req.places.size());
  std::unordered_set<uint64_t> in_span;  // places the windows' bytes hold
  for (const RecordPlace& p : req.places) {
    // Within a window's records (not the tail of bytes read past its last record start).
    bool inside = false;
    for (const Segment& w : segs)
      inside |= w.window && p.offset >= w.begin && p.offset <= w.last_start;
    if (inside) {
      in_span.insert(p.offset);
      continue;
    }
    Segment s;
    s.begin = p.offset;
    s.end = p.offset + kMaxPlacedRecordBytes;
    s.line = p.line;
    segs.push_back(s);
  }
  std::sort(segs.begin(), segs.end(),
            [](const Segment& a, const Segment& b) { return a.begin < b.begin; });
  // Placed records overlapping the next segment are cut where it starts.
  for (size_t i = 0; i + 1 < segs.size(); ++i)
    if (!segs[i].window && segs[i].end > segs[i + 1].begin) segs[i].end = segs[i + 1].begin;
  if (segs.empty()) return f;

  std::string buf;
  Status st;
  {
    INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> probe, ByteStream::Open(path));
    bool plain = probe->compression() == Compression::kNone;
    probe.reset();
    st = plain ? ReadPlain(path, segs, &buf) : ReadStream(path, segs, &buf);
  }
  if (!st.ok()) return st;
  f->input = InputFile::FromString(std::move(buf), path);
  std::string_view data = f->input.data();

  ParseContext ctx;
  ctx.arena = &f->arena;
  ctx.time = fc.time;
  ctx.fields = fields ? fields : &DefaultFieldNames();
  if (fc.fields) ctx.fields = fc.fields.get();
  ctx.service = f->path_service;  // owned by the LogFile: records keep views of it
  std::vector<Event> placed;
  for (const Segment& s : segs) {
    std::string_view bytes = data.substr(s.at, s.size);
    if (s.window && s.last_start != UINT64_MAX) {
      uint64_t last_start = s.last_start - s.begin;
      if (s.capped) {
        // Cut at the last line end before the cap: the records after it are not read.
        size_t nl = bytes.substr(0, std::min<uint64_t>(last_start, bytes.size())).rfind('\n');
        bytes = bytes.substr(0, nl == std::string_view::npos ? 0 : nl + 1);
      } else if (last_start < bytes.size()) {
        // The segment runs past its last record start: cut after the record that starts there.
        bytes = bytes.substr(0, NextRecordStart(bytes, static_cast<size_t>(last_start) + 1));
      }
    }
    if (held && s.window && !bytes.empty()) held->push_back({s.line, bytes});
    LogReader reader(bytes, *fc.format, ctx, file_index, &f->issues, s.line, s.begin);
    Event ev;
    TimePoint last_time = kNoTime;
    while (reader.Next(&ev)) {
      if (ev.time == kNoTime && last_time != kNoTime) {
        ev.time = last_time;
        ev.time_from_neighbour = true;
      }
      if (ev.time != kNoTime) last_time = ev.time;
      if (!s.window) {
        placed.push_back(ev);
        break;
      }
      if (ev.time == kNoTime) continue;
      if ((s.from != kNoTime && ev.time < s.from) || (s.to != kNoTime && ev.time >= s.to)) {
        // A placed record among the window's bytes but out of its time (the file is not
        // quite in order): still wanted.
        if (in_span.count(ev.offset)) placed.push_back(ev);
        continue;
      }
      f->events.push_back(ev);
    }
    if (s.window) {
      f->stats.lines += reader.lines_read();
      f->stats.malformed += reader.malformed();
    }
  }
  f->stats.records = f->events.size();
  for (Event& e : placed) f->events.push_back(e);
  return f;
}

}  // namespace inquest
