#include "dumps/python/python_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "base/json_writer.h"
#include "base/strings.h"
#include "dumps/python/python_dump.h"
#include "dumps/python/python_waits.h"
#include "dumps/render_text.h"

namespace inquest {
namespace {

// Threads on one identical stack from which the set is called out: a pool of workers all
// parked in the same place is the Python face of a goroutine leak.
constexpr size_t kPyStuckSetMin = 8;
// Frames printed per group in text and Markdown; the JSON holds every frame.
constexpr size_t kMaxPythonFramesShown = 12;

struct PyGroup {
  std::vector<size_t> threads;  // indexes into PyDump::threads
};

std::string Signature(const PyThread& t) {
  std::string key;
  for (const PyFrame& f : t.frames)
    key += f.func + '\x1f' + f.file + '\x1f' + std::to_string(f.line) + '\x1e';
  if (t.no_python_frame) key += "<no Python frame>";
  return key;
}

// Groups in order: the current / GIL-holding thread first, then by size, then by position.
std::vector<PyGroup> Group(const PyDump& dump) {
  std::vector<PyGroup> groups;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < dump.threads.size(); ++i) {
    auto [it, inserted] = index.try_emplace(Signature(dump.threads[i]), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].threads.push_back(i);
  }
  auto lead = [&](const PyGroup& g) {
    for (size_t i : g.threads)
      if (dump.threads[i].current || dump.threads[i].gil) return true;
    return false;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const PyGroup& a, const PyGroup& b) {
    if (lead(a) != lead(b)) return lead(a);
    return a.threads.size() > b.threads.size();
  });
  return groups;
}

std::string KindName(PyDumpKind k) {
  switch (k) {
    case PyDumpKind::kFaulthandler:
      return "faulthandler";
    case PyDumpKind::kPySpy:
      return "py-spy dump";
    case PyDumpKind::kPySpyJson:
      return "py-spy dump --json";
  }
  return "";
}

std::string ThreadLabel(const PyThread& t) {
  std::string s = t.current ? "current thread" : "thread";
  if (!t.id.empty()) s += " " + t.id;
  if (!t.name.empty()) s += " \"" + t.name + "\"";
  return s;
}

std::string Status(const PyThread& t) {
  if (!t.status_known) return t.current ? "current" : "";
  return std::string(t.active ? "active" : "idle") + (t.gil ? "+gil" : "");
}

std::string Top(const PyThread& t) {
  if (t.frames.empty()) return t.no_python_frame ? "<no Python frame>" : "(no frames)";
  const PyFrame& f = t.frames.front();
  return fmt::format("{} ({})", f.func, PyWhere(f));
}

// CPython's own library (threading.py, ctypes) rather than the program or its packages.
bool IsStdlibFile(std::string_view file) {
  return file.find("/lib/python") != std::string_view::npos &&
         file.find("-packages/") == std::string_view::npos;
}

// The first frame of the program's own code, or null.
const PyFrame* OwnFrame(const PyThread& t) {
  for (const PyFrame& f : t.frames)
    if (!IsStdlibFile(f.file)) return &f;
  return nullptr;
}

// ", called from read_header (app.py:15)" when the top frame is the standard library's.
std::string CalledFrom(const PyThread& t) {
  const PyFrame* own = OwnFrame(t);
  if (own == nullptr || t.frames.empty() || own == &t.frames.front()) return {};
  return fmt::format(", called from {} ({})", own->func, PyWhere(*own));
}

std::string Ref(const std::string& path, uint64_t line) {
  return line ? fmt::format("{}:{}", path, line) : path;
}

