#include "dumps/java/hs_err_report.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "base/strings.h"
#include "dumps/java/dump_time.h"
#include "dumps/java/hs_err_site.h"

namespace inquest {
namespace {

constexpr size_t kFramesShown = 15;  // frames in the text and Markdown detail

// What the crash site is, for the detail: "a jump to a bad address", "native library", ...
std::string_view SiteKindText(CrashSiteKind k) {
  switch (k) {
    case CrashSiteKind::kNone:
      return "none";
    case CrashSiteKind::kBadJump:
      return "a jump to a bad address";
    case CrashSiteKind::kAnonymousCode:
      return "code in no library";
    case CrashSiteKind::kJniLibrary:
      return "native library called through JNI";
    case CrashSiteKind::kNativeLibrary:
      return "native library";
    case CrashSiteKind::kSystemLibrary:
      return "system library";
    case CrashSiteKind::kJnaLibrary:
      return "native library loaded through JNA";
    case CrashSiteKind::kJitCode:
      return "JIT-compiled Java code";
    case CrashSiteKind::kAotCode:
      return "AOT-compiled Java code";
    case CrashSiteKind::kInterpreted:
      return "interpreted Java code";
    case CrashSiteKind::kStub:
      return "VM-generated stub code";
    case CrashSiteKind::kVmCompiler:
      return "the JVM's JIT compiler";
    case CrashSiteKind::kVmUnsafe:
      return "the JVM's sun.misc.Unsafe access";
    case CrashSiteKind::kVmGc:
      return "the JVM's garbage collector";
    case CrashSiteKind::kVm:
      return "the JVM";
  }
  return "unknown";
}

}  // namespace

DumpAnalysis AnalyzeHsErr(std::string_view path, const HsErrLog& log,
                          std::vector<std::string> diagnostics, const DumpOptions& options) {
  DumpAnalysis a;
  a.kind = "hs-err";
  a.path = std::string(path);
  a.diagnostics = std::move(diagnostics);
  if (!log.complete && (log.has_header || !log.error.empty())) {
    a.diagnostics.push_back(fmt::format(
        "{}: the log has no final \"END.\": it was cut off, later sections are missing", path));
  }
  a.verdicts.push_back(HsErrVerdict(log, path));
  // hs_err times are local wall-clock times; most logs name the zone, after the time (JDK 9+)
  // or on a "timezone:" line (JDK 8).
  DumpOwnTime own;
  own.time = log.time;
  own.wall_clock = true;
  own.zone = log.time_zone;
  if (log.time_zone_line != 0) own.zone_where = fmt::format("line {}", log.time_zone_line);
  std::string no_time = "the dump has no timestamp";
  if (log.time == kNoTime && !log.time_text.empty()) {
    no_time = fmt::format("unreadable timestamp '{}' on line {}", log.time_text, log.time_line);
  }
  SetJavaDumpTime(path, own, options, &a, no_time);
  if (a.verdicts[0].time == kNoTime) a.verdicts[0].time = a.time;

  const HsErrFrame& p = log.problematic;
  CrashSite site = LocateCrash(log);
  std::string& t = a.text;
  t +=
      fmt::format("JVM fatal error log: {}\n", log.error.empty() ? "(no error header)" : log.error);
  if (!log.pc.empty()) t += fmt::format("  pc={} pid={} tid={}\n", log.pc, log.pid, log.tid);
  if (!log.error_detail.empty()) t += "  " + log.error_detail + "\n";
  for (const std::string& c : log.oom_causes) t += "  " + c + "\n";
  if (!log.jre_version.empty()) t += "  JRE: " + log.jre_version + "\n";
  if (!log.vm_version.empty()) t += "  VM: " + log.vm_version + "\n";
  if (!log.vm_info.empty()) t += "  vm_info: " + log.vm_info + "\n";
  if (log.has_problematic) {
    t += fmt::format("  Problematic frame ({}): {}\n", HsErrFrameKindName(p.kind), p.text);
  }
  if (site.kind != CrashSiteKind::kNone) {
    t += fmt::format(
        "  Crash site ({}): {}{}\n", SiteKindText(site.kind), site.name,
        site.library.empty() || site.name.starts_with(site.library) ? "" : " in " + site.library);
  }
  if (!log.current_thread.empty()) {
    t += fmt::format("  Current thread: {}{}{}\n", log.thread_type,
                     log.thread_name.empty() ? "" : " \"" + log.thread_name + "\"",
                     log.thread_state.empty() ? "" : " (" + log.thread_state + ")");
  }
  if (!log.siginfo.empty()) t += "  siginfo: " + log.siginfo + "\n";
  if (!log.command_line.empty()) t += "  Command line: " + log.command_line + "\n";
  if (!log.time_text.empty()) t += "  Time: " + log.time_text + "\n";
  // JDK 8 writes the zone on a line of its own.
  if (!log.time_zone.empty() && log.time_text.find(log.time_zone) == std::string::npos)
    t += "  Time zone: " + log.time_zone + "\n";
  if (!log.elapsed.empty()) t += "  Elapsed: " + log.elapsed + "\n";
  if (!log.os.empty()) t += "  OS: " + log.os + "\n";
  if (!log.host.empty()) t += "  Host: " + log.host + "\n";
  auto frames = [&](const char* title, const std::vector<HsErrFrame>& list) {
    if (list.empty()) return;
    t += fmt::format("  {} ({}):\n", title, list.size());
    for (size_t i = 0; i < list.size() && i < kFramesShown; ++i) t += "    " + list[i].text + "\n";
    if (list.size() > kFramesShown)
      t += fmt::format("    ... {} more\n", list.size() - kFramesShown);
  };
  frames("Native frames", log.native_frames);
  frames("Java frames", log.java_frames);
  if (!log.heap.empty()) {
    t += "  Heap:\n";
    for (const std::string& h : log.heap) t += "    " + std::string(TrimSpace(h)) + "\n";
  }
  if (log.error.empty() && !log.sections.empty())
    t += fmt::format("  Sections: {}\n", fmt::join(log.sections, ", "));

  std::string& m = a.markdown;
  m += "| field | value |\n|---|---|\n";
  auto row = [&](std::string_view k, std::string_view v) {
    if (!v.empty()) m += fmt::format("| {} | {} |\n", k, MarkdownCell(v));
  };
  row("error", log.error);
  row("pc", log.pc);
  row("detail", log.error_detail.empty() ? fmt::format("{}", fmt::join(log.oom_causes, "; "))
                                         : log.error_detail);
  row("JRE", log.jre_version);
  row("VM", log.vm_version.empty() ? log.vm_info : log.vm_version);
  if (log.has_problematic) {
    row("problematic frame", fmt::format("{} ({})", p.text, HsErrFrameKindName(p.kind)));
  }
  if (site.kind != CrashSiteKind::kNone) {
    row("crash site", fmt::format("{} ({})", site.name, SiteKindText(site.kind)));
  }
  row("current thread", log.current_thread);
  row("siginfo", log.siginfo);
  row("command line", log.command_line);
  row("time", log.time_text);
  if (log.time_text.find(log.time_zone) == std::string::npos) row("time zone", log.time_zone);
  auto md_frames = [&](const char* title, const std::vector<HsErrFrame>& list) {
    if (list.empty()) return;
    m += fmt::format("\n**{}** ({})\n\n```\n", title, list.size());
    for (size_t i = 0; i < list.size() && i < kFramesShown; ++i) m += list[i].text + "\n";
    m += "```\n";
  };
  md_frames("Native frames", log.native_frames);
  md_frames("Java frames", log.java_frames);

  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Key("kind").String("hs-err").Key("path").String(path);
  j.Key("has_header").Bool(log.has_header).Key("complete").Bool(log.complete);
  j.Key("error").String(log.error).Key("signal").String(log.signal).Key("pc").String(log.pc);
  j.Key("pid").String(log.pid).Key("tid").String(log.tid);
  j.Key("error_detail").String(log.error_detail).Key("out_of_memory").String(log.oom);
  if (log.oom_causes.size() > 1) {
    j.Key("out_of_memory_causes").BeginArray();
    for (const std::string& c : log.oom_causes) j.String(c);
    j.EndArray();
  }
  j.Key("jre_version").String(log.jre_version).Key("vm_version").String(log.vm_version);
  j.Key("vm_info").String(log.vm_info);
  j.Key("problematic_frame");
  auto frame_json = [&](const HsErrFrame& f) {
    j.BeginObject().Key("kind").String(std::string(1, f.kind));
    j.Key("kind_name").String(HsErrFrameKindName(f.kind)).Key("library").String(f.library);
    j.Key("offset").String(f.offset).Key("symbol").String(f.symbol).Key("line").Int(f.line);
    j.EndObject();
  };
  if (log.has_problematic) {
    frame_json(p);
  } else {
    j.Null();
  }
  j.Key("crash_site");
  if (site.kind == CrashSiteKind::kNone) {
    j.Null();
  } else {
    j.BeginObject().Key("kind").String(SiteKindText(site.kind)).Key("name").String(site.name);
    j.Key("library").String(site.library).EndObject();
  }
  j.Key("current_thread").BeginObject().Key("type").String(log.thread_type);
  j.Key("name").String(log.thread_name).Key("state").String(log.thread_state).EndObject();
  j.Key("siginfo").String(log.siginfo);
  j.Key("native_frames").BeginArray();
  for (const HsErrFrame& f : log.native_frames) frame_json(f);
  j.EndArray().Key("java_frames").BeginArray();
  for (const HsErrFrame& f : log.java_frames) frame_json(f);
  j.EndArray().Key("heap").BeginArray();
  for (const std::string& h : log.heap) j.String(TrimSpace(h));
  j.EndArray();
  j.Key("command_line").String(log.command_line).Key("time").Time(a.time, 9);
  j.Key("time_text").String(log.time_text).Key("time_zone").String(log.time_zone);
  j.Key("elapsed").String(log.elapsed).Key("os").String(log.os).Key("host").String(log.host);
  j.EndObject();
  a.json = j.Take();
  return a;
}

}  // namespace inquest
