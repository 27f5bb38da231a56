#include "traces/span_set.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "base/find.h"
#include "base/input_file.h"
#include "base/strings.h"
#include "traces/json_read.h"

namespace inquest {
namespace {

namespace od = simdjson::ondemand;
using traces_internal::ReadContext;

// Documents of a file are parsed in batches of this size (simdjson's document stream); a
// document larger than a batch (a whole 1 GiB export in one object) gets a batch of its own.
constexpr size_t kBatchBytes = 64 << 20;

bool Contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

simdjson::error_code ReadDocument(od::document_reference doc, TraceFormat format,
                                  const ReadContext& ctx) {
  switch (format) {
    case TraceFormat::kOtlp:
      return traces_internal::ReadOtlpDocument(doc, ctx);
    case TraceFormat::kJaeger:
      return traces_internal::ReadJaegerDocument(doc, ctx);
    default:
      return traces_internal::ReadZipkinDocument(doc, ctx);
  }
}

// Reads what can be read of a document that starts at `from` and breaks off (or goes bad)
// before `limit`: the text up to the last '}' before `limit` (the end of the last whole span,
// if any) is closed with the brackets still open, read, and `why` is reported at the cut.
// simdjson refuses a document whose brackets do not balance, hence the repaired copy (kept by
// the set: the spans point into it).
void ReadTruncated(std::string_view data, size_t from, size_t limit, TraceFormat format,
                   const ReadContext& ctx, std::string_view why) {
  size_t cut = data.substr(0, limit).rfind('}');
  if (cut != std::string_view::npos && cut >= from) {
    std::string_view prefix = data.substr(from, cut + 1 - from);
    std::string open;
    bool in_string = false, escaped = false;
    for (char c : prefix) {
      if (in_string) {
        if (escaped)
          escaped = false;
        else if (c == '\\')
          escaped = true;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        open.push_back(c);
      } else if ((c == '}' || c == ']') && !open.empty()) {
        open.pop_back();
      }
    }
    if (!in_string) {
      auto repaired = std::make_unique<std::string>();
      repaired->reserve(prefix.size() + open.size() + simdjson::SIMDJSON_PADDING);
      repaired->assign(prefix);
      for (auto it = open.rbegin(); it != open.rend(); ++it)
        repaired->push_back(*it == '{' ? '}' : ']');
      std::string_view text = *repaired;
      ctx.set->Own(std::move(repaired));
      ReadContext sub = ctx;
      sub.base = text.data();
      sub.shift = from;
      od::parser parser;
      od::document doc;
      if (!parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)
               .get(doc)) {
        od::document_reference ref(doc);
        (void)ReadDocument(ref, format, sub);
      }
    }
  }
  ctx.set->AddIssue(ctx.file, limit, {},
                    fmt::format("{}; the spans before byte {} are kept", why,
                                cut == std::string_view::npos || cut < from ? from : cut + 1));
}

}  // namespace

std::string_view SpanSet::Attribute(const Span& s, std::string_view key) const {
  for (const SpanAttr& a : AttrsOf(s))
    if (a.key == key) return a.value;
  return {};
}

void SpanSet::AddIssue(uint32_t file, uint64_t offset, std::string span, std::string message) {
  ++issue_count;
  if (issues.size() < kMaxTraceIssues)
    issues.push_back(TraceIssue{file, offset, std::move(span), std::move(message)});
}

std::string SpanSet::IssueText(const TraceIssue& i) const {
  std::string_view path = i.file < files.size() ? std::string_view(files[i.file].path) : "?";
  if (i.span.empty()) return fmt::format("{}: byte {}: {}", path, i.offset, i.message);
  return fmt::format("{}: byte {}: span {}: {}", path, i.offset, i.span, i.message);
}

std::string SpanSet::SpanSource(const Span& s) const {
  std::string_view path = s.file < files.size() ? std::string_view(files[s.file].path) : "?";
  return fmt::format("{}: span {}", path, SpanLabel(s));
}