std::vector<Finding> Verdicts(const PyDump& dump, const std::vector<PyGroup>& groups,
                              const std::vector<const WaitSite*>& group_sites,
                              const std::vector<WaitSiteCount>& waits, const std::string& path) {
  std::vector<Finding> out;
  const PyThread* current = nullptr;
  const PyThread* gil = nullptr;
  for (const PyThread& t : dump.threads) {
    if (t.current && current == nullptr) current = &t;
    if (t.gil && gil == nullptr) gil = &t;
  }
  if (!dump.fatal_error.empty()) {
    Finding f;
    f.kind = "crash";
    f.severity = Severity::kCritical;
    f.confidence = 1.0;
    f.title = "Fatal Python error: " + dump.fatal_error;
    if (current != nullptr)
      f.title += " in " + ThreadLabel(*current) + " at " + Top(*current) + CalledFrom(*current);
    f.explanation =
        "faulthandler wrote the Python stacks when the process received a fatal signal; the "
        "current thread's most recent frame is the last Python code that ran before it. A "
        "segmentation fault there usually comes from a C extension or ctypes call made from "
        "that line.";
    f.evidence.push_back({Ref(path, dump.fatal_line), "Fatal Python error: " + dump.fatal_error});
    if (current != nullptr && !current->frames.empty())
      f.evidence.push_back({Ref(path, current->frames.front().dump_line), Top(*current)});
    f.subject = current && !current->frames.empty() ? current->frames.front().func : "";
    out.push_back(std::move(f));
  }
  if (!dump.timeout.empty()) {
    Finding f;
    f.kind = "hang";
    f.severity = Severity::kError;
    f.confidence = 0.8;
    // The main thread is where a hang shows; faulthandler lists it last. The others are named
    // by where they stopped in the program's own code (a lock's acquire is a C call, so the
    // line of the `with lock:` is the top Python frame).
    const PyThread* main = nullptr;
    for (const PyThread& t : dump.threads)
      if (!t.frames.empty()) main = &t;
    f.title = fmt::format("hang: no progress within {} (faulthandler timeout)", dump.timeout);
    if (main != nullptr)
      f.title += "; " + ThreadLabel(*main) + " waits in " + Top(*main) + CalledFrom(*main);
    std::string others;
    size_t n_others = 0;
    for (const PyThread& t : dump.threads) {
      const PyFrame* own = OwnFrame(t);
      if (&t == main || own == nullptr) continue;
      if (++n_others <= 4)
        others += fmt::format("{}{} ({})", others.empty() ? "" : ", ", own->func, PyWhere(*own));
    }
    if (n_others > 4) others += ", ...";
    if (n_others > 0)
      f.title += fmt::format("; {} other thread{} stopped in {}", n_others,
                             n_others == 1 ? "" : "s", others);
    f.explanation =
        "faulthandler.dump_traceback_later fired: the program did not cancel the timer in "
        "time, so the stacks show where each thread was stuck.";
    f.evidence.push_back({Ref(path, dump.timeout_line), "Timeout (" + dump.timeout + ")!"});
    if (main != nullptr && !main->frames.empty())
      f.evidence.push_back({Ref(path, main->frames.front().dump_line), Top(*main)});
    out.push_back(std::move(f));
  }
  // What the threads wait for; a set explained by a wait site (or idle where idling is
  // normal) is not called stuck as well.
  std::vector<Finding> wait_verdicts = WaitVerdicts(waits, "thread", kNoTime);
  std::vector<std::string> explained;
  for (Finding& f : wait_verdicts) {
    explained.push_back(f.subject);
    out.push_back(std::move(f));
  }
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const PyGroup& g = groups[gi];
    if (g.threads.size() < kPyStuckSetMin) continue;
    const WaitSite* site = gi < group_sites.size() ? group_sites[gi] : nullptr;
    if (site != nullptr && (site->normal || std::find(explained.begin(), explained.end(),
                                                      site->pool) != explained.end()))
      continue;
    const PyThread& t = dump.threads[g.threads.front()];
    Finding f;
    f.kind = "stuck-threads";
    f.severity = Severity::kWarning;
    f.confidence = 0.6;
    f.title = fmt::format("{} threads share one stack, waiting in {}", g.threads.size(), Top(t));
    f.explanation =
        "Many threads parked on the same line: a pool waiting on one resource, or "
        "threads that were started and never finished.";
    f.evidence.push_back({Ref(path, t.header_line), ThreadLabel(t)});
    out.push_back(std::move(f));
  }
  if (dump.kind != PyDumpKind::kFaulthandler) {
    Finding f;
    f.kind = "gil-holder";
    f.severity = Severity::kInfo;
    f.confidence = 1.0;
    if (gil != nullptr) {
      f.title = "GIL held by " + ThreadLabel(*gil) + " in " + Top(*gil);
      f.evidence.push_back(
          {Ref(path, gil->header_line), ThreadLabel(*gil) + " (" + Status(*gil) + ")"});
      f.subject = gil->name;
    } else {
      f.title = "no thread held the GIL when py-spy sampled";
      f.evidence.push_back({path, KindName(dump.kind)});
    }
    f.explanation =
        "The dump names the thread that owns the GIL; while one thread holds it no other "
        "runs Python code.";
    out.push_back(std::move(f));
  } else if (current != nullptr && !dump.fatal_error.empty()) {
    Finding f;
    f.kind = "gil-holder";
    f.severity = Severity::kInfo;
    f.confidence = 0.8;
    f.title = "GIL holder: " + ThreadLabel(*current) + " (it was running Python code at the fault)";
    f.explanation =
        "faulthandler marks the thread that received the signal as current; a "
        "thread running Python code holds the GIL.";
    f.evidence.push_back({Ref(path, current->header_line), ThreadLabel(*current)});
    out.push_back(std::move(f));
  }
  return out;
}

