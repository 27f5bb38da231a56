#include "report/source_excerpts.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "base/output.h"
#include "base/redact.h"
#include "base/strings.h"

namespace inquest {
namespace {

// Bytes pulled from the stream per read.
constexpr size_t kExcerptReadBuffer = 64 * 1024;

// Redacted, printable, cut to kMaxExcerptLineBytes on a UTF-8 boundary.
std::string ShownLine(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  std::string safe = SanitizeForTerminal(RedactBeforeCut(raw));
  if (safe.size() <= kMaxExcerptLineBytes) return safe;
  size_t cut = kMaxExcerptLineBytes;
  while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;
  safe.resize(cut);
  return safe + "\xE2\x80\xA6";
}

// Tracks PEM private-key blocks across lines: Redact hides a block only when it sees it whole,
// and a pass that goes line by line never does.
class PemTracker {
 public:
  // Whether `line` (the head of it) is inside a key block, the BEGIN line excluded (Redact
  // hides that one and everything after it on the line).
  bool Inside(std::string_view line) {
    if (inside_) {
      if (line.find("-----END ") != std::string_view::npos) inside_ = false;
      return true;
    }
    size_t begin = line.find("-----BEGIN ");
    if (begin != std::string_view::npos &&
        line.find("PRIVATE KEY", begin) != std::string_view::npos &&
        line.find("-----END ", begin) == std::string_view::npos)
      inside_ = true;
    return false;
  }

