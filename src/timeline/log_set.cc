#include "timeline/log_set.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <utility>

#include "timeline/folder_service.h"
#include "timeline/record_file.h"

namespace inquest {

namespace fs = std::filesystem;

std::string DisplayPath(const std::string& path) { return path; }

namespace {

// A folder `inquest analyze` wrote (findings.json beside postmortem.md): its content is ours,
// not evidence, and would repeat the bundle's records.
bool IsReportDir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "findings.json", ec) &&
         fs::is_regular_file(dir / "postmortem.md", ec);
}

}  // namespace

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
    std::vector<fs::path> links;
    fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::IoError(ec.message(), a);
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      fs::file_status own = it->symlink_status(ec);
      if (!name.empty() && name[0] == '.') {
        if (fs::is_directory(own)) it.disable_recursion_pending();
        continue;
      }
      if (fs::is_symlink(own)) {
        links.push_back(it->path());
        continue;
      }
      if (fs::is_directory(own) && IsReportDir(it->path())) {
        it.disable_recursion_pending();
        continue;
      }
      if (fs::is_regular_file(own)) found.push_back(it->path().string());
    }
    // A folder's walk never leaves it (the rule of evidence/bundle.h): a link is read only when
    // it leads to a file inside the folder that is not listed already, and then as that file.
    std::set<std::pair<dev_t, ino_t>> seen;
    for (const std::string& f : found) {
      struct stat st;
      if (::stat(f.c_str(), &st) == 0) seen.insert({st.st_dev, st.st_ino});
    }
    std::sort(links.begin(), links.end());
    const fs::path root = fs::canonical(a, ec);
    for (const fs::path& l : links) {
      fs::path target = fs::weakly_canonical(l, ec);
      if (ec || root.empty()) continue;
      fs::path rel = target.lexically_relative(root);
      if (rel.empty() || *rel.begin() == ".." || !fs::is_regular_file(target, ec)) continue;
      struct stat st;
      if (::stat(target.c_str(), &st) != 0 || !seen.insert({st.st_dev, st.st_ino}).second) continue;
      found.push_back(target.string());
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

namespace {

// Records that name no service, in a file whose path names none either, are the folder's when
// the other records (of any role: logs, changes, alerts) name that service: the rule `analyze`
// and `rate` apply (timeline/folder_service.h).
void NameFolderServices(LogSet* set) {
  KnownServices known;
  for (const auto& f : set->files)
    for (const Event& e : f->events) known.Add(e.service);
  for (auto& f : set->files) {
    if (!f->path_service.empty()) continue;
    std::string folder = FolderServiceOf(f->path, known);
    if (folder.empty()) continue;
    f->path_service = folder;  // events keep views of it: the LogFile owns it
    uint64_t given = 0;
    for (Event& e : f->events)
      if (e.service.empty()) {
        e.service = f->path_service;
        ++given;
      }
    if (given)
      set->notes.push_back(fmt::format(
          "{}: {} without a service read as {} (its folder, a service other records name)", f->path,
          CountOf(given, "record", "records"), folder));
  }
}

}  // namespace

Result<LogSet> LoadLogSet(const std::vector<InputPath>& paths, const FormatRegistry& registry,
                          const LoadOptions& opts, int threads, const StateRecordReader* state) {
  std::vector<Result<std::unique_ptr<LogFile>>> results;
  results.reserve(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) results.emplace_back(Status::Internal("not loaded"));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < paths.size();)
      results[i] = LoadRecordFile(paths[i].path, registry, opts, state);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && static_cast<size_t>(t) < paths.size(); ++t)
    pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  LogSet set;
  if (opts.zone) set.zone = opts.zone->name();
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
  NameFolderServices(&set);
  return set;
}

bool FileNotes::empty() const {
  return out_of_order == 0 && malformed == 0 && without_time == 0 && zone_assumed == 0 &&
         year_used == 0 && warning.ok();
}

std::string CountOf(uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

void AppendFileNotes(const FileNotes& n, std::vector<std::string>* out) {
  // Samples of malformed lines shown after the first: enough to see whether they differ.
  constexpr size_t kMalformedSamplesShown = 5;
  if (n.out_of_order)
    out->push_back(fmt::format("    {} out of time order in the file (sorted)",
                               CountOf(n.out_of_order, "record", "records")));
  if (n.malformed) {
    const std::vector<ParseIssue>* samples = n.issues ? &n.issues->samples() : nullptr;
    std::string first;
    if (samples && !samples->empty())
      first = fmt::format(", first at {}:{}: {}", n.path, (*samples)[0].line, (*samples)[0].reason);
    out->push_back(fmt::format("    {} skipped{}",
                               CountOf(n.malformed, "malformed line", "malformed lines"), first));
    for (size_t i = 1; samples && i < samples->size() && i < kMalformedSamplesShown; ++i)
      out->push_back(
          fmt::format("      {}:{}: {}", n.path, (*samples)[i].line, (*samples)[i].reason));
  }
  if (n.without_time)
    out->push_back(fmt::format("    {} without a time, placed by their neighbours",
                               CountOf(n.without_time, "record", "records")));
  if (n.zone_assumed)
    out->push_back(fmt::format("    {} without a zone, taken as {} (set with --assume-tz)",
                               CountOf(n.zone_assumed, "time", "times"), n.zone));
  if (n.year_used)
    out->push_back(fmt::format("    times without a year: {} assumed ({}; set with --year)",
                               n.year_used, n.year_source));
  if (!n.warning.ok()) out->push_back(fmt::format("    warning: {}", n.warning.ToString()));
}

std::vector<std::string> LogSet::Summary() const {
  std::vector<std::string> out;
  uint64_t events = 0;
  for (const auto& f : files) events += f->events.size();
  out.push_back(fmt::format("read {}, {}", CountOf(files.size(), "file", "files"),
                            CountOf(events, "event", "events")));
  for (const auto& f : files) {
    const LogStats& st = f->stats;
    std::string_view what = f->format              ? f->format->name()
                            : f->taken_for.empty() ? std::string_view("-")
                                                   : std::string_view(f->taken_for);
    out.push_back(fmt::format("  {}: {} ({:.2f}), {}", f->path, what, f->confidence,
                              CountOf(st.records, "record", "records")));
    FileNotes notes;
    notes.path = f->path;
    notes.out_of_order = st.out_of_order;
    notes.malformed = f->issues.count();
    notes.issues = &f->issues;
    notes.without_time = st.without_time;
    notes.zone_assumed = st.zone_assumed;
    notes.zone = zone;
    notes.year_used = st.year_used;
    notes.year_source = st.year_source;
    notes.warning = f->warning;
    AppendFileNotes(notes, &out);
  }
  for (const std::string& s : skipped) out.push_back(fmt::format("  skipped {}", s));
  for (const std::string& n : notes) out.push_back(fmt::format("  note: {}", n));
  return out;
}

}  // namespace inquest