double ProbeTraceFile(std::string_view head, TraceFormat* format) {
  TraceFormat f = TraceFormat::kUnknown;
  double score = 0;
  size_t b = head.find_first_not_of(" \t\r\n");
  if (b != std::string_view::npos) {
    char first = head[b];
    if (first == '{' &&
        (Contains(head, "\"resourceSpans\"") ||
         (Contains(head, "\"batches\"") && (Contains(head, "\"scopeSpans\"") ||
                                            Contains(head, "\"instrumentationLibrarySpans\""))))) {
      f = TraceFormat::kOtlp;
      score = 1.0;
    } else if (first == '{' && Contains(head, "\"traceID\"") && Contains(head, "\"spanID\"") &&
               Contains(head, "\"operationName\"")) {
      f = TraceFormat::kJaeger;
      score = 1.0;
    } else if (first == '[' && Contains(head, "\"traceId\"") && Contains(head, "\"id\"") &&
               !Contains(head, "\"resourceSpans\"")) {
      // Zipkin spans also carry "timestamp" or "name"; without either the guess is weaker.
      f = TraceFormat::kZipkin;
      score = Contains(head, "\"timestamp\"") || Contains(head, "\"localEndpoint\"") ? 1.0 : 0.6;
    }
  }
  if (format) *format = f;
  return score;
}

namespace {

// Reads `data`, which is followed by at least SIMDJSON_PADDING readable bytes and stays alive
// as long as the set.
Status ReadPadded(std::string_view name, std::string_view data, SpanSet* set,
                  TraceFormat force = TraceFormat::kUnknown, std::string_view only_id = {});

}  // namespace

Status ReadTraceBytes(std::string_view name, std::string_view bytes, SpanSet* set,
                      TraceFormat force) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer the
  // set keeps (its views point into it).
  auto buf = std::make_unique<std::string>();
  buf->reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
  buf->assign(bytes);
  std::string_view data = *buf;
  set->Own(std::move(buf));
  return ReadPadded(name, data, set, force);
}