 private:
  bool inside_ = false;
};

}  // namespace

std::optional<Citation> ParseCitation(std::string_view source) {
  size_t colon = source.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == source.size())
    return std::nullopt;
  std::string_view digits = source.substr(colon + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::optional<int64_t> line = ParseInt(digits);
  if (!line || *line <= 0) return std::nullopt;
  std::string_view file = source.substr(0, colon);
  if (file.find_first_of(" \t\n") != std::string_view::npos) return std::nullopt;
  return Citation{std::string(file), static_cast<uint64_t>(*line)};
}

LineRanges ReadLineRanges(ByteStream* in, std::vector<uint64_t> wanted, int context,
                          uint64_t first_line) {
  LineRanges out;
  // The wanted lines as merged ranges [first, last].
  std::sort(wanted.begin(), wanted.end());
  const uint64_t ctx = context > 0 ? static_cast<uint64_t>(context) : 0;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (uint64_t w : wanted) {
    if (w < first_line) continue;
    uint64_t first = std::max(w > ctx ? w - ctx : 1, first_line);
    if (!ranges.empty() && first <= ranges.back().second + 1)
      ranges.back().second = std::max(ranges.back().second, w + ctx);
    else
      ranges.push_back({first, w + ctx});
  }
  if (ranges.empty()) return out;

  size_t next = 0;               // the range the current line may fall in
  uint64_t number = first_line;  // the current line
  std::string head;              // its first kRedactWindowBytes bytes
  bool pending = false;          // bytes of the current line were seen
  PemTracker pem;
  auto finish_line = [&] {
    bool hidden = pem.Inside(head);
    while (next < ranges.size() && ranges[next].second < number) ++next;
    if (next < ranges.size() && ranges[next].first <= number)
      out.lines.push_back({number, hidden ? std::string(kRedacted) : ShownLine(head)});
    out.lines_read = number;
    ++number;
    head.clear();
    pending = false;
  };

  std::string buf(kExcerptReadBuffer, '\0');
  const uint64_t last = ranges.back().second;
  while (number <= last) {
    Result<size_t> n = in->Read(buf.data(), buf.size());
    if (!n.ok()) {
      out.error = std::move(n).status();
      return out;
    }
    if (*n == 0) {
      if (pending) finish_line();
      out.at_end = true;
      return out;
    }
    std::string_view chunk(buf.data(), *n);
    while (!chunk.empty() && number <= last) {
      size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (head.size() < kRedactWindowBytes)
        head.append(piece.substr(0, kRedactWindowBytes - head.size()));
      pending = true;
      if (nl == std::string_view::npos) break;
      finish_line();
      chunk.remove_prefix(nl + 1);
    }
  }
  return out;
}

const ExcerptLine* SourceExcerpt::cited() const {
  if (!ok()) return nullptr;
  for (const ExcerptLine& l : lines)
    if (l.number == at.line) return &l;
  return nullptr;
}

ExcerptOpener OpenBundleFile(const std::vector<InputReport>& inputs) {
  std::map<std::string, std::string, std::less<>> paths;
  for (const InputReport& r : inputs) paths.emplace(r.relative, r.path);
  return [paths = std::move(paths)](
             const std::string& relative) -> Result<std::unique_ptr<ByteStream>> {
    auto it = paths.find(relative);
    if (it == paths.end()) return Status::NotFound("not a file of the bundle");
    return ByteStream::Open(it->second);
  };
}

ExcerptSet::ExcerptSet(ExcerptOpener open, size_t max_excerpts, int context)
    : open_(std::move(open)), max_excerpts_(max_excerpts), context_(context) {}

void ExcerptSet::Cite(std::string_view source) {
  if (source.empty() || Find(source) != nullptr) return;
  SourceExcerpt e;
  e.source = std::string(source);
  std::optional<Citation> at = ParseCitation(source);
  if (!at) {
    e.unresolved = "not a file:line reference";
  } else if (readable_ >= max_excerpts_) {
    e.at = std::move(*at);
    e.unresolved =
        fmt::format("not excerpted: the report holds at most {} excerpts", max_excerpts_);
    e.over_cap = true;
    ++over_cap_;
  } else {
    e.at = std::move(*at);
    ++readable_;
  }
  index_.emplace(e.source, excerpts_.size());
  excerpts_.push_back(std::move(e));
}

void ExcerptSet::Fill(const std::vector<size_t>& which, const LineRanges& got) {
  const uint64_t ctx = static_cast<uint64_t>(std::max(context_, 0));
  for (size_t i : which) {
    SourceExcerpt& e = excerpts_[i];
    const uint64_t line = e.at.line;
    if (line > got.lines_read) {
      e.unresolved = got.at_end ? fmt::format("line {} is past the end: the file has {} lines",
                                              line, got.lines_read)
                                : fmt::format("the file could not be read up to line {}: {}", line,
                                              got.error.message());
      continue;
    }
    for (const ExcerptLine& l : got.lines)
      if (l.number + ctx >= line && l.number <= line + ctx) e.lines.push_back(l);
  }
}

std::vector<size_t> ExcerptSet::ReadHeld(const std::string& file,
                                         const std::vector<size_t>& which) {
  const std::vector<HeldLines>* held = held_ ? held_(file) : nullptr;
  if (!held || held->empty()) return which;
  const uint64_t ctx = static_cast<uint64_t>(std::max(context_, 0));
  // Each run's whole lines: [line, line + newlines). The context must lie inside too (the first
  // line of the file has no line before it).
  std::vector<std::vector<size_t>> by_run(held->size());
  std::vector<size_t> rest;
  std::vector<uint64_t> ends(held->size());
  for (size_t r = 0; r < held->size(); ++r)
    ends[r] = (*held)[r].line + static_cast<uint64_t>(std::count((*held)[r].bytes.begin(),
                                                                 (*held)[r].bytes.end(), '\n'));
  for (size_t i : which) {
    const uint64_t line = excerpts_[i].at.line;
    const uint64_t from = line > ctx ? line - ctx : 1;
    size_t run = held->size();
    for (size_t r = 0; r < held->size() && run == held->size(); ++r)
      if ((*held)[r].line <= from && line + ctx < ends[r]) run = r;
    if (run == held->size()) {
      rest.push_back(i);
    } else {
      by_run[run].push_back(i);
    }
  }
  for (size_t r = 0; r < held->size(); ++r) {
    if (by_run[r].empty()) continue;
    std::unique_ptr<ByteStream> in = ByteStream::FromMemory((*held)[r].bytes, file);
    std::vector<uint64_t> wanted;
    for (size_t i : by_run[r]) wanted.push_back(excerpts_[i].at.line);
    Fill(by_run[r], ReadLineRanges(in.get(), wanted, context_, (*held)[r].line));
  }
  return rest;
}

void ExcerptSet::Read() {
  // The excerpts to read, by file.
  std::map<std::string, std::vector<size_t>> by_file;
  for (size_t i = 0; i < excerpts_.size(); ++i)
    if (excerpts_[i].ok()) by_file[excerpts_[i].at.file].push_back(i);
  for (const auto& [file, all] : by_file) {
    const std::vector<size_t> which = ReadHeld(file, all);
    if (which.empty()) continue;
    Result<std::unique_ptr<ByteStream>> in = open_(file);
    if (!in.ok()) {
      for (size_t i : which)
        excerpts_[i].unresolved = "the file cannot be read: " + in.status().message();
      continue;
    }
    std::vector<uint64_t> wanted;
    for (size_t i : which) wanted.push_back(excerpts_[i].at.line);
    // Start at the latest known line start before the first line needed, when one is known.
    LineStart start;
    const uint64_t before = static_cast<uint64_t>(std::max(context_, 0));
    const uint64_t first = *std::min_element(wanted.begin(), wanted.end());
    if (line_starts_ && first > before + 1) start = line_starts_(file, first - before);
    if (start.line < 1 || start.line > first) start = LineStart{};
    if (start.offset > 0) {
      if (Status s = (*in)->Skip(start.offset); !s.ok()) {
        for (size_t i : which) excerpts_[i].unresolved = "the file cannot be read: " + s.message();
        continue;
      }
    }
    Fill(which, ReadLineRanges(in->get(), wanted, context_, start.line));
  }
}

const SourceExcerpt* ExcerptSet::Find(std::string_view source) const {
  auto it = index_.find(source);
  return it == index_.end() ? nullptr : &excerpts_[it->second];
}

size_t ExcerptSet::resolved() const {
  return static_cast<size_t>(std::count_if(excerpts_.begin(), excerpts_.end(),
                                           [](const SourceExcerpt& e) { return e.ok(); }));
}

}  // namespace inquest