std::string Render(const PyDump& dump, const std::vector<PyGroup>& groups,
                   const DumpOptions& options, bool md) {
  std::string out = fmt::format(
      "Python dump ({}): {} thread{} in {} group{}\n", KindName(dump.kind), dump.threads.size(),
      dump.threads.size() == 1 ? "" : "s", groups.size(), groups.size() == 1 ? "" : "s");
  if (!dump.process.empty()) out += "process " + dump.process + "\n";
  if (!dump.python.empty()) out += "Python " + dump.python + "\n";
  if (!dump.fatal_error.empty())
    out += fmt::format("Fatal Python error: {}  (line {})\n", dump.fatal_error, dump.fatal_line);
  if (!dump.timeout.empty())
    out += fmt::format("Timeout ({})!  (line {})\n", dump.timeout, dump.timeout_line);
  size_t shown = 0;
  for (const PyGroup& g : groups) {
    if (shown++ == options.max_groups) {
      out += fmt::format("\n... {} more groups (--format json lists them all)\n",
                         groups.size() - options.max_groups);
      break;
    }
    const PyThread& t = dump.threads[g.threads.front()];
    std::string who;
    for (size_t k = 0; k < g.threads.size() && k < 4; ++k) {
      const PyThread& o = dump.threads[g.threads[k]];
      who += (k ? ", " : "") + ThreadLabel(o);
      if (!Status(o).empty()) who += " (" + Status(o) + ")";
    }
    if (g.threads.size() > 4) who += ", ...";
    out += fmt::format(fmt::runtime(md ? "\n**{} thread{}**: {} (line {})\n\n```\n"
                                       : "\n{} thread{}: {}  line {}\n"),
                       g.threads.size(), g.threads.size() == 1 ? "" : "s", who, t.header_line);
    size_t n = 0;
    for (const PyFrame& f : t.frames) {
      if (n++ == kMaxPythonFramesShown) {
        out += fmt::format("    ... {} more frames\n", t.frames.size() - kMaxPythonFramesShown);
        break;
      }
      out += fmt::format("    {}  {}\n", f.func, PyWhere(f));
      for (const auto& [name, value] : f.locals)
        out += fmt::format("        {} = {}\n", name, value);
    }
    if (t.truncated) out += "    ... (faulthandler cut the stack)\n";
    if (t.no_python_frame) out += "    <no Python frame>\n";
    if (md) out += "```\n";
  }
  return md ? out : SanitizeLines(out);
}

