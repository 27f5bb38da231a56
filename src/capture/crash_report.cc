#include "capture/crash_report.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "base/strings.h"
#include "base/time.h"
#include "native/signal_info.h"

namespace inquest {
namespace {

// "apply_refund+0x1c at billing.c:118:7" or "billing+0x11c9" when nothing better is known.
std::string Where(const SymbolizedAddress& a) {
  std::string s;
  if (!a.function.empty()) {
    s = fmt::format("{}+{:#x}", a.function, a.function_offset);
  } else if (!a.module.empty()) {
    std::string_view base = a.module;
    if (size_t slash = base.rfind('/'); slash != std::string_view::npos) {
      base.remove_prefix(slash + 1);
    }
    s = fmt::format("{}+{:#x}", base, a.module_offset);
  } else {
    s = "??";
  }
  if (a.line > 0) {
    s += fmt::format(" at {}:{}", a.file, a.line);
    if (a.column > 0) s += fmt::format(":{}", a.column);
  }
  return SanitizeForTerminal(s);
}

std::string Headline(const CrashFile& c) {
  std::string s = fmt::format("{} ({})", DescribeSignal(c.signal), c.signal);
  s += ", " + DescribeSignalCode(c.signal, c.code);
  if (c.has_fault_addr && HasFaultAddress(c.signal, c.code)) {
    s += fmt::format(", fault address {:#x}", c.fault_addr);
  }
  return s;
}

std::string ModuleBase(std::string_view path) {
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos)
    path.remove_prefix(slash + 1);
  return std::string(path);
}

}  // namespace

Result<CrashReport> SymbolizeCrash(CrashFile crash, const SymbolSearch& search) {
  INQ_ASSIGN_OR_RETURN(Symbolizer symbolizer, Symbolizer::Create(crash.mappings, search));
  CrashReport report;
  for (size_t i = 0; i < crash.frames.size(); ++i) {
    report.frames.push_back(symbolizer.Symbolize(
        crash.frames[i], i == 0 ? AddressKind::kExact : AddressKind::kReturnAddress));
  }
  report.modules = symbolizer.Modules();
  report.crash = std::move(crash);
  return report;
}

std::string CrashReportText(const CrashReport& r) {
  const CrashFile& c = r.crash;
  std::string out = fmt::format("{}\n", Headline(c));
  if (std::string meaning = CrashFaultMeaning(c); !meaning.empty()) out += meaning + "\n";
  out += fmt::format("process {} thread {}", c.pid, c.tid);
  if (!c.exe.empty()) out += " (" + SanitizeForTerminal(c.exe) + ")";
  if (c.has_time) out += " at " + FormatTime(c.time_ns, 3);
  out += "\n";
  if (c.sender_pid >= 0) out += fmt::format("sent by process {}\n", c.sender_pid);
  if (!c.complete) out += "warning: the crash file is incomplete (no \"end\" line)\n";
  for (const std::string& note : c.notes) out += "note: " + SanitizeForTerminal(note) + "\n";
  if (c.mappings.empty()) {
    out += "note: the crash file lists no mapped files, so no address can be symbolized\n";
  }
  out += "\nCrashing thread:\n";
  for (size_t i = 0; i < r.frames.size(); ++i) {
    const SymbolizedAddress& a = r.frames[i];
    // Inlined calls first, innermost first, as gdb shows them.
    for (const InlinedCall& in : a.inlined) {
      std::string line = in.line > 0 ? fmt::format(" at {}:{}", in.file, in.line) : "";
      out += fmt::format("  #{:<2} {:#018x} {} (inlined){}\n", i, a.address,
                         SanitizeForTerminal(in.function), SanitizeForTerminal(line));
    }
    out += fmt::format("  #{:<2} {:#018x} {}\n", i, a.address, Where(a));
  }
  if (r.frames.empty()) out += "  (no frames recorded)\n";
  if (!c.registers.empty()) {
    out += "\nRegisters:\n";
    for (size_t i = 0; i < c.registers.size(); ++i) {
      out += fmt::format("  {:>6} {:#018x}{}", c.registers[i].first, c.registers[i].second,
                         (i % 3 == 2 || i + 1 == c.registers.size()) ? "\n" : "");
    }
  }
  out += "\nModules:\n";
  for (const ModuleInfo& m : r.modules) {
    out += fmt::format("  {:#014x}-{:#014x} {} [{}]{}\n", m.start, m.end,
                       SanitizeForTerminal(m.name), SymbolStatusName(m.status),
                       m.build_id.empty() ? "" : " build-id " + m.build_id);
    if (!m.note.empty()) out += "      " + SanitizeForTerminal(m.note) + "\n";
  }
  return out;
}

