#include "base/output.h"

#include <fmt/format.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <iostream>
#include <mutex>
#include <set>
#include <streambuf>

#include "base/strings.h"

namespace inquest {
namespace {

// stdout's buffer when it is not a terminal: few write calls for large outputs.
constexpr size_t kStdoutBufferBytes = 64 * 1024;
// An incomplete line is held back (a secret may be split between two writes) up to this size;
// past it, it is redacted and written as it is.
constexpr size_t kMaxHeldBytes = 1 << 20;

struct Boundary {
  std::atomic<bool> enabled{true};
  Redactor redactor;  // changed only by ApplyRedactConfig, before anything is written
  std::set<std::string> patterns;
  std::mutex config_mu;
  RedactionTally tally;
};

Boundary& TheBoundary() {
  static Boundary* b = new Boundary();  // never destroyed: output may come late at exit
  return *b;
}

bool IsPrivateKeyStart(std::string_view line) {
  size_t b = line.find("-----BEGIN ");
  return b != std::string_view::npos && line.find("PRIVATE KEY", b) != std::string_view::npos &&
         line.find("-----END ", b) == std::string_view::npos;
}

// Appends `text` redacted to *out, line by line: most lines hold nothing, pass the prefilter
// alone and are copied in runs. A private key block is redacted as one piece.
void AppendRedactedLines(std::string_view text, std::string* out) {
  Boundary& b = TheBoundary();
  if (!b.enabled.load(std::memory_order_relaxed)) {
    out->append(text);
    return;
  }
  std::string scratch;
  size_t clean = 0;  // start of the lines not yet copied, all clean
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, end - pos);
    if (!b.redactor.Redact(line, &scratch, &b.tally)) {
      pos = end;
      continue;
    }
    if (IsPrivateKeyStart(line)) {
      // Through the line of its END marker, or to the end of the text when the block is cut.
      size_t stop = text.find("-----END ", end);
      if (stop != std::string_view::npos) stop = text.find('\n', stop);
      end = stop == std::string_view::npos ? text.size() : stop + 1;
      b.redactor.Redact(text.substr(pos, end - pos), &scratch, &b.tally);
    }
    out->append(text.substr(clean, pos - clean));
    out->append(scratch);
    pos = clean = end;
  }
  out->append(text.substr(clean));
}

// What sits under stdout or stderr: redacts what the stream hands it and writes it to the
// descriptor. The stream keeps its own buffer (64 KiB for stdout into a pipe or file, a line on
// a terminal, none for stderr), so an fflush() by any caller still writes. Called with the
// stream's lock held (stdio locks each FILE), so it needs no lock of its own.
//
// Text Emit() put into the stream was redacted already (by the JSON writer): the filter is told
// how many bytes of it follow those already in the stream's buffer (__fpending), and passes them
// through as they come.
class StreamFilter {
 public:
  // `hold_partial`: keep an incomplete last line until its end arrives (stdout: the buffer may
  // end in the middle of a line, and of a secret); stderr writes each piece at once (a progress
  // bar redraws its line without ending it).
  StreamFilter(int fd, bool hold_partial) : fd_(fd), hold_partial_(hold_partial) {}

  ssize_t Write(const char* data, size_t n) {
    out_.clear();
    std::string_view in(data, n);
    while (!in.empty()) {
      if (segments_.empty()) {
        Filter(in);
        break;
      }
      Segment& seg = segments_.front();
      std::string_view piece = in.substr(0, seg.bytes);
      in.remove_prefix(piece.size());
      seg.bytes -= piece.size();
      if (seg.verbatim) {
        TakeHeld();
        out_.append(piece);
      } else {
        Filter(piece);
      }
      if (seg.bytes == 0) segments_.pop_front();
    }
    WriteFd(out_);
    return static_cast<ssize_t>(n);
  }

  // The next `bytes` the stream hands over, after the `pending` bytes it holds now, were
  // redacted already.
  void ExpectVerbatim(size_t pending, size_t bytes) {
    size_t tracked = 0;
    for (const Segment& seg : segments_) tracked += seg.bytes;
    if (pending > tracked) segments_.push_back({false, pending - tracked});
    segments_.push_back({true, bytes});
  }

  // Writes out an incomplete last line (after the stream was flushed).
  void FlushHeld() {
    out_.clear();
    TakeHeld();
    WriteFd(out_);
  }

  int fd() const { return fd_; }

 private:
  struct Segment {
    bool verbatim;
    size_t bytes;
  };

  // Redacts complete lines into out_, holding back an incomplete last one.
  void Filter(std::string_view text) {
    if (!hold_partial_) return AppendRedactedLines(text, &out_);
    held_.append(text);
    size_t nl = held_.rfind('\n');
    if (nl == std::string::npos) {
      if (held_.size() > kMaxHeldBytes) TakeHeld();
      return;
    }
    AppendRedactedLines(std::string_view(held_).substr(0, nl + 1), &out_);
    held_.erase(0, nl + 1);
  }

