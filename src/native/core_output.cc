#include "native/core_output.h"

#include <fmt/format.h>

#include <map>

#include "base/json_writer.h"
#include "base/strings.h"
#include "native/core_file.h"
#include "native/runtime_output.h"

namespace inquest {
namespace {

// The native frames and the runtime frames joined to them.
std::string FrameKey(const CoreReport& r, const CoreThread& t) {
  std::string key;
  for (const CoreFrame& f : t.frames) {
    key += fmt::format("{}|{}|{}:{}|{:x};", f.function, f.module, f.file, f.line, f.module_offset);
  }
  if (const RuntimeThread* rt = RuntimeThreadOn(r.runtime, t.tid))
    for (const RuntimeFrame& f : rt->frames)
      if (f.native_frame >= 0) key += fmt::format("{}@{};", RuntimeFrameWhere(f), f.native_frame);
  return key;
}

std::string Params(const CoreFrame& f) {
  std::string out;
  for (const CoreVariable& v : f.variables) {
    if (!v.parameter) continue;
    if (!out.empty()) out += ", ";
    out += v.name + "=" + v.value;
  }
  return out;
}

// "apply_refund (acct=0x0, amount=4500) at /src/billing.c:118:12" and the rest of the line.
std::string FrameText(const CoreFrame& f, size_t index, bool md) {
  std::string out = fmt::format("#{:<3}", index);
  if (f.inlined) {
    out += "[inlined]          ";
  } else {
    out += fmt::format("{:#018x} ", f.pc);
  }
  std::string fn = f.function.empty() ? "??" : f.function;
  if (f.signal_trampoline) fn = "<signal handler called> " + fn;
  out += fn;  // Markdown shows frames as an indented code block: no inline markup
  if (!f.inlined && !f.function.empty() && f.function_offset != 0 && f.file.empty()) {
    out += fmt::format("+{:#x}", f.function_offset);
  }
  std::string params = Params(f);
  if (!params.empty() || !f.variables.empty()) out += " (" + params + ")";
  if (!f.file.empty()) {
    out += " at " + f.file;
    if (f.line > 0) out += fmt::format(":{}", f.line);
    if (f.column > 0) out += fmt::format(":{}", f.column);
  }
  std::string where = f.module.empty() ? "no module" : Basename(f.module);
  out += fmt::format("  [{}+{:#x}, {}]", where, f.module_offset, f.found_by);
  return out;
}

void AppendThreadText(const CoreReport& r, const CoreThread& t, bool md, std::string* out) {
  const RuntimeThread* rt = RuntimeThreadOn(r.runtime, t.tid);
  for (size_t i = 0; i < t.frames.size(); ++i) {
    const CoreFrame& f = t.frames[i];
    *out += md ? "    " : "  ";
    *out += FrameText(f, i, md) + "\n";
    // The Python frames this interpreter-loop frame was running (the mixed stack).
    if (rt != nullptr)
      for (const RuntimeFrame& p : rt->frames)
        if (p.native_frame == static_cast<int>(i))
          *out += fmt::format("{}        python: {}\n", md ? "    " : "", RuntimeFrameWhere(p));
    for (const CoreVariable& v : f.variables) {
      if (v.parameter) continue;
      *out += fmt::format("{}        {} = {}\n", md ? "    " : "", v.name, v.value);
    }
  }
  if (!t.stopped.empty()) {
    *out += fmt::format("{}  (unwinding stopped: {})\n", md ? "    " : "", t.stopped);
  }
}

void AppendRegisters(const CoreThread& t, bool md, std::string* out) {
  std::string indent = md ? "    " : "  ";
  *out += indent + "registers at frame 0:\n";
  // General registers, four to a line; segment registers are left out (always the same).
  static constexpr size_t kShown[] = {10, 5, 11, 12, 13, 14, 4,  19, 9, 8,
                                      7,  6, 3,  2,  1,  0,  16, 18, 21};
  size_t n = 0;
  std::string line = indent;
  for (size_t reg : kShown) {
    line += fmt::format("  {:<7} {:#018x}", X86_64RegName(reg), t.regs[reg]);
    if (++n % 4 == 0) {
      *out += line + "\n";
      line = indent;
    }
  }
  if (line != indent) *out += line + "\n";
}

std::string Header(const CoreReport& r, bool md) {
  std::string out;
  auto field = [&](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out += md ? fmt::format("- **{}** {}\n", name, value) : fmt::format("{:<13} {}\n", name, value);
  };
  field("core:", fmt::format("{} ({} bytes{}{})", r.path, r.size,
                             r.time != kNoTime ? ", written " + FormatTime(r.time, 0) : "",
                             r.truncated ? ", TRUNCATED" : ""));
  field("process:",
        fmt::format("pid {}, {}{}", r.pid, r.command, r.args.empty() ? "" : " (" + r.args + ")"));
  field("executable:", r.executable.empty() ? "not found (give it with --exe)" : r.executable);
  if (r.signo != 0 && r.snapshot) {
    field("signal:", fmt::format("{} ({}): a core taken from the live process (gcore or a "
                                 "debugger stops it so), not a crash",
                                 r.signal_name, r.signo));
  } else if (r.signo != 0) {
    field("signal:", fmt::format("{} ({}){}", r.signal_name, r.signo,
                                 r.code_name.empty() ? "" : ", " + r.code_name));
    if (r.sender_pid != 0) field("sent by:", fmt::format("pid {}", r.sender_pid));
    if (r.has_fault_address) field("fault address:", fmt::format("{:#x}", r.fault_address));
    field("meaning:", r.fault_meaning);
  } else {
    field("signal:", "none recorded (a core taken from a live process: gcore, or a dump)");
  }
  field("threads:", fmt::format("{} in the core, {} shown", r.threads_total, r.threads.size()));
  return out;
}

std::string RenderText(const CoreReport& r, const CoreRenderOptions& o, bool md) {
  std::string out;
  if (md) out += "# Core " + Basename(r.path) + "\n\n";
  out += Header(r, md);
  for (const std::string& w : r.warnings) out += (md ? "- **warning**: " : "warning: ") + w + "\n";
  if (r.walk.attempted) {
    out += md ? "\n## Victim to origin\n\n" : "\nwalk:\n";
    out += (md ? "" : "  ") + r.walk.summary + (r.walk.concluded ? "" : " (no conclusion)") + "\n";
    for (const std::string& s : r.walk.steps) out += (md ? "- " : "    - ") + s + "\n";
  }
  AppendRuntimeText(r.runtime, md, &out);
  if (!r.runtime.runtime.empty() && !r.threads.empty())
    out += md ? "\n## Native threads\n" : "\nnative threads:\n";
  for (const std::vector<size_t>& group : GroupThreads(r)) {
    const CoreThread& t = r.threads[group[0]];
    out += "\n";
    std::string title;
    if (group.size() == 1) {
      const RuntimeThread* named = RuntimeThreadOn(r.runtime, t.tid);
      title = fmt::format(
          "thread {}{}{}", t.tid,
          named && !named->name.empty() ? " \"" + SanitizeForTerminal(named->name) + "\"" : "",
          t.crashing ? fmt::format(" (crashing, {})", r.signal_name) : "");
    } else {
      std::string tids;
      for (size_t i = 0; i < group.size(); ++i) {
        if (i == 8) {
          tids += ", ...";
          break;
        }
        int tid = r.threads[group[i]].tid;
        const RuntimeThread* named = RuntimeThreadOn(r.runtime, tid);
        tids +=
            (i ? ", " : "") + std::to_string(tid) +
            (named && !named->name.empty() ? " \"" + SanitizeForTerminal(named->name) + "\"" : "");
      }
      title = fmt::format("{} threads with this stack ({})", group.size(), tids);
    }
    out += md ? "## " + title + "\n\n" : title + ":\n";
    AppendThreadText(r, t, md, &out);
    if (t.crashing && o.registers) AppendRegisters(t, md, &out);
  }
  if (o.modules && !r.modules.empty()) {
    out += md ? "\n## Modules\n\n| range | module | build-id | symbols |\n|---|---|---|---|\n"
              : "\nmodules:\n";
    for (const ModuleInfo& m : r.modules) {
      std::string status(SymbolStatusName(m.status));
      if (!m.debug_path.empty()) status += " (" + m.debug_path + ")";
      if (md) {
        out += fmt::format("| {:#x}-{:#x} | {} | {} | {} |\n", m.start, m.end, m.name,
                           m.build_id.empty() ? "-" : m.build_id, status);
      } else {
        out += fmt::format("  {:#014x}-{:#014x}  {:<40}  {:<40}  {}\n", m.start, m.end, m.name,
                           m.build_id.empty() ? "-" : m.build_id, status);
      }
    }
  }
  return out;
}

std::string Hex(uint64_t v) { return fmt::format("{:#x}", v); }

// `part` (when set) takes the text as it is written, a piece at a time, and the return value is
// the rest: a report of 100,000 goroutines is never held whole as JSON.
Redacted RenderJson(const CoreReport& r, const CorePartSink* part) {
  JsonWriter j(JsonStyle::kCompact);
  auto flush = [&] {
    if (part != nullptr && j.pending() >= kCoreJsonPiece) (*part)(j.TakePart());
  };
  j.BeginObject().Field("core", r.path).Field("size", r.size).FieldTime("time", r.time, 9);
  j.Field("truncated", r.truncated).Field("pid", r.pid).Field("command", r.command);
  j.Field("args", r.args).Field("executable", r.executable).Field("snapshot", r.snapshot);
  j.Key("signal").BeginObject().Field("number", r.signo).Field("name", r.signal_name);
  j.Field("code", r.si_code).Field("code_name", r.code_name).Key("fault_address");
  r.has_fault_address ? j.String(Hex(r.fault_address)) : j.Null();
  j.Field("meaning", r.fault_meaning).Field("sender_pid", r.sender_pid).EndObject();
  j.Key("walk").BeginObject().Field("attempted", r.walk.attempted);
  j.Field("concluded", r.walk.concluded).Field("summary", r.walk.summary);
  j.Key("steps").BeginArray();
  for (const std::string& step : r.walk.steps) j.String(step);
  j.EndArray().EndObject().Key("warnings").BeginArray();
  for (const std::string& w : r.warnings) j.String(w);
  j.EndArray().Field("threads_total", r.threads_total).Key("threads").BeginArray();
  std::map<size_t, size_t> group_of;
  std::vector<std::vector<size_t>> groups = GroupThreads(r);
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t i : groups[g]) group_of[i] = g;
  }
  for (size_t ti = 0; ti < r.threads.size(); ++ti) {
    const CoreThread& t = r.threads[ti];
    j.BeginObject().Field("tid", t.tid).Field("crashing", t.crashing).Field("signal", t.signal);
    j.Field("group", group_of[ti]).Field("stopped", t.stopped).Key("frames").BeginArray();
    for (size_t fi = 0; fi < t.frames.size(); ++fi) {
      const CoreFrame& f = t.frames[fi];
      j.BeginObject().Field("index", fi).Field("physical", f.physical);
      j.Field("inlined", f.inlined).Field("pc", Hex(f.pc)).Field("module", f.module);
      j.Field("module_offset", Hex(f.module_offset)).Field("function", f.function);
      j.Field("function_offset", f.function_offset).Field("file", f.file).Field("line", f.line);
      j.Field("column", f.column).Field("found_by", f.found_by);
      j.Field("signal_frame", f.signal_trampoline).Key("variables").BeginArray();
      // Strings read from the core's memory: redacted by the variable's name too.
      for (const CoreVariable& v : f.variables) {
        j.BeginObject().Field("name", v.name).Field("type", v.type);
        j.Key("value").StringFor(v.name, v.value).Field("parameter", v.parameter);
        j.Field("available", v.available).EndObject();
      }
      j.EndArray().EndObject();
    }
    j.EndArray();
    if (t.crashing) {
      j.Key("registers").BeginObject();
      for (size_t i = 0; i < kX86_64RegCount; ++i) j.Field(X86_64RegName(i), Hex(t.regs[i]));
      j.EndObject();
    }
    j.EndObject();
    flush();
  }
  j.EndArray().Key("runtime");
  WriteRuntimeJson(r.runtime, j, flush);
  j.Key("modules").BeginArray();
  for (const ModuleInfo& m : r.modules) {
    j.BeginObject().Field("name", m.name).Field("start", Hex(m.start)).Field("end", Hex(m.end));
    j.Field("build_id", m.build_id).Field("file", m.elf_path).Field("debug_file", m.debug_path);
    j.Field("symbols", SymbolStatusName(m.status)).Field("note", m.note).EndObject();
  }
  j.EndArray().EndObject();
  return j.TakeLine();
}

}  // namespace

void EmitCore(const CoreReport& report, CoreFormat format, const CoreRenderOptions& options,
              std::FILE* out) {
  if (format != CoreFormat::kJson) {
    Emit(RenderCore(report, format, options), out);
    return;
  }
  CorePartSink part = [out](const Redacted& piece) { Emit(piece, out); };
  Emit(RenderJson(report, &part), out);
}

std::vector<std::vector<size_t>> GroupThreads(const CoreReport& report) {
  std::vector<std::vector<size_t>> groups;
  std::map<std::string, size_t> by_key;
  for (size_t i = 0; i < report.threads.size(); ++i) {
    const CoreThread& t = report.threads[i];
    if (t.crashing) {
      groups.push_back({i});
      continue;
    }
    auto [it, inserted] = by_key.emplace(FrameKey(report, t), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

Redacted RenderCore(const CoreReport& report, CoreFormat format, const CoreRenderOptions& options) {
  switch (format) {
    case CoreFormat::kJson:
      return RenderJson(report, nullptr);
    case CoreFormat::kMd:
      return RedactText(RenderText(report, options, true));
    default:
      return RedactText(RenderText(report, options, false));
  }
}

}  // namespace inquest