Redacted CrashReportJson(const CrashReport& r) {
  const CrashFile& c = r.crash;
  auto hex = [](uint64_t v) { return fmt::format("{:#x}", v); };
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Field("signal", c.signal).Field("signal_name", DescribeSignal(c.signal));
  j.Field("code", c.code).Field("code_name", DescribeSignalCode(c.signal, c.code));
  if (c.has_fault_addr && HasFaultAddress(c.signal, c.code))
    j.Field("fault_addr", hex(c.fault_addr)).Field("fault_meaning", CrashFaultMeaning(c));
  j.Field("pid", c.pid).Field("tid", c.tid).Field("exe", c.exe).Field("complete", c.complete);
  if (c.has_time) j.FieldTime("time", c.time_ns, 9);
  j.Key("frames").BeginArray();
  for (size_t i = 0; i < r.frames.size(); ++i) {
    const SymbolizedAddress& a = r.frames[i];
    j.BeginObject().Field("index", i).Field("address", hex(a.address)).Field("module", a.module);
    j.Field("module_offset", hex(a.module_offset)).Field("function", a.function);
    j.Field("function_offset", hex(a.function_offset)).Field("file", a.file);
    j.Field("line", a.line).Field("column", a.column).Key("inlined").BeginArray();
    for (const InlinedCall& in : a.inlined) {
      j.BeginObject().Field("function", in.function).Field("file", in.file);
      j.Field("line", in.line).Field("column", in.column).EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().Key("registers").BeginObject();
  for (const auto& [name, value] : c.registers) j.Field(name, hex(value));
  j.EndObject().Key("modules").BeginArray();
  for (const ModuleInfo& m : r.modules) {
    j.BeginObject().Field("name", m.name).Field("start", hex(m.start)).Field("end", hex(m.end));
    j.Field("build_id", m.build_id).Field("symbols", SymbolStatusName(m.status));
    j.Field("note", m.note).EndObject();
  }
  j.EndArray().Key("notes").BeginArray();
  for (const std::string& n : c.notes) j.String(n);
  j.EndArray().EndObject();
  return j.TakeLine();
}

std::string CrashReportMarkdown(const CrashReport& r) {
  const CrashFile& c = r.crash;
  std::string out = fmt::format("# Crash: {}\n\n", Headline(c));
  if (std::string meaning = CrashFaultMeaning(c); !meaning.empty()) {
    out += "The fault: " + meaning + ".\n\n";
  }
  out += fmt::format("Process {} thread {}", c.pid, c.tid);
  if (!c.exe.empty()) out += " (`" + c.exe + "`)";
  if (c.has_time) out += " at " + FormatTime(c.time_ns, 3);
  out += ".\n\n";
  if (!c.complete) out += "**The crash file is incomplete** (no `end` line).\n\n";
  out += "| # | address | function | source |\n|---|---|---|---|\n";
  for (size_t i = 0; i < r.frames.size(); ++i) {
    const SymbolizedAddress& a = r.frames[i];
    std::string fn = a.function.empty()
                         ? fmt::format("{}+{:#x}", ModuleBase(a.module), a.module_offset)
                         : a.function;
    std::string src = a.line > 0 ? fmt::format("{}:{}", a.file, a.line) : "";
    out += fmt::format("| {} | `{:#x}` | {} | {} |\n", i, a.address, MarkdownCell(fn),
                       MarkdownCell(src));
  }
  out += "\n| module | build-id | symbols |\n|---|---|---|\n";
  for (const ModuleInfo& m : r.modules) {
    out += fmt::format("| {} | {} | {} |\n", MarkdownCell(m.name), m.build_id,
                       SymbolStatusName(m.status));
  }
  return out;
}

}  // namespace inquest