namespace {

std::string ToUpper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// The texts a trace id can be written as in a file: hex in either case, base64 of its bytes
// (OTLP), or the text itself (an id that is not hex).
std::vector<std::string> IdNeedles(std::string_view id) {
  std::vector<std::string> out = {std::string(id)};
  TraceId t;
  if (!ParseHexTraceId(id, &t)) return out;
  std::string hex = FormatTraceId(t);
  out = {hex, ToUpper(hex)};
  if (hex.size() == 32) {
    uint8_t b[16];
    for (int i = 0; i < 8; ++i) {
      b[i] = static_cast<uint8_t>(t.hi >> (56 - 8 * i));
      b[8 + i] = static_cast<uint8_t>(t.lo >> (56 - 8 * i));
    }
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    for (int i = 0; i < 16; i += 3) {
      uint32_t v = b[i] << 16 | (i + 1 < 16 ? b[i + 1] << 8 : 0) | (i + 2 < 16 ? b[i + 2] : 0);
      b64 += kAlphabet[v >> 18 & 63];
      b64 += kAlphabet[v >> 12 & 63];
      if (i + 1 < 16) b64 += kAlphabet[v >> 6 & 63];
      if (i + 2 < 16) b64 += kAlphabet[v & 63];
    }
    out.push_back(b64);  // the padding ("==") may or may not follow
  }
  return out;
}

// Whether the file is JSON lines: its first line is a whole JSON document.
bool FirstLineIsDocument(std::string_view data) {
  size_t end = data.find('\n');
  if (end == std::string_view::npos || end + 1 >= data.size()) return false;
  std::string_view line = TrimSpace(data.substr(0, end));
  if (line.empty() || (line.front() != '{' && line.front() != '[')) return false;
  od::parser parser;
  od::document doc;
  if (parser.iterate(line.data(), line.size(), data.size() - (line.data() - data.data())).get(doc))
    return false;
  std::string_view raw;
  return !doc.raw_json().get(raw) && raw.size() >= line.size() - 1;
}

// The lines of a JSON-lines file that mention the id, each read as one document.
void ReadLinesWithId(std::string_view data, std::string_view id, TraceFormat format,
                     const ReadContext& ctx) {
  std::vector<std::pair<size_t, size_t>> lines;
  for (const std::string& needle : IdNeedles(id)) {
    size_t pos = 0;
    while (pos < data.size()) {
      const char* hit = FindSubstring(data.substr(pos), needle);
      if (!hit) break;
      size_t at = static_cast<size_t>(hit - data.data());
      size_t b = data.rfind('\n', at);
      b = b == std::string_view::npos ? 0 : b + 1;
      size_t e = data.find('\n', at);
      e = e == std::string_view::npos ? data.size() : e;
      lines.emplace_back(b, e);
      pos = e;
    }
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  od::parser parser;
  for (auto [b, e] : lines) {
    od::document doc;
    simdjson::error_code err =
        parser.iterate(data.data() + b, e - b, data.size() - b + simdjson::SIMDJSON_PADDING)
            .get(doc);
    if (!err) {
      od::document_reference ref(doc);
      err = ReadDocument(ref, format, ctx);
    }
    if (err)
      ctx.set->AddIssue(
          ctx.file, b, {},
          fmt::format("invalid JSON ({}) in the line", traces_internal::JsonError(err)));
  }
}

Status ReadSequential(std::string_view name, std::string_view data, SpanSet* set, TraceFormat force,
                      std::string_view only_id) {
  // Room for the spans and attributes of a typical export (about 1 KiB and 8 attributes per
  // span), so that the pools do not grow by copying; untouched capacity costs no memory.
  set->spans.reserve(set->spans.size() + data.size() / 1024);
  set->attrs.reserve(set->attrs.size() + data.size() / 128);
  TraceFormat format = force;
  if (force == TraceFormat::kUnknown && ProbeTraceFile(data.substr(0, 1 << 20), &format) == 0)
    return Status::BadInput(
        "not a trace export (OTLP JSON with resourceSpans, Jaeger JSON, or Zipkin v2 JSON)",
        SourceLocation{std::string(name)});
  uint32_t file = static_cast<uint32_t>(set->files.size());
  set->files.push_back(TraceFileInfo{std::string(name), format, data.size()});
  ReadContext ctx{set, file, data.data()};

  if (!only_id.empty() && FirstLineIsDocument(data)) {
    ReadLinesWithId(data, only_id, format, ctx);
    return Status::Ok();
  }
  od::parser parser;
  size_t pos = 0;  // start of the documents not yet read
  size_t batch = std::min(std::max(data.size(), size_t{1024}), kBatchBytes);
  while (pos < data.size()) {
    std::string_view rest = data.substr(pos);
    if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) break;
    od::document_stream stream;
    if (auto err = parser
                       .iterate_many(rest.data(), rest.size(),
                                     std::max(batch, std::min(rest.size(), size_t{1024})))
                       .get(stream)) {
      if (set->files[file].spans == 0) {
        set->files.pop_back();
        return Status::BadInput(fmt::format("invalid JSON: {}", simdjson::error_message(err)),
                                SourceLocation{std::string(name), 0, pos, true});
      }
      set->AddIssue(file, pos, {}, fmt::format("invalid JSON: {}", simdjson::error_message(err)));
      break;
    }
    bool retry = false;
    size_t doc_start = pos;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      doc_start = pos + it.current_index();
      od::document_reference doc;
      simdjson::error_code err = (*it).get(doc);
      bool have_doc = !err;
      if (err == simdjson::CAPACITY && batch < rest.size()) {
        // A document larger than the batch: read from it on with one batch for all the rest.
        pos = doc_start;
        batch = data.size() - pos;
        retry = true;
        break;
      }
      size_t before = set->spans.size() + set->files[file].skipped;
      if (!err) err = ReadDocument(doc, format, ctx);
      if (err) {
        uint64_t at = data.size();
        const char* where = nullptr;
        if (have_doc && doc.current_location().get(where) == simdjson::SUCCESS &&
            where >= data.data() && where <= data.data() + data.size())
          at = static_cast<uint64_t>(where - data.data());
        std::string why = fmt::format("invalid JSON ({}); the rest of the file is not read",
                                      traces_internal::JsonError(err));
        if (set->spans.size() + set->files[file].skipped == before)
          ReadTruncated(data, doc_start, at, format, ctx, why);
        else
          set->AddIssue(file, at, {}, why);
        if (set->files[file].spans == 0 && set->files[file].skipped == 0) {
          Status s =
              Status::BadInput(fmt::format("not readable as {} JSON: {}", TraceFormatName(format),
                                           traces_internal::JsonError(err)),
                               SourceLocation{std::string(name), 0, doc_start, true});
          set->issues.pop_back();
          --set->issue_count;
          set->files.pop_back();
          return s;
        }
        return Status::Ok();
      }
    }
    if (!retry) {
      // A last document that breaks off is not handed out by the stream; read what it holds.
      if (stream.truncated_bytes() > 0)
        ReadTruncated(data, data.size() - stream.truncated_bytes(), data.size(), format, ctx,
                      "the JSON breaks off at the end of the file (truncated?)");
      break;
    }
  }
  return Status::Ok();
}

