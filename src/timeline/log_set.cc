#include "timeline/log_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

namespace inquest {

namespace fs = std::filesystem;

std::string DisplayPath(const std::string& path) { return path; }

Result<std::vector<InputPath>> ExpandPaths(const std::vector<std::string>& args) {
  std::vector<InputPath> out;
  for (const std::string& a : args) {
    std::error_code ec;
    fs::file_status st = fs::status(a, ec);
    if (ec || !fs::exists(st)) return Status::NotFound(fmt::format("{}: no such file", a));
    if (!fs::is_directory(st)) {
      out.push_back({a, false});
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::IoError(ec.message(), a);
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    for (std::string& f : found) out.push_back({std::move(f), true});
  }
  return out;
}

std::vector<const LogFile*> LogSet::pointers() const {
  std::vector<const LogFile*> p;
  for (const auto& f : files) p.push_back(f.get());
  return p;
}

Result<LogSet> LoadLogSet(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                          const LoadOptions& opts, int threads) {
  std::vector<Result<std::unique_ptr<LogFile>>> results;
  results.reserve(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) results.emplace_back(Status::Internal("not loaded"));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < paths.size();)
      results[i] = LoadLogFile(paths[i].path, 0, registry, opts);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && static_cast<size_t>(t) < paths.size(); ++t)
    pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  LogSet set;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!results[i].ok()) {
      const Status& s = results[i].status();
      if (paths[i].from_dir && s.code() == StatusCode::kBadInput) {
        set.skipped.push_back(fmt::format("{}: {}", paths[i].path, s.message()));
        continue;
      }
      return s;
    }
    std::unique_ptr<LogFile> f = std::move(results[i]).value();
    // Files load independently; number them by their place in the set.
    uint32_t index = static_cast<uint32_t>(set.files.size());
    for (Event& e : f->events) e.file = index;
    set.files.push_back(std::move(f));
  }
  return set;
}

std::vector<std::string> LogSet::Summary() const {
  std::vector<std::string> out;
  uint64_t events = 0;
  for (const auto& f : files) events += f->events.size();
  out.push_back(
      fmt::format("read {} file{}, {} events", files.size(), files.size() == 1 ? "" : "s", events));
  for (const auto& f : files) {
    const LogStats& st = f->stats;
    std::string head = fmt::format("  {}: {} ({:.2f}), {} records", f->path,
                                   f->format ? f->format->name() : "-", f->confidence, st.records);
    out.push_back(head);
    if (st.out_of_order)
      out.push_back(
          fmt::format("    {} records out of time order in the file (sorted)", st.out_of_order));
    if (f->issues.count()) {
      std::string first;
      if (!f->issues.samples().empty()) {
        const ParseIssue& p = f->issues.samples()[0];
        first = fmt::format(", first at {}:{}: {}", f->path, p.line, p.reason);
      }
      out.push_back(fmt::format("    {} malformed lines skipped{}", f->issues.count(), first));
      for (size_t i = 1; i < f->issues.samples().size() && i < 5; ++i) {
        const ParseIssue& p = f->issues.samples()[i];
        out.push_back(fmt::format("      {}:{}: {}", f->path, p.line, p.reason));
      }
    }
    if (st.without_time)
      out.push_back(fmt::format("    {} records without a time, placed by their neighbours",
                                st.without_time));
    if (st.zone_assumed)
      out.push_back(fmt::format("    {} times without a zone, taken as {} (set with --assume-tz)",
                                st.zone_assumed, "the --assume-tz zone (default UTC)"));
    if (st.year_used)
      out.push_back(fmt::format("    times without a year: {} assumed ({}; set with --year)",
                                st.year_used, st.year_source));
    if (!f->warning.ok()) out.push_back(fmt::format("    warning: {}", f->warning.ToString()));
  }
  for (const std::string& s : skipped) out.push_back(fmt::format("  skipped {}", s));
  return out;
}

}  // namespace inquest
