#include "dumps/python/python_waits.h"

#include <fmt/format.h>

#include "dumps/java/java_waits.h"

namespace inquest {

bool IsPyStdlibFile(std::string_view file) {
  return file.find("/lib/python") != std::string_view::npos &&
         file.find("-packages/") == std::string_view::npos;
}

std::string PyQualifiedName(const PyFrame& f) {
  std::string_view file = f.file;
  size_t at = file.rfind("-packages/");
  if (at != std::string_view::npos) {
    file = file.substr(at + 10);
  } else if (size_t lib = file.rfind("/lib/python"); lib != std::string_view::npos) {
    file = file.substr(lib + 11);
    file = file.substr(file.find('/') == std::string_view::npos ? file.size() : file.find('/') + 1);
  } else {
    file = file.substr(file.find_last_of("/\\") + 1);
  }
  if (file.ends_with(".py")) file.remove_suffix(3);
  if (file.ends_with("/__init__")) file.remove_suffix(9);
  std::string module(file);
  for (char& c : module)
    if (c == '/' || c == '\\') c = '.';
  return module.empty() ? f.func : module + "." + f.func;
}

std::vector<WaitSiteCount> TallyPythonWaits(const PyDump& dump, const std::string& path,
                                            const std::vector<std::vector<size_t>>& groups,
                                            const WaitSiteTable& table,
                                            std::vector<const WaitSite*>* group_sites) {
  WaitTally tally;
  group_sites->assign(groups.size(), nullptr);
  std::vector<std::string> names;
  WaitQuery q;
  q.runtime = WaitRuntime::kPython;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    if (groups[gi].empty()) continue;
    const PyThread& t = dump.threads[groups[gi].front()];
    names.clear();
    for (const PyFrame& f : t.frames) names.push_back(PyQualifiedName(f));
    q.frames.clear();
    for (size_t i = 0; i < t.frames.size(); ++i)
      q.frames.push_back({names[i], IsPyStdlibFile(t.frames[i].file)});
    q.state = t.status_known ? (t.active ? "active" : "idle") : "";
    WaitMatch m = table.Match(q);
    if (m.site == nullptr) continue;
    (*group_sites)[gi] = m.site;
    WaitObservation o;
    o.count = groups[gi].size();
    o.match = m;
    o.frame = m.frame >= 0 ? names[m.frame] : std::string();
    if (m.caller >= 0)
      o.caller = fmt::format("{} ({})", t.frames[m.caller].func, PyWhere(t.frames[m.caller]));
    std::vector<std::string_view> thread_names;
    for (size_t i : groups[gi])
      if (!dump.threads[i].name.empty()) thread_names.push_back(dump.threads[i].name);
    if (thread_names.size() == groups[gi].size()) o.threads = CommonThreadName(thread_names);
    uint64_t line = t.header_line;
    o.evidence.source = line ? fmt::format("{}:{}", path, line) : path;
    o.evidence.excerpt =
        t.frames.empty() ? "thread " + t.id
                         : fmt::format("{} ({})", t.frames.front().func, PyWhere(t.frames.front()));
    tally.Add(o);
  }
  return tally.Finish();
}

}  // namespace inquest
