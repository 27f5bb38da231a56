// The format table and detection by scoring each format on a file's first lines.
#include "logs/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "logs/formats.h"
#include "logs/layout.h"

namespace inquest {

// Every layout inferred so far, keyed by its user-format text (equal layouts share one format).
struct InferredStore {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<LogFormat>> formats;
};

namespace {

// The inferred reader is generic like the timestamp fallback, so it is scaled the same way: a
// registered format that reads the lines as well wins.
constexpr double kInferredPenalty = 0.9;
// The generic fallback that inference may replace when it finds more in the lines.
constexpr std::string_view kFallbackFormat = "timestamped";
// A registered format scoring below this reads a good share of the lines badly (logfmt taking
// "pid=12" for a record without a time scores 0.5): a layout is inferred as well, and taken
// when it scores at least kClearMargin more.
constexpr double kConfidentScore = 0.75;
constexpr double kClearMargin = 0.2;

}  // namespace

FormatRegistry::FormatRegistry(FormatRegistry&&) noexcept = default;
FormatRegistry& FormatRegistry::operator=(FormatRegistry&&) noexcept = default;
FormatRegistry::~FormatRegistry() = default;

FormatRegistry::FormatRegistry() {
  // Order matters for ties: structured and specific formats before generic ones.
  formats_.push_back(NewOtlpLogsFormat());
  formats_.push_back(NewJsonLinesFormat());
  formats_.push_back(NewSyslogRfc5424Format());
  formats_.push_back(NewSyslogRfc3164Format());
  formats_.push_back(NewAccessLogFormat());
  formats_.push_back(NewApacheErrorFormat());
  formats_.push_back(NewOpenStackFormat());
  formats_.push_back(NewHdfsFormat());
  formats_.push_back(NewSparkFormat());
  formats_.push_back(NewZookeeperFormat());
  formats_.push_back(NewHadoopFormat());
  formats_.push_back(NewLog4jFormat());
  formats_.push_back(NewLogfmtFormat());
  formats_.push_back(NewTimestampPrefixFormat());
  inferred_ = std::make_unique<InferredStore>();
}

bool FormatRegistry::Remove(std::string_view name) {
  for (size_t i = 0; i < formats_.size(); ++i) {
    if (formats_[i]->name() != name) continue;
    formats_.erase(formats_.begin() + static_cast<std::ptrdiff_t>(i));
    if (i < user_formats_) --user_formats_;
    return true;
  }
  return false;
}

void FormatRegistry::Add(std::unique_ptr<LogFormat> format) {
  // A user format replaces a built-in of the same name.
  for (size_t i = user_formats_; i < formats_.size(); ++i) {
    if (formats_[i]->name() == format->name()) {
      formats_.erase(formats_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  formats_.insert(formats_.begin() + static_cast<std::ptrdiff_t>(user_formats_), std::move(format));
  ++user_formats_;
}

const LogFormat* FormatRegistry::Find(std::string_view name) const {
  for (const auto& f : formats_)
    if (f->name() == name) return f.get();
  return nullptr;
}

std::vector<const LogFormat*> FormatRegistry::formats() const {
  std::vector<const LogFormat*> out;
  out.reserve(formats_.size());
  for (const auto& f : formats_) out.push_back(f.get());
  return out;
}

std::vector<std::string_view> FormatRegistry::names() const {
  std::vector<std::string_view> out;
  out.reserve(formats_.size());
  for (const auto& f : formats_) out.push_back(f->name());
  return out;
}

Detection FormatRegistry::Detect(std::string_view data, const ParseContext& ctx) const {
  Detection d;
  std::vector<std::string_view> lines = HeadLines(data, kProbeLines);
  d.lines_probed = lines.size();
  if (lines.empty()) return d;
  for (const auto& f : formats_) {
    double score = f->Probe(lines, ctx);
    if (score > 0) d.ranked.emplace_back(f.get(), score);
  }
  // Stable: equal scores keep registration order, which puts the more specific format first.
  std::stable_sort(d.ranked.begin(), d.ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!d.ranked.empty() && d.ranked.front().second >= kMinDetectScore) {
    d.format = d.ranked.front().first;
    d.score = d.ranked.front().second;
  }
  bool fallback = d.format && d.format->name() == kFallbackFormat;
  if (!infer_layouts_ || !inferred_ || (d.format && !fallback && d.score >= kConfidentScore))
    return d;
  Result<InferredLayout> layout = InferLayout(lines, ctx.time);
  if (!layout.ok()) {
    d.inference = layout.status().message();
    return d;
  }
  bool columns = layout->has_columns() || layout->columns.front().kind != ColumnKind::kTime;
  std::string key = LayoutAsUserFormat(*layout, "inferred");
  std::string described = layout->Describe();
  std::unique_ptr<LogFormat> fresh = NewInferredFormat(*std::move(layout));
  double score = kInferredPenalty * fresh->Probe(lines, ctx);
  d.inference = fmt::format("inferred layout: {} (score {:.2f})", described, score);
  if (score < kMinDetectScore) return d;
  if (fallback && (score < d.score || !columns)) return d;
  if (d.format && !fallback && score < d.score + kClearMargin) return d;
  const LogFormat* f;
  {
    std::lock_guard<std::mutex> lock(inferred_->mu);
    auto [it, added] = inferred_->formats.try_emplace(std::move(key), nullptr);
    if (added) it->second = std::move(fresh);
    f = it->second.get();
  }
  d.format = f;
  d.score = score;
  d.ranked.insert(d.ranked.begin(), {f, score});
  return d;
}

std::vector<std::string_view> HeadLines(std::string_view data, size_t n) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < data.size() && out.size() < n) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    std::string_view line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank) out.push_back(line);
    pos = end + 1;
  }
  return out;
}

}  // namespace inquest