// JSON-lines exports at least this large are read on two threads, one half each: below it the
// thread start and the merge cost more than they save.
constexpr size_t kSplitReadBytes = 64 << 20;

// Reads the documents of data[from, to) (whole lines of a JSON-lines file) into *set as file
// `file`, with offsets relative to `data`. False when any document could not be read.
bool ReadLineRange(std::string_view data, size_t from, size_t to, TraceFormat format, SpanSet* set,
                   uint32_t file) {
  ReadContext ctx{set, file, data.data()};
  od::parser parser;
  od::document_stream stream;
  std::string_view part = data.substr(from, to - from);
  if (parser.iterate_many(part.data(), part.size(), kBatchBytes).get(stream)) return false;
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    od::document_reference doc;
    if ((*it).get(doc) || ReadDocument(doc, format, ctx)) return false;
  }
  return stream.truncated_bytes() == 0 && set->issue_count == 0;
}

// Appends the spans of `other` (read as file 0) to *set as file `file`; `other` keeps owning
// the bytes its views point into and is kept alive by *set.
void MergeSpans(SpanSet&& other, uint32_t file, SpanSet* set) {
  const auto attrs = static_cast<uint32_t>(set->attrs.size());
  const auto events = static_cast<uint32_t>(set->events.size());
  const auto links = static_cast<uint32_t>(set->links.size());
  for (Span& s : other.spans) {
    s.attr_begin += attrs;
    s.event_begin += events;
    s.link_begin += links;
    s.file = file;
  }
  for (SpanEvent& e : other.events) e.attr_begin += attrs;
  set->spans.insert(set->spans.end(), other.spans.begin(), other.spans.end());
  set->attrs.insert(set->attrs.end(), other.attrs.begin(), other.attrs.end());
  set->events.insert(set->events.end(), other.events.begin(), other.events.end());
  set->links.insert(set->links.end(), other.links.begin(), other.links.end());
  set->files[file].spans += other.files[0].spans;
  set->files[file].skipped += other.files[0].skipped;
  set->OwnObject(std::make_shared<SpanSet>(std::move(other)));
}