  void TakeHeld() {
    AppendRedactedLines(held_, &out_);
    held_.clear();
  }

  void WriteFd(std::string_view text) {
    while (!text.empty()) {
      ssize_t w = ::write(fd_, text.data(), text.size());
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;  // a closed pipe: nothing more can be said
      text.remove_prefix(static_cast<size_t>(w));
    }
  }

  int fd_;
  bool hold_partial_;
  std::deque<Segment> segments_;  // what the stream's buffer holds, in order
  std::string held_;              // an incomplete line, not yet redacted
  std::string out_;               // what one call writes
};

ssize_t CookieWrite(void* cookie, const char* data, size_t n) {
  return static_cast<StreamFilter*>(cookie)->Write(data, n);
}

int CookieClose(void* cookie) {
  static_cast<StreamFilter*>(cookie)->FlushHeld();
  return 0;
}

// std::cout and std::cerr write into the boundary's FILE, in order with everything else.
class StdioBuf : public std::streambuf {
 public:
  explicit StdioBuf(std::FILE* f) : f_(f) {}

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    return std::fputc(c, f_) == EOF ? traits_type::eof() : c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return static_cast<std::streamsize>(std::fwrite(s, 1, static_cast<size_t>(n), f_));
  }
  int sync() override { return std::fflush(f_); }

 private:
  std::FILE* f_;
};

struct Streams {
  std::FILE* out = nullptr;
  std::FILE* err = nullptr;
  StreamFilter* out_filter = nullptr;
  StreamFilter* err_filter = nullptr;
};
Streams g_streams;

StreamFilter* FilterOf(std::FILE* f) {
  if (f == nullptr) return nullptr;
  if (f == g_streams.out) return g_streams.out_filter;
  if (f == g_streams.err) return g_streams.err_filter;
  return nullptr;
}

void FlushStream(std::FILE* f) {
  StreamFilter* filter = FilterOf(f);
  if (!filter) return;
  flockfile(f);
  std::fflush(f);
  filter->FlushHeld();
  funlockfile(f);
}

}  // namespace

Redacted RedactText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendRedactedLines(text, &out);
  return Redacted(std::move(out));
}

Redacted RedactHtml(std::string_view html) {
  Boundary& b = TheBoundary();
  if (!b.enabled.load(std::memory_order_relaxed)) return Redacted(std::string(html));
  std::string out;
  out.reserve(html.size());
  std::string plain, scratch;
  // Text between tags, or an attribute value: unescaped, redacted, escaped again if changed.
  auto piece = [&](std::string_view escaped) {
    plain.clear();
    for (size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] != '&') {
        plain += escaped[i];
        continue;
      }
      size_t semi = escaped.find(';', i);
      std::string_view ent =
          semi == std::string_view::npos ? std::string_view() : escaped.substr(i, semi - i + 1);
      char c = 0;
      if (ent == "&amp;")
        c = '&';
      else if (ent == "&lt;")
        c = '<';
      else if (ent == "&gt;")
        c = '>';
      else if (ent == "&quot;" || ent == "&#34;")
        c = '"';
      else if (ent == "&#39;" || ent == "&apos;")
        c = '\'';
      if (c == 0) {
        plain += '&';
        continue;
      }
      plain += c;
      i = semi;
    }
    if (b.redactor.Redact(plain, &scratch, &b.tally))
      out += HtmlEscape(scratch);
    else
      out.append(escaped);
  };
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      size_t lt = html.find('<', i);
      if (lt == std::string_view::npos) lt = html.size();
      piece(html.substr(i, lt - i));
      i = lt;
      continue;
    }
    if (html.substr(i).starts_with("<!--")) {  // not shown, but in the file
      size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) end = html.size();
      out.append("<!--");
      piece(html.substr(i + 4, end - i - 4));
      i = end;
      continue;
    }
    // A tag: its name and attributes copied, each quoted attribute value redacted.
    std::string_view name = html.substr(i + 1, std::min<size_t>(7, html.size() - i - 1));
    size_t copied = i;
    size_t j = i + 1;
    while (j < html.size() && html[j] != '>') {
      if (html[j] != '"' && html[j] != '\'') {
        ++j;
        continue;
      }
      size_t close = html.find(html[j], j + 1);
      if (close == std::string_view::npos) close = html.size();
      out.append(html.substr(copied, j + 1 - copied));
      piece(html.substr(j + 1, close - j - 1));
      copied = close;  // the closing quote goes out with the rest of the tag
      j = close + 1;
    }
    i = std::min(j + 1, html.size());
    out.append(html.substr(copied, i - copied));
    // <style> and <script> hold no text for a person: copied up to their end tag.
    for (std::string_view raw : {std::string_view("style"), std::string_view("script")}) {
      if (!StartsWithIgnoreCase(name, raw)) continue;
      std::string close = "</" + std::string(raw);
      size_t end = html.find(close, i);
      if (end == std::string_view::npos) end = html.size();
      out.append(html.substr(i, end - i));
      i = end;
    }
  }
  return Redacted(std::move(out));
}

