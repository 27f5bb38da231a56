#include "native/runtime_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"

namespace inquest {
namespace {

// Names, states and files read from the core's memory, made safe for a terminal: a thread
// named "\e]0;x\a" or "a\nverdict: fake" must not reach the screen as it is.
std::string Safe(std::string_view s) { return SanitizeForTerminal(s); }

bool IsGo(const RuntimeView& v) { return v.runtime == "Go"; }
bool IsJvm(const RuntimeView& v) { return v.runtime == "HotSpot"; }

std::string RuntimeFrameKey(const RuntimeThread& t) {
  // Threads without frames (a JVM's, before jhsdb adds them) are told apart by name.
  std::string key = t.state + "|" + (t.frames.empty() ? t.name : std::string()) + "|";
  for (const RuntimeFrame& f : t.frames)
    key += fmt::format("{}{}|{}:{};", f.qualname, f.function, f.file, f.line);
  return key + "|" + RuntimeFrameWhere(t.created_by) + "|" + t.stopped;
}

bool HasVariables(const RuntimeThread& t) {
  for (const RuntimeFrame& f : t.frames)
    if (!f.variables.empty()) return true;
  return false;
}

// "#0  main.handle(req=0xc000010000, n=3) at /srv/main.go:12": parameters as `bt full` shows
// them, when the frame has its variables.
std::string RuntimeFrameText(const RuntimeFrame& f, size_t index) {
  std::string params;
  for (const CoreVariable& v : f.variables) {
    if (!v.parameter) continue;
    params += (params.empty() ? "" : ", ") + Safe(v.name) + "=" + Safe(v.value);
  }
  std::string where = RuntimeFrameWhere(f);
  if (!f.variables.empty()) {
    size_t at = where.find(" at ");
    where.insert(at == std::string::npos ? where.size() : at, "(" + params + ")");
  }
  return fmt::format("#{:<3}{}{}", index, where, f.inlined ? " (inlined)" : "");
}

std::string GoroutineTitle(const RuntimeView& v, const std::vector<size_t>& group) {
  const RuntimeThread& first = v.threads[group[0]];
  std::string state = first.state.empty() ? "" : " [" + Safe(first.state) + "]";
  if (group.size() == 1) return fmt::format("goroutine {}{}", first.id, state);
  std::string ids;
  for (size_t i = 0; i < group.size() && i < 8; ++i)
    ids += fmt::format("{}{}", i ? ", " : "", v.threads[group[i]].id);
  if (group.size() > 8) ids += ", ...";
  return fmt::format("{} goroutines with this stack{} ({})", group.size(), state, ids);
}

std::string JavaThreadTitle(const RuntimeView& v, const std::vector<size_t>& group) {
  auto one = [](const RuntimeThread& t) {
    std::string s = "\"" + Safe(t.name) + "\"";
    if (t.id) s += fmt::format(" #{}", t.id);
    if (t.daemon) s += " daemon";
    if (t.lwp) s += fmt::format(" (LWP {})", t.lwp);
    return s;
  };
  const RuntimeThread& first = v.threads[group[0]];
  std::string state = first.state.empty() ? "" : " " + Safe(first.state);
  if (group.size() == 1) {
    return one(first) + state + (first.detail.empty() ? "" : ", " + Safe(first.detail));
  }
  std::string ids;
  for (size_t i = 0; i < group.size() && i < 8; ++i)
    ids += (i ? ", " : "") + one(v.threads[group[i]]);
  if (group.size() > 8) ids += ", ...";
  return fmt::format("{} java threads with this stack,{} ({})", group.size(), state, ids);
}

std::string ThreadTitle(const RuntimeView& v, const std::vector<size_t>& group) {
  if (IsGo(v)) return GoroutineTitle(v, group);
  if (IsJvm(v)) return JavaThreadTitle(v, group);
  auto one = [&](const RuntimeThread& t) {
    return fmt::format("{:#x}{}", t.id, t.lwp ? fmt::format(" (LWP {})", t.lwp) : "");
  };
  const RuntimeThread& first = v.threads[group[0]];
  if (group.size() == 1)
    return fmt::format("python thread {}{}", one(first), first.holds_lock ? ", holds the GIL" : "");
  std::string ids;
  for (size_t i = 0; i < group.size() && i < 8; ++i)
    ids += (i ? ", " : "") + one(v.threads[group[i]]);
  if (group.size() > 8) ids += ", ...";
  return fmt::format("{} python threads with this stack ({})", group.size(), ids);
}

}  // namespace

std::string RuntimeFrameWhere(const RuntimeFrame& f) {
  std::string name = Safe(f.qualname.empty() ? f.function : f.qualname);
  if (f.file.empty()) {  // a Java frame from jhsdb: its method and line, no file
    return f.line > 0 ? fmt::format("{} line {}", name, f.line) : name;
  }
  std::string out = fmt::format("{} at {}", name, Safe(f.file));
  if (f.line > 0) out += fmt::format(":{}", f.line);
  return out;
}

const RuntimeThread* RuntimeThreadOn(const RuntimeView& view, int lwp) {
  if (lwp == 0) return nullptr;
  for (const RuntimeThread& t : view.threads)
    if (t.lwp == lwp) return &t;
  return nullptr;
}

std::vector<std::vector<size_t>> GroupRuntimeThreads(const RuntimeView& view) {
  std::vector<std::vector<size_t>> groups;
  std::map<std::string, size_t> by_key;
  for (size_t i = 0; i < view.threads.size(); ++i) {
    if (view.threads[i].holds_lock || HasVariables(view.threads[i])) {
      groups.push_back({i});
      continue;
    }
    auto [it, inserted] = by_key.emplace(RuntimeFrameKey(view.threads[i]), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

void AppendRuntimeText(const RuntimeView& v, bool md, std::string* out) {
  if (v.runtime.empty()) return;
  std::string head = fmt::format("{} {}", v.runtime, Safe(v.version));
  if (!v.module.empty()) head += " (" + Safe(v.module) + ")";
  if (!v.unreadable.empty()) {
    head += ": threads not read: " + v.unreadable;
  } else if (IsGo(v)) {
    head += fmt::format(", {} goroutines", v.threads.size());
  } else if (IsJvm(v)) {
    head += fmt::format(", {} Java threads", v.threads.size());
  } else {
    size_t holders = 0;
    for (const RuntimeThread& t : v.threads) holders += t.holds_lock;
    head += fmt::format(", {} threads, {}", v.threads.size(),
                        holders ? "one holds the GIL" : "none holds the GIL");
  }
  std::string_view section = IsGo(v) ? "Go" : IsJvm(v) ? "Java" : "Python";
  std::string label = IsGo(v) ? "go:" : IsJvm(v) ? "java:" : "python:";
  *out += md ? fmt::format("\n## {}\n\n- **runtime** {}\n", section, head)
             : fmt::format("\n{:<13} {}\n", label, head);
  if (!v.layout.empty())
    *out += md ? fmt::format("- **offsets** {}\n", v.layout)
               : fmt::format("{:<13} {}\n", "", "offsets from the " + v.layout);
  for (const std::string& p : v.problems)
    *out += (md ? "- **warning**: " : "warning: ") + Safe(p) + "\n";
  for (const std::string& p : v.verdicts)
    *out +=
        md ? "- **verdict**: " + Safe(p) + "\n" : fmt::format("{:<13} {}\n", "verdict:", Safe(p));
  std::string indent = md ? "    " : "  ";
  std::vector<std::vector<size_t>> groups = GroupRuntimeThreads(v);
  // The goroutine asked for with its variables (--goroutine) comes first.
  std::stable_partition(groups.begin(), groups.end(), [&v](const std::vector<size_t>& g) {
    return HasVariables(v.threads[g[0]]);
  });
  for (const std::vector<size_t>& group : groups) {
    const RuntimeThread& t = v.threads[group[0]];
    std::string title = ThreadTitle(v, group);
    if (IsJvm(v) && t.frames.empty() && t.stopped.empty()) {  // one line: nothing under it
      *out += md ? "- " + title + "\n" : indent + title + "\n";
      continue;
    }
    *out += md ? "\n### " + title + "\n\n" : "\n" + title + ":\n";
    if (t.frames.empty() && t.stopped.empty() && !IsJvm(v)) *out += indent + "(no frame)\n";
    for (size_t i = 0; i < t.frames.size(); ++i) {
      *out += indent + RuntimeFrameText(t.frames[i], i) + "\n";
      for (const CoreVariable& v : t.frames[i].variables)
        if (!v.parameter)
          *out += fmt::format("{}      {} = {}\n", indent, Safe(v.name), Safe(v.value));
    }
    if (!t.created_by.function.empty())
      *out += indent + "created by " + RuntimeFrameWhere(t.created_by) + "\n";
    if (!t.stopped.empty()) *out += indent + "stopped: " + t.stopped + "\n";
  }
}

void WriteRuntimeJson(const RuntimeView& v, JsonWriter& j, const std::function<void()>& between) {
  if (v.runtime.empty()) {
    j.Null();
    return;
  }
  j.BeginObject().Field("runtime", v.runtime).Field("version", v.version);
  j.Field("module", v.module)
      .Field("build_id", v.build_id)
      .Field("layout", v.layout)
      .Field("unreadable", v.unreadable);
  j.Key("problems").BeginArray();
  for (const std::string& p : v.problems) j.String(p);
  j.EndArray().Key("verdicts").BeginArray();
  for (const std::string& p : v.verdicts) j.String(p);
  j.EndArray().Key("threads").BeginArray();
  for (const RuntimeThread& t : v.threads) {
    j.BeginObject();
    if (v.runtime == "Go") {
      j.Field("goid", t.id);
    } else if (IsJvm(v)) {
      j.Field("id", t.id).Field("name", t.name).Field("daemon", t.daemon);
      j.Field("tid", fmt::format("{:#x}", t.handle)).Field("vm_state", t.detail);
      j.Field("last_java_sp", fmt::format("{:#x}", t.last_java_sp));
      j.Field("last_java_pc", fmt::format("{:#x}", t.last_java_pc));
    } else {
      j.Field("id", fmt::format("{:#x}", t.id));
    }
    j.Field("lwp", t.lwp).Field("state", t.state);
    j.Field("holds_gil", t.holds_lock).Field("stopped", t.stopped);
    j.Key("created_by");
    if (t.created_by.function.empty()) {
      j.Null();
    } else {
      j.BeginObject().Field("function", t.created_by.function).Field("file", t.created_by.file);
      j.Field("line", t.created_by.line).EndObject();
    }
    j.Key("frames").BeginArray();
    for (const RuntimeFrame& f : t.frames) {
      j.BeginObject().Field("function", f.function).Field("qualname", f.qualname);
      j.Field("file", f.file).Field("line", f.line).Field("entry", f.entry);
      j.Field("native_frame", f.native_frame).Field("inlined", f.inlined);
      j.Key("variables").BeginArray();
      for (const CoreVariable& v : f.variables) {
        j.BeginObject().Field("name", v.name).Field("type", v.type);
        j.Key("value").StringFor(v.name, v.value).Field("parameter", v.parameter);
        j.Field("available", v.available).EndObject();
      }
      j.EndArray().EndObject();
    }
    j.EndArray().EndObject();
    if (between) between();
  }
  j.EndArray().EndObject();
}

}  // namespace inquest