// A large JSON-lines export is read as two halves on two threads; anything unusual in either
// half (a broken line, a truncated end) sends the whole file to the sequential reader, which
// reports it exactly.
Status ReadPadded(std::string_view name, std::string_view data, SpanSet* set, TraceFormat force,
                  std::string_view only_id) {
  TraceFormat format = force;
  if (!only_id.empty() || data.size() < kSplitReadBytes || !FirstLineIsDocument(data) ||
      (force == TraceFormat::kUnknown && ProbeTraceFile(data.substr(0, 1 << 20), &format) == 0))
    return ReadSequential(name, data, set, force, only_id);
  size_t mid = data.find('\n', data.size() / 2);
  if (mid == std::string_view::npos) return ReadSequential(name, data, set, force, only_id);
  ++mid;

  const size_t spans = set->spans.size(), attrs = set->attrs.size(), events = set->events.size(),
               links = set->links.size();
  const uint64_t issue_count = set->issue_count;
  const size_t issues = set->issues.size();
  const auto file = static_cast<uint32_t>(set->files.size());
  set->files.push_back(TraceFileInfo{std::string(name), format, data.size()});

  // Room for a typical export's spans and attributes (as ReadSequential reserves).
  set->spans.reserve(spans + data.size() / 1024);
  set->attrs.reserve(attrs + data.size() / 128);
  SpanSet second;
  second.spans.reserve(data.size() / 2048);
  second.attrs.reserve(data.size() / 256);
  second.files.push_back(TraceFileInfo{std::string(name), format, data.size()});
  bool second_ok = false;
  std::thread worker(
      [&] { second_ok = ReadLineRange(data, mid, data.size(), format, &second, 0); });
  set->issue_count = 0;  // the first half's own issues, counted apart from earlier files'
  bool first_ok = ReadLineRange(data, 0, mid, format, set, file);
  first_ok = first_ok && set->issue_count == 0;
  worker.join();
  set->issue_count += issue_count;
  if (first_ok && second_ok) {
    MergeSpans(std::move(second), file, set);
    return Status::Ok();
  }
  // Undo the first half and read the file again, in one pass, to report what is wrong.
  set->spans.resize(spans);
  set->attrs.resize(attrs);
  set->events.resize(events);
  set->links.resize(links);
  set->issues.resize(issues);
  set->issue_count = issue_count;
  set->files.pop_back();
  return ReadSequential(name, data, set, force, only_id);
}

}  // namespace

Status ReadTraceFile(const std::string& path, SpanSet* set, std::string_view only_id) {
  INQ_ASSIGN_OR_RETURN(InputFile opened, InputFile::Open(path));
  auto file = std::make_shared<InputFile>(std::move(opened));
  std::string_view data = file->data();
  // A mapped file is mapped in whole pages and the bytes past its end up to the page boundary
  // read as zeros: when they are enough padding for simdjson, the file is read in place (a
  // 1 GiB export is then not copied).
  static const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t slack = data.size() % kPage == 0 ? 0 : kPage - data.size() % kPage;
  Status s;
  if (file->compression() == Compression::kNone && !data.empty() &&
      slack >= simdjson::SIMDJSON_PADDING) {
    set->OwnObject(file);
    s = ReadPadded(path, data, set, TraceFormat::kUnknown, only_id);
  } else {
    auto buf = std::make_unique<std::string>();
    buf->reserve(data.size() + simdjson::SIMDJSON_PADDING);
    buf->assign(data);
    std::string_view copy = *buf;
    set->Own(std::move(buf));
    s = ReadPadded(path, copy, set, TraceFormat::kUnknown, only_id);
  }
  if (s.ok() && !file->warning().ok() && !set->files.empty())
    set->AddIssue(static_cast<uint32_t>(set->files.size() - 1), data.size(), {},
                  file->warning().message());
  return s;
}

std::vector<Status> ReadTraceFiles(std::span<const std::string> paths, SpanSet* set,
                                   std::string_view only_id) {
  std::vector<Status> errors;
  for (const std::string& p : paths)
    if (Status s = ReadTraceFile(p, set, only_id); !s.ok()) errors.push_back(std::move(s));
  return errors;
}

}  // namespace inquest
