// The format table and detection by scoring each format on a file's first lines.
#include "logs/registry.h"

#include <algorithm>

#include "logs/formats.h"

namespace inquest {

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