void SetRedactionEnabled(bool enabled) { TheBoundary().enabled = enabled; }
bool RedactionEnabled() { return TheBoundary().enabled; }

Status ApplyRedactConfig(const Config& config) {
  const toml::node* section = config.table.get("redact");
  if (section == nullptr) return Status::Ok();
  const toml::table* t = section->as_table();
  std::string where = config.path.empty() ? "[redact]" : config.path + ": [redact]";
  if (t == nullptr) return Status::InvalidArgument(where + " must be a table");
  for (const auto& [key, value] : *t) {
    if (key.str() != "patterns")
      return Status::InvalidArgument(fmt::format(
          "{}: unknown key '{}' (the section holds patterns = [...])", where, key.str()));
  }
  INQ_ASSIGN_OR_RETURN(std::vector<std::string> patterns,
                       StringList(t->get("patterns"), where + " patterns"));
  Boundary& b = TheBoundary();
  std::lock_guard<std::mutex> lock(b.config_mu);
  std::vector<std::string> added;
  for (std::string& p : patterns)
    if (b.patterns.insert(p).second) added.push_back(std::move(p));
  if (Status s = b.redactor.AddPatterns(added); !s.ok())
    return Status::InvalidArgument(fmt::format("{}: {}", config.path, s.message()));
  return Status::Ok();
}

RedactionTally& OutputTally() { return TheBoundary().tally; }

bool RedactOutputValue(std::string_view key, std::string_view value, std::string* out) {
  Boundary& b = TheBoundary();
  if (!b.enabled.load(std::memory_order_relaxed)) return false;
  return b.redactor.RedactValue(key, value, out, &b.tally);
}

bool RedactOutputText(std::string_view text, std::string* out) {
  Boundary& b = TheBoundary();
  if (!b.enabled.load(std::memory_order_relaxed)) return false;
  return b.redactor.Redact(text, out, &b.tally);
}

void RedactOutputArgv(std::vector<std::string>* argv) {
  Boundary& b = TheBoundary();
  if (b.enabled.load(std::memory_order_relaxed)) b.redactor.RedactArgv(argv, &b.tally);
}

std::string RedactBeforeCut(std::string_view text) {
  std::string out;
  if (!RedactOutputText(text, &out)) out.assign(text);
  return out;
}

std::string RedactValueBeforeCut(std::string_view key, std::string_view value) {
  std::string out;
  if (!RedactOutputValue(key, value, &out)) out.assign(value);
  return out;
}

void InstallOutputBoundary() {
  if (g_streams.out != nullptr) return;
  std::fflush(stdout);
  std::fflush(stderr);
  // Never destroyed: stdio flushes its streams after static destructors have run.
  bool out_terminal = isatty(STDOUT_FILENO) == 1;
  auto* out_filter = new StreamFilter(STDOUT_FILENO, /*hold_partial=*/true);
  auto* err_filter = new StreamFilter(STDERR_FILENO, /*hold_partial=*/false);
  cookie_io_functions_t io = {nullptr, &CookieWrite, nullptr, &CookieClose};
  std::FILE* out = fopencookie(out_filter, "w", io);
  std::FILE* err = fopencookie(err_filter, "w", io);
  if (out == nullptr || err == nullptr) return;  // no memory: stay as we are
  setvbuf(out, nullptr, out_terminal ? _IOLBF : _IOFBF, kStdoutBufferBytes);
  setvbuf(err, nullptr, _IONBF, 0);
  g_streams = {out, err, out_filter, err_filter};
  stdout = out;
  stderr = err;
  auto* cout_buf = new StdioBuf(out);
  auto* cerr_buf = new StdioBuf(err);
  std::cout.rdbuf(cout_buf);
  std::cerr.rdbuf(cerr_buf);
  std::clog.rdbuf(cerr_buf);
  std::atexit(FlushOutput);
}

void Emit(const Redacted& text, std::FILE* out) {
  if (StreamFilter* filter = FilterOf(out)) {
    flockfile(out);
    filter->ExpectVerbatim(__fpending(out), text.size());
    std::fwrite(text.str().data(), 1, text.size(), out);
    funlockfile(out);
    return;
  }
  std::fwrite(text.str().data(), 1, text.size(), out);
}

void EmitLine(const Redacted& text, std::FILE* out) {
  Redacted line = text;
  line.text_ += '\n';
  Emit(line, out);
}

void FlushOutput() {
  FlushStream(g_streams.out);
  FlushStream(g_streams.err);
}

bool IsTerminal(std::FILE* f) {
  if (StreamFilter* filter = FilterOf(f)) return isatty(filter->fd()) == 1;
  if (f == nullptr) return false;
  int fd = fileno(f);
  return fd >= 0 && isatty(fd) == 1;
}

}  // namespace inquest
