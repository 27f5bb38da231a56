#include "capture/crash_report.h"

#include <fmt/format.h>

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

std::string CrashReportJson(const CrashReport& r) {
  const CrashFile& c = r.crash;
  std::string out = "{";
  out += fmt::format("\"signal\":{},\"signal_name\":\"{}\",\"code\":{},\"code_name\":\"{}\",",
                     c.signal, DescribeSignal(c.signal), c.code,
                     JsonEscape(DescribeSignalCode(c.signal, c.code)));
  if (c.has_fault_addr && HasFaultAddress(c.signal, c.code)) {
    out += fmt::format("\"fault_addr\":\"{:#x}\",\"fault_meaning\":\"{}\",", c.fault_addr,
                       JsonEscape(CrashFaultMeaning(c)));
  }
  out += fmt::format("\"pid\":{},\"tid\":{},\"exe\":\"{}\",\"complete\":{},", c.pid, c.tid,
                     JsonEscape(c.exe), c.complete ? "true" : "false");
  if (c.has_time) out += fmt::format("\"time\":\"{}\",", FormatTime(c.time_ns));
  out += "\"frames\":[";
  for (size_t i = 0; i < r.frames.size(); ++i) {
    const SymbolizedAddress& a = r.frames[i];
    out += fmt::format(
        "{}{{\"index\":{},\"address\":\"{:#x}\",\"module\":\"{}\",\"module_offset\":\"{:#x}\","
        "\"function\":\"{}\",\"function_offset\":\"{:#x}\",\"file\":\"{}\",\"line\":{},"
        "\"column\":{},\"inlined\":[",
        i ? "," : "", i, a.address, JsonEscape(a.module), a.module_offset, JsonEscape(a.function),
        a.function_offset, JsonEscape(a.file), a.line, a.column);
    for (size_t k = 0; k < a.inlined.size(); ++k) {
      const InlinedCall& in = a.inlined[k];
      out += fmt::format("{}{{\"function\":\"{}\",\"file\":\"{}\",\"line\":{},\"column\":{}}}",
                         k ? "," : "", JsonEscape(in.function), JsonEscape(in.file), in.line,
                         in.column);
    }
    out += "]}";
  }
  out += "],\"registers\":{";
  for (size_t i = 0; i < c.registers.size(); ++i) {
    out += fmt::format("{}\"{}\":\"{:#x}\"", i ? "," : "", JsonEscape(c.registers[i].first),
                       c.registers[i].second);
  }
  out += "},\"modules\":[";
  for (size_t i = 0; i < r.modules.size(); ++i) {
    const ModuleInfo& m = r.modules[i];
    out += fmt::format(
        "{}{{\"name\":\"{}\",\"start\":\"{:#x}\",\"end\":\"{:#x}\",\"build_id\":\"{}\","
        "\"symbols\":\"{}\",\"note\":\"{}\"}}",
        i ? "," : "", JsonEscape(m.name), m.start, m.end, m.build_id, SymbolStatusName(m.status),
        JsonEscape(m.note));
  }
  out += "],\"notes\":[";
  for (size_t i = 0; i < c.notes.size(); ++i) {
    out += fmt::format("{}\"{}\"", i ? "," : "", JsonEscape(c.notes[i]));
  }
  out += "]}\n";
  return out;
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