Redacted RenderJson(const PyDump& dump, const std::vector<PyGroup>& groups,
                    const std::vector<WaitSiteCount>& waits) {
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Field("writer", KindName(dump.kind)).Field("threads", dump.threads.size());
  j.Field("fatal_error", dump.fatal_error).Field("timeout", dump.timeout);
  j.Field("process", dump.process).Field("python", dump.python);
  j.Key("groups").BeginArray();
  for (const PyGroup& g : groups) {
    j.BeginObject().Key("threads").BeginArray();
    for (size_t k : g.threads) {
      const PyThread& t = dump.threads[k];
      j.BeginObject().Field("id", t.id).Field("name", t.name).Field("current", t.current);
      j.Field("active", t.active).Field("gil", t.gil).Field("line", t.header_line).EndObject();
    }
    j.EndArray();
    const PyThread& t = dump.threads[g.threads.front()];
    j.Field("truncated", t.truncated).Field("no_python_frame", t.no_python_frame);
    j.Key("frames").BeginArray();
    for (const PyFrame& f : t.frames) {
      j.BeginObject().Field("func", f.func).Field("file", f.file).Field("line", f.line);
      j.Key("locals").BeginObject();
      for (const auto& [name, value] : f.locals) j.Field(name, value);
      j.EndObject().EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().Key("wait_sites");
  WaitJson(waits, &j);
  j.EndObject();
  return j.Take();
}

}  // namespace

double ProbePythonDump(std::string_view head) {
  std::string_view t = TrimSpace(head);
  if (t.starts_with("[") && t.find("\"owns_gil\"") != std::string_view::npos &&
      t.find("\"frames\"") != std::string_view::npos)
    return 0.95;
  if (head.find("(most recent call first):") != std::string_view::npos &&
      (head.find("Current thread 0x") != std::string_view::npos ||
       head.find("Thread 0x") != std::string_view::npos ||
       head.find("Stack (most recent call first):") != std::string_view::npos))
    return 0.95;
  if (head.find("Fatal Python error: ") != std::string_view::npos) return 0.8;
  if (t.starts_with("Process ") && head.find("\nPython v") != std::string_view::npos) return 0.95;
  return 0;
}

DumpReader PythonDumpReader() {
  return {"python", "Python faulthandler output, py-spy dump (text or --json)", ProbePythonDump,
          [](std::string_view path, std::string_view bytes,
             const DumpOptions& options) -> Result<DumpAnalysis> {
            DumpIssues issues;
            PyDump dump = ReadPythonDump(bytes, &issues);
            DumpAnalysis a;
            a.kind = "python";
            a.path = std::string(path);
            if (dump.threads.empty() && dump.fatal_error.empty())
              return Status::BadInput(
                  issues.samples().empty() ? "no Python thread found" : issues.samples()[0].message,
                  SourceLocation{a.path, issues.samples().empty() ? 1 : issues.samples()[0].line});
            std::vector<PyGroup> groups = Group(dump);
            std::vector<std::vector<size_t>> lists;
            for (const PyGroup& g : groups) lists.push_back(g.threads);
            std::vector<const WaitSite*> group_sites;
            std::vector<WaitSiteCount> waits = TallyPythonWaits(
                dump, a.path, lists,
                options.wait_sites ? *options.wait_sites : WaitSiteTable::BuiltIn(), &group_sites);
            a.verdicts = Verdicts(dump, groups, group_sites, waits, a.path);
            a.diagnostics = issues.Render(a.path);
            a.text = Render(dump, groups, options, false) + WaitText(waits, "thread");
            a.markdown = Render(dump, groups, options, true);
            if (!waits.empty()) a.markdown += "\n```" + WaitText(waits, "thread") + "```\n";
            a.json = RenderJson(dump, groups, waits);
            return a;
          }};
}

}  // namespace inquest
