#include "timeline/timeline_output.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"

namespace inquest {
namespace {

// Service names wider than this are cut in the text column (the JSON keeps them whole).
constexpr size_t kMaxServiceColumn = 24;

std::string JsonString(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

std::string Source(const Event& e, const std::vector<std::string>& paths) {
  std::string_view p = e.file < paths.size() ? std::string_view(paths[e.file]) : "?";
  return fmt::format("{}:{}", p, e.line);
}

// The first line of the message (or raw record) made safe for a terminal.
std::string OneLine(const Event& e) {
  std::string_view m = e.message.empty() ? e.raw : e.message;
  size_t nl = m.find('\n');
  std::string s = SanitizeForTerminal(m.substr(0, nl));
  if (e.extra_lines > 0) s += fmt::format(" (+{} lines)", e.extra_lines);
  return s;
}

std::string TimeText(const Event& e) {
  if (e.time == kNoTime) return std::string(30, ' ').replace(0, 1, "-");
  return FormatTime(e.time, 3);
}

std::string MdCell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string EventJson(const Event& e, const std::string& path) {
  std::string out = "{\"time\": ";
  out += e.time == kNoTime ? "null" : JsonString(FormatTime(e.time, 9));
  out += ", \"source\": " + JsonString(fmt::format("{}:{}", path, e.line));
  out += ", \"service\": ";
  out += e.service.empty() ? "null" : JsonString(e.service);
  out += ", \"level\": " + JsonString(LevelName(e.level));
  out += ", \"message\": " + JsonString(e.message.empty() ? e.raw : e.message);
  out += ", \"attrs\": {";
  bool first = true;
  auto add = [&](std::string_view k, std::string_view v) {
    if (!first) out += ", ";
    first = false;
    out += JsonString(k) + ": " + JsonString(v);
  };
  if (!e.host.empty()) add("host", e.host);
  if (!e.request_id.empty()) add("request_id", e.request_id);
  if (!e.trace_id.empty()) add("trace_id", e.trace_id);
  if (!e.span_id.empty()) add("span_id", e.span_id);
  for (const Attr& a : e.attrs) add(a.key, a.value);
  out += "}}";
  return out;
}

void WriteTimeline(std::FILE* out, std::span<const RequestStep> steps, const TimelineStyle& style) {
  if (style.format == TimelineFormat::kJson) {
    for (const RequestStep& s : steps) {
      const Event& e = *s.event;
      const std::string& p = e.file < style.paths.size() ? style.paths[e.file] : "";
      fmt::print(out, "{}\n", EventJson(e, p));
    }
    return;
  }
  if (style.format == TimelineFormat::kMd) {
    std::fputs(style.show_gaps ? "| time (UTC) | gap | service | level | message | source |\n"
                                 "|---|---:|---|---|---|---|\n"
                               : "| time (UTC) | service | level | message | source |\n"
                                 "|---|---|---|---|---|\n",
               out);
    for (const RequestStep& s : steps) {
      const Event& e = *s.event;
      std::string gap;
      if (style.show_gaps && s.gap_ns > 0)
        gap = s.slow ? fmt::format("**{}**", FormatDuration(s.gap_ns)) : FormatDuration(s.gap_ns);
      std::string row = fmt::format("| {} |", e.time == kNoTime ? "-" : FormatTime(e.time, 3));
      if (style.show_gaps) row += fmt::format(" {} |", gap);
      row += fmt::format(" {} | {} | {} | {} |", MdCell(SanitizeForTerminal(e.service)),
                         LevelName(e.level), MdCell(OneLine(e)), MdCell(Source(e, style.paths)));
      fmt::print(out, "{}\n", row);
    }
    return;
  }
  // Text: aligned columns.
  size_t svc_width = 1;
  for (const RequestStep& s : steps)
    svc_width = std::max(svc_width, std::min(s.event->service.size(), kMaxServiceColumn));
  size_t gap_width = 0;
  if (style.show_gaps)
    for (const RequestStep& s : steps)
      gap_width = std::max(gap_width, s.gap_ns > 0 ? FormatDuration(s.gap_ns).size() + 1 : 1);
  for (const RequestStep& s : steps) {
    const Event& e = *s.event;
    std::string line;
    std::string time = TimeText(e);
    std::string svc = SanitizeForTerminal(e.service.substr(0, kMaxServiceColumn));
    if (svc.empty()) svc = "-";
    std::string level(LevelName(e.level));
    std::string msg = OneLine(e);
    std::string src = Source(e, style.paths);
    std::string gap;
    if (style.show_gaps) gap = s.gap_ns > 0 ? "+" + FormatDuration(s.gap_ns) : "";
    if (!style.color) {
      line = time;
      if (style.show_gaps) line += fmt::format("  {:>{}}", gap, gap_width);
      line += fmt::format("  {:<{}}  {:<5}  {}  [{}]", svc, svc_width, level, msg, src);
      if (s.slow) line += "  <- slow";
      fmt::print(out, "{}\n", line);
      continue;
    }
    fmt::text_style ts = fmt::fg(fmt::terminal_color::bright_black);
    fmt::text_style lvl_style;
    if (e.level >= Level::kError) {
      lvl_style = fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
    } else if (e.level == Level::kWarn) {
      lvl_style = fmt::fg(fmt::terminal_color::yellow);
    }
    line = fmt::format(ts, "{}", time);
    if (style.show_gaps) {
      std::string g = fmt::format("  {:>{}}", gap, gap_width);
      line += s.slow ? fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "{}", g)
                     : g;
    }
    line += fmt::format("  {}",
                        fmt::format(fmt::fg(fmt::terminal_color::cyan), "{:<{}}", svc, svc_width));
    line += fmt::format("  {}", fmt::format(lvl_style, "{:<5}", level));
    line += fmt::format("  {}  {}", msg, fmt::format(ts, "[{}]", src));
    if (s.slow)
      line += fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "  <- slow");
    fmt::print(out, "{}\n", line);
  }
}

void WriteEvents(std::FILE* out, std::span<const Event* const> events, const TimelineStyle& style) {
  std::vector<RequestStep> steps;
  steps.reserve(events.size());
  for (const Event* e : events) steps.push_back({e, 0, false});
  TimelineStyle s = style;
  s.show_gaps = false;
  WriteTimeline(out, steps, s);
}

}  // namespace inquest
